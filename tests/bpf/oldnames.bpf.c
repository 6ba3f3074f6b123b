/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A scheduler written only with the original (6.12) kfunc names: dispatch, dispatch_vtime,
 * consume, create_dsq, destroy_dsq, dsq_nr_queued, kick_cpu with SCX_KICK_IDLE and
 * SCX_KICK_PREEMPT, select_cpu_dfl. The kernels since 6.17 no longer have several of them; scxx
 * maps them onto what the running kernel has.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

enum { FIFO_DSQ = 1, VTIME_DSQ = 2, SCRATCH_DSQ = 3 };

enum {
	ST_DIRECT,        /* dispatched to an idle CPU from select_cpu */
	ST_FIFO,          /* scx_bpf_dispatch to the FIFO DSQ */
	ST_VTIME,         /* scx_bpf_dispatch_vtime to the vtime DSQ */
	ST_CONSUMED,      /* scx_bpf_consume succeeded */
	ST_KICK_IDLE,     /* scx_bpf_kick_cpu(SCX_KICK_IDLE) calls */
	ST_KICK_PREEMPT,  /* scx_bpf_kick_cpu(SCX_KICK_PREEMPT) calls */
	ST_QUEUED_SEEN,   /* dispatch found tasks queued (scx_bpf_dsq_nr_queued) */
	ST_SCRATCH_GONE,  /* a created, then destroyed DSQ reads -ENOENT */
	ST_NR,
};

SCXX_COUNTERS(stats, ST_NR);

static u64 vtime_now;

s32 SCXX_OP(old_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	if (idle) {
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
		scxx_counter_add(&stats, ST_DIRECT, 1);
	}
	return cpu;
}

void SCXX_OP(old_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (p->pid & 1) {
		u64 vtime = p->scx.dsq_vtime;

		if (scxx_time_before(vtime, vtime_now - SCX_SLICE_DFL))
			vtime = vtime_now - SCX_SLICE_DFL;
		scx_bpf_dispatch_vtime(p, VTIME_DSQ, SCX_SLICE_DFL, vtime, enq_flags);
		scxx_counter_add(&stats, ST_VTIME, 1);
	} else {
		scx_bpf_dispatch(p, FIFO_DSQ, SCX_SLICE_DFL, enq_flags);
		scxx_counter_add(&stats, ST_FIFO, 1);
	}
	/* Wake a CPU for it if one is idle (a no-op otherwise). */
	scx_bpf_kick_cpu(scx_bpf_pick_any_cpu(p->cpus_ptr, 0), SCX_KICK_IDLE);
	scxx_counter_add(&stats, ST_KICK_IDLE, 1);
}

void SCXX_OP(old_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_dsq_nr_queued(FIFO_DSQ) + scx_bpf_dsq_nr_queued(VTIME_DSQ) > 0)
		scxx_counter_add(&stats, ST_QUEUED_SEEN, 1);
	if (scx_bpf_consume(FIFO_DSQ) || scx_bpf_consume(VTIME_DSQ))
		scxx_counter_add(&stats, ST_CONSUMED, 1);
}

void SCXX_OP(old_tick, struct task_struct *p)
{
	/* Others are waiting: cut the running task's slice short. */
	if (scx_bpf_dsq_nr_queued(FIFO_DSQ) + scx_bpf_dsq_nr_queued(VTIME_DSQ) > 0) {
		scx_bpf_kick_cpu(scx_bpf_task_cpu(p), SCX_KICK_PREEMPT);
		scxx_counter_add(&stats, ST_KICK_PREEMPT, 1);
	}
}

void SCXX_OP(old_running, struct task_struct *p)
{
	if (scxx_time_after(p->scx.dsq_vtime, vtime_now))
		vtime_now = p->scx.dsq_vtime;
}

void SCXX_OP(old_stopping, struct task_struct *p, bool runnable)
{
	p->scx.dsq_vtime += scxx_scale_by_weight_inverse(p, SCX_SLICE_DFL - p->scx.slice);
}

void SCXX_OP(old_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 SCXX_OP_SLEEPABLE(old_init)
{
	s32 err = scx_bpf_create_dsq(FIFO_DSQ, -1);

	if (!err)
		err = scx_bpf_create_dsq(VTIME_DSQ, -1);
	if (!err)
		err = scx_bpf_create_dsq(SCRATCH_DSQ, -1);
	if (err)
		return err;
	scx_bpf_destroy_dsq(SCRATCH_DSQ);
	if (scx_bpf_dsq_nr_queued(SCRATCH_DSQ) == -2 /* -ENOENT */)
		scxx_counter_add(&stats, ST_SCRATCH_GONE, 1);
	return 0;
}

SCXX_SCHEDULER(oldnames_ops,
	       .select_cpu = (void *)old_select_cpu,
	       .enqueue = (void *)old_enqueue,
	       .dispatch = (void *)old_dispatch,
	       .tick = (void *)old_tick,
	       .running = (void *)old_running,
	       .stopping = (void *)old_stopping,
	       .enable = (void *)old_enable,
	       .init = (void *)old_init,
	       .name = "oldnames");
