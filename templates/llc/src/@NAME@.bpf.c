/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * @NAME@: a queue per last-level cache (LLC), in weighted virtual time. A waking task goes to an
 * idle CPU chosen idle-core-first from the CPU it last ran on; otherwise it queues on that CPU's
 * LLC, so it stays near the cache it warmed. A CPU whose LLC's queue is empty and that would
 * otherwise idle steals from another's. The topology comes from the loader
 * (scxx/topology.bpf.h): scxx::open() fills it in.
 */
#include <scxx/scxx.bpf.h>
#include <scxx/context.bpf.h>
#include <scxx/topology.bpf.h>
#include "@NAME@.h"

char _license[] SEC("license") = "GPL";

SCXX_STATS_MAP(@NAME@_stats);

struct llc_ctx {
	u64 vtime_now; /* the vtime of the task that most recently started running here */
};
SCXX_LLC_CTX(llcs, struct llc_ctx);

struct task_ctx {
	u32 llc; /* the LLC whose clock its vtime is on */
};
SCXX_TASK_CTX(tasks, struct task_ctx);

/*
 * Each LLC's clock runs at its own pace (where more tasks share a CPU, each gets less time): a task
 * coming from another LLC moves to the clock of LLC (context L), with the credit it had there (at
 * most a slice). A vtime brought along far ahead would wait until this LLC's tasks caught up.
 */
static void join_llc(struct task_struct *p, u32 llc, const struct llc_ctx *l)
{
	struct task_ctx *t = scxx_task_ctx(tasks, p);
	struct llc_ctx *from;
	u64 credit = 0;

	if (!t || t->llc == llc)
		return;
	from = scxx_llc_ctx(llcs, t->llc);
	if (from && scxx_time_before(p->scx.dsq_vtime, from->vtime_now))
		credit = from->vtime_now - p->scx.dsq_vtime;
	p->scx.dsq_vtime = l->vtime_now - (credit < SCX_SLICE_DFL ? credit : SCX_SLICE_DFL);
	t->llc = llc;
}

s32 SCXX_OP(@NAME@_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	enum scxx_idle_level level;
	s32 cpu = scxx_topo_pick_idle(p, prev_cpu, wake_flags, &level);

	if (cpu < 0)
		return prev_cpu;
	if (level == SCXX_IDLE_NODE || level == SCXX_IDLE_ANY)
		scxx_stat_inc(@NAME@_stats, woke_elsewhere);
	else
		scxx_stat_inc(@NAME@_stats, woke_in_llc);
	scxx_dsq_insert(p, scxx_dsq_local(), SCX_SLICE_DFL, 0);
	return cpu;
}

void SCXX_OP(@NAME@_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 llc = scxx_topo_llc_of(scxx_task_cpu(p));
	struct llc_ctx *l = scxx_llc_ctx(llcs, llc);
	u64 vtime;
	s32 cpu;

	if (!l) { /* a CPU the topology does not know (hotplugged since load): LLC 0 */
		llc = 0;
		l = scxx_llc_ctx(llcs, 0);
		if (!l)
			return;
	}
	join_llc(p, llc, l);
	vtime = p->scx.dsq_vtime;
	/* A task that slept for long must not bank more than one slice of credit. */
	if (scxx_time_before(vtime, l->vtime_now - SCX_SLICE_DFL))
		vtime = l->vtime_now - SCX_SLICE_DFL;
	scxx_stat_inc(@NAME@_stats, enqueued);
	scxx_dsq_insert_vtime(p, scxx_topo_llc_dsq(llc), SCX_SLICE_DFL, vtime, enq_flags);
	/* Wake an idle CPU that may run it: it runs it, or steals it from another LLC. */
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0)
		scxx_kick_cpu(cpu, SCX_KICK_IDLE);
}

/* Charges P for the part of its slice it used, inversely to its weight. */
static void charge(struct task_struct *p)
{
	p->scx.dsq_vtime += scxx_scale_by_weight_inverse(p, SCX_SLICE_DFL - p->scx.slice);
}

void SCXX_OP(@NAME@_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 own = scxx_topo_llc_of(cpu), llc;
	/* PREV used up its slice: the kernel asks before it queues PREV again. */
	bool has_prev = prev && (prev->scx.flags & SCX_TASK_QUEUED);

	if (has_prev) {
		charge(prev);
		prev->scx.slice = SCX_SLICE_DFL; /* stopping() charges only what it uses from here */
	}
	if (own != SCXX_TOPO_NONE) {
		/* PREV runs on unless a task of its LLC's queue comes first: CPU time by weight. */
		if (has_prev && !scxx_dsq_first_before(scxx_topo_llc_dsq(own), cpu, prev->scx.dsq_vtime))
			return;
		if (scxx_dsq_move_to_local(scxx_topo_llc_dsq(own))) {
			scxx_stat_inc(@NAME@_stats, dispatched);
			return;
		}
	}
	/* Only a CPU that would otherwise idle steals from another LLC. */
	if (has_prev)
		return;
	bpf_for(llc, 0, scxx_topo_nr_llcs()) {
		if (llc != own && scxx_dsq_move_to_local(scxx_topo_llc_dsq(llc))) {
			scxx_stat_inc(@NAME@_stats, stolen);
			return;
		}
	}
}

void SCXX_OP(@NAME@_running, struct task_struct *p)
{
	u32 llc = scxx_topo_llc_of(scxx_task_cpu(p));
	struct llc_ctx *l = scxx_llc_ctx(llcs, llc);

	if (!l)
		return;
	join_llc(p, llc, l); /* placed here by select_cpu or stolen */
	if (scxx_time_after(p->scx.dsq_vtime, l->vtime_now))
		l->vtime_now = p->scx.dsq_vtime;
}

void SCXX_OP(@NAME@_stopping, struct task_struct *p, bool runnable)
{
	charge(p);
}

void SCXX_OP(@NAME@_enable, struct task_struct *p)
{
	u32 llc = scxx_topo_llc_of(scxx_task_cpu(p));
	struct llc_ctx *l = scxx_llc_ctx(llcs, llc);
	struct task_ctx *t = scxx_task_ctx(tasks, p);

	p->scx.dsq_vtime = l ? l->vtime_now : 0;
	if (t)
		t->llc = llc;
}

s32 SCXX_OP_SLEEPABLE(@NAME@_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return scxx_task_ctx_create(tasks, p) ? 0 : -ENOMEM;
}

s32 SCXX_OP_SLEEPABLE(@NAME@_init)
{
	s32 ret = scxx_topo_init();

	return ret ?: scxx_topo_create_llc_dsqs();
}

SCXX_SCHEDULER(@NAME@_ops,
	       .select_cpu = (void *)@NAME@_select_cpu,
	       .enqueue = (void *)@NAME@_enqueue,
	       .dispatch = (void *)@NAME@_dispatch,
	       .running = (void *)@NAME@_running,
	       .stopping = (void *)@NAME@_stopping,
	       .enable = (void *)@NAME@_enable,
	       .init_task = (void *)@NAME@_init_task,
	       .init = (void *)@NAME@_init,
	       .name = "@NAME@");
