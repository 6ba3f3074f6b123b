/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * @NAME@: every task goes through one shared first-in-first-out queue; a task that wakes up while
 * a CPU is idle goes straight to that CPU.
 */
#include <scxx/scxx.bpf.h>
#include "@NAME@.h"

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ scxx_dsq_user(0)

SCXX_STATS_MAP(@NAME@_stats);

s32 SCXX_OP(@NAME@_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool direct = false;

	return scxx_select_cpu_direct(p, prev_cpu, wake_flags, SCX_SLICE_DFL, &direct);
}

void SCXX_OP(@NAME@_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_stat_inc(@NAME@_stats, enqueued);
	scxx_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCXX_OP(@NAME@_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scxx_dsq_move_to_local(SHARED_DSQ))
		scxx_stat_inc(@NAME@_stats, dispatched);
}

s32 SCXX_OP_SLEEPABLE(@NAME@_init)
{
	return scxx_dsq_create(SHARED_DSQ, -1);
}

SCXX_SCHEDULER(@NAME@_ops,
	       .select_cpu = (void *)@NAME@_select_cpu,
	       .enqueue = (void *)@NAME@_enqueue,
	       .dispatch = (void *)@NAME@_dispatch,
	       .init = (void *)@NAME@_init,
	       .name = "@NAME@");
