/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * @NAME@: weighted fair sharing. Tasks wait in one queue ordered by virtual time; a task's vtime
 * grows by the time it ran divided by its weight, so a task of twice the weight gets twice the CPU.
 */
#include <scxx/scxx.bpf.h>
#include "@NAME@.h"

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ scxx_dsq_user(0)

SCXX_STATS_MAP(@NAME@_stats);

/* The vtime of the task that most recently started running: the queue's "now". */
static u64 vtime_now;

s32 SCXX_OP(@NAME@_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool direct = false;

	return scxx_select_cpu_direct(p, prev_cpu, wake_flags, SCX_SLICE_DFL, &direct);
}

void SCXX_OP(@NAME@_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 vtime = p->scx.dsq_vtime;

	/* A task that slept for long must not bank more than one slice of credit. */
	if (scxx_time_before(vtime, vtime_now - SCX_SLICE_DFL))
		vtime = vtime_now - SCX_SLICE_DFL;
	scxx_stat_inc(@NAME@_stats, enqueued);
	scxx_dsq_insert_vtime(p, SHARED_DSQ, SCX_SLICE_DFL, vtime, enq_flags);
}

/* Charges P for the part of its slice it used, inversely to its weight. */
static void charge(struct task_struct *p)
{
	p->scx.dsq_vtime += scxx_scale_by_weight_inverse(p, SCX_SLICE_DFL - p->scx.slice);
}

void SCXX_OP(@NAME@_dispatch, s32 cpu, struct task_struct *prev)
{
	/*
	 * PREV used up its slice (the kernel asks before it queues PREV again, so it is not in the
	 * queue): charge it now and let it run on unless a queued task comes first. Otherwise tasks
	 * sharing a CPU would take turns a slice each, whatever their weights.
	 */
	if (prev && (prev->scx.flags & SCX_TASK_QUEUED)) {
		charge(prev);
		prev->scx.slice = SCX_SLICE_DFL; /* stopping() charges only what it uses from here */
		if (!scxx_dsq_first_before(SHARED_DSQ, cpu, prev->scx.dsq_vtime))
			return;
	}
	if (scxx_dsq_move_to_local(SHARED_DSQ))
		scxx_stat_inc(@NAME@_stats, dispatched);
}

void SCXX_OP(@NAME@_running, struct task_struct *p)
{
	if (scxx_time_after(p->scx.dsq_vtime, vtime_now))
		vtime_now = p->scx.dsq_vtime;
}

void SCXX_OP(@NAME@_stopping, struct task_struct *p, bool runnable)
{
	charge(p);
}

void SCXX_OP(@NAME@_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 SCXX_OP_SLEEPABLE(@NAME@_init)
{
	return scxx_dsq_create(SHARED_DSQ, -1);
}

SCXX_SCHEDULER(@NAME@_ops,
	       .select_cpu = (void *)@NAME@_select_cpu,
	       .enqueue = (void *)@NAME@_enqueue,
	       .dispatch = (void *)@NAME@_dispatch,
	       .running = (void *)@NAME@_running,
	       .stopping = (void *)@NAME@_stopping,
	       .enable = (void *)@NAME@_enable,
	       .init = (void *)@NAME@_init,
	       .name = "@NAME@");
