/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * minimal: the smallest useful sched_ext scheduler.
 *
 * Every task goes through one shared dispatch queue. By default the queue is ordered by weighted
 * virtual time (a task's vtime advances by the time it ran, scaled down by its weight, so heavier
 * tasks get proportionally more CPU); with fifo set it is first-come-first-served. A task that wakes
 * up while a CPU is idle skips the queue and goes straight to that CPU.
 */
#include <scxx/scxx.bpf.h>
#include "minimal.h"

char _license[] SEC("license") = "GPL";

const volatile bool fifo = false; /* set by the loader before load */

#define SHARED_DSQ 0

SCXX_COUNTERS(stats, MINIMAL_NR_STATS);

/* The vtime of the task that most recently started running: the queue's "now". */
static u64 vtime_now;

s32 SCXX_OP(minimal_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scxx_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	if (idle) {
		scxx_counter_add(&stats, MINIMAL_STAT_DIRECT, 1);
		scxx_dsq_insert(p, scxx_dsq_local(), SCX_SLICE_DFL, 0);
	}
	return cpu;
}

void SCXX_OP(minimal_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_counter_add(&stats, MINIMAL_STAT_ENQUEUED, 1);
	if (fifo) {
		scxx_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
		return;
	}
	/* A task that slept long must not bank more than one slice of credit. */
	u64 vtime = p->scx.dsq_vtime;
	if (scxx_time_before(vtime, vtime_now - SCX_SLICE_DFL))
		vtime = vtime_now - SCX_SLICE_DFL;
	scxx_dsq_insert_vtime(p, SHARED_DSQ, SCX_SLICE_DFL, vtime, enq_flags);
}

void SCXX_OP(minimal_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scxx_dsq_move_to_local(SHARED_DSQ))
		scxx_counter_add(&stats, MINIMAL_STAT_DISPATCHED, 1);
}

void SCXX_OP(minimal_running, struct task_struct *p)
{
	if (!fifo && scxx_time_after(p->scx.dsq_vtime, vtime_now))
		vtime_now = p->scx.dsq_vtime;
}

void SCXX_OP(minimal_stopping, struct task_struct *p, bool runnable)
{
	if (fifo)
		return;
	/* Charge the used part of the slice, inversely to the weight (100 = nice 0). */
	p->scx.dsq_vtime += scxx_scale_by_weight_inverse(p, SCX_SLICE_DFL - p->scx.slice);
}

void SCXX_OP(minimal_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 SCXX_OP_SLEEPABLE(minimal_init)
{
	return scxx_dsq_create(SHARED_DSQ, -1);
}

SCXX_SCHEDULER(minimal_ops,
	       .select_cpu = (void *)minimal_select_cpu,
	       .enqueue = (void *)minimal_enqueue,
	       .dispatch = (void *)minimal_dispatch,
	       .running = (void *)minimal_running,
	       .stopping = (void *)minimal_stopping,
	       .enable = (void *)minimal_enable,
	       .init = (void *)minimal_init,
	       .name = "minimal");
