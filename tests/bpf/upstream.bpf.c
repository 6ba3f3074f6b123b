/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A scheduler in the style of the kernel's examples, written against <scx/common.bpf.h>:
 * BPF_STRUCT_OPS, SCX_OPS_DEFINE, UEI_DEFINE/UEI_RECORD, scx_bpf_error, bpf_for, bpf_for_each over a
 * DSQ with BPF_FOR_EACH_ITER, MEMBER_VPTR, ARRAY_ELEM_PTR, RESIZABLE_ARRAY, the __COMPAT_*
 * wrappers, time_before/time_after, scale_by_task_weight_inverse, READ_ONCE/WRITE_ONCE.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

#define SHARED_DSQ 0

enum {
	ST_ENQUEUED,      /* queued on the shared DSQ */
	ST_CONSUMED,      /* scx_bpf_dsq_move_to_local() moved one */
	ST_ITER_MOVED,    /* moved through bpf_for_each(scx_dsq) and __COMPAT_scx_bpf_dsq_move() */
	ST_HIST,          /* MEMBER_VPTR-guarded histogram updates */
	ST_PER_CPU,       /* ARRAY_ELEM_PTR-guarded RESIZABLE_ARRAY updates */
	ST_NOT_SELECTED,  /* enqueues that skipped ops.select_cpu */
	ST_NR,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ST_NR);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

static void stat_inc(u32 idx)
{
	u64 *cnt = bpf_map_lookup_elem(&stats, &idx);

	if (cnt)
		(*cnt)++;
}

const volatile u32 nr_cpu_slots = 1;
u64 RESIZABLE_ARRAY(data, per_cpu_runs);
u64 hist[4];
u64 hist_total;
static u64 vtime_now;
static u64 nr_dispatches;

s32 BPF_STRUCT_OPS(up_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	if (is_idle)
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	return cpu;
}

void BPF_STRUCT_OPS(up_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 vtime = p->scx.dsq_vtime;

	if (!__COMPAT_is_enq_cpu_selected(enq_flags))
		stat_inc(ST_NOT_SELECTED);
	if (time_before(vtime, vtime_now - SCX_SLICE_DFL))
		vtime = vtime_now - SCX_SLICE_DFL;
	scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, SCX_SLICE_DFL, vtime, enq_flags);
	stat_inc(ST_ENQUEUED);
}

void BPF_STRUCT_OPS(up_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;

	/* Every fourth time, take the head through the DSQ iterator, with half a slice. */
	if (!(++nr_dispatches % 4)) {
		bpf_for_each(scx_dsq, p, SHARED_DSQ, 0) {
			if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
				break; /* pinned elsewhere: leave it to its CPU */
			__COMPAT_scx_bpf_dsq_move_set_slice(BPF_FOR_EACH_ITER, SCX_SLICE_DFL / 2);
			if (__COMPAT_scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0)) {
				stat_inc(ST_ITER_MOVED);
				return;
			}
			break; /* only the head: keeps the verifier's loop check short */
		}
	}
	if (scx_bpf_dsq_move_to_local(SHARED_DSQ))
		stat_inc(ST_CONSUMED);
}

void BPF_STRUCT_OPS(up_running, struct task_struct *p)
{
	u64 *slot = MEMBER_VPTR(hist, [p->pid & 3]);
	u64 *mine = ARRAY_ELEM_PTR(per_cpu_runs, bpf_get_smp_processor_id() % nr_cpu_slots, nr_cpu_slots);
	u32 i;

	if (time_after(p->scx.dsq_vtime, READ_ONCE(vtime_now)))
		WRITE_ONCE(vtime_now, p->scx.dsq_vtime);
	if (slot) {
		(*slot)++;
		stat_inc(ST_HIST);
	}
	if (mine) {
		(*mine)++;
		stat_inc(ST_PER_CPU);
	}
	/* Accumulate in memory: a register that grows every iteration keeps the verifier from
	 * proving the loop converges. */
	bpf_for(i, 0, 4)
		hist_total += hist[i];
}

void BPF_STRUCT_OPS(up_stopping, struct task_struct *p, bool runnable)
{
	p->scx.dsq_vtime += scale_by_task_weight_inverse(p, SCX_SLICE_DFL - p->scx.slice);
}

void BPF_STRUCT_OPS(up_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(up_init)
{
	s32 ret = scx_bpf_create_dsq(SHARED_DSQ, -1);

	if (ret)
		scx_bpf_error("failed to create DSQ %d (%d)", SHARED_DSQ, ret);
	return ret;
}

void BPF_STRUCT_OPS(up_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(upstream_ops,
	       .select_cpu = (void *)up_select_cpu,
	       .enqueue = (void *)up_enqueue,
	       .dispatch = (void *)up_dispatch,
	       .running = (void *)up_running,
	       .stopping = (void *)up_stopping,
	       .enable = (void *)up_enable,
	       .init = (void *)up_init,
	       .exit = (void *)up_exit,
	       .name = "upstream");
