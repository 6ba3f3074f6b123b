/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * simple: the hello world of scxx, a shared queue in weighted-vtime or FIFO order.
 *
 * Every task goes through one shared dispatch queue. By default the queue is ordered by weighted
 * virtual time (a task's vtime advances by the time it ran, scaled down by its weight, so heavier
 * tasks get proportionally more CPU); with fifo set it is first-come-first-served. A task that wakes
 * up while a CPU is idle skips the queue and goes straight to that CPU.
 */
#include <scxx/scxx.bpf.h>
#include "simple.h"

char _license[] SEC("license") = "GPL";

const volatile bool fifo = false; /* set by the loader before load */

#define SHARED_DSQ scxx_dsq_user(0)

SCXX_STATS_MAP(simple_stats);

/* The vtime of the task that most recently started running: the queue's "now". */
static u64 vtime_now;

s32 SCXX_OP(simple_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool direct = false;
	s32 cpu = scxx_select_cpu_direct(p, prev_cpu, wake_flags, SCX_SLICE_DFL, &direct);

	if (direct)
		scxx_stat_inc(simple_stats, direct);
	return cpu;
}

void SCXX_OP(simple_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_stat_inc(simple_stats, enqueued);
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

/* Charges P for the part of its slice it used, inversely to its weight (100 = nice 0). */
static void charge(struct task_struct *p)
{
	p->scx.dsq_vtime += scxx_scale_by_weight_inverse(p, SCX_SLICE_DFL - p->scx.slice);
}

/*
 * The kernel asks for CPU's next task before it queues PREV (still runnable, its slice used up)
 * again, so PREV is not in the queue to compare with. Charge it now and keep it running if no
 * task this CPU may run has a lower vtime: without this, two tasks sharing a CPU would simply
 * alternate, whatever their weights.
 */
static bool keep_prev(struct task_struct *prev, s32 cpu)
{
	if (fifo || !prev || !(prev->scx.flags & SCX_TASK_QUEUED))
		return false;
	charge(prev);
	prev->scx.slice = SCX_SLICE_DFL; /* stopping() then charges only what it uses from here */
	return !scxx_dsq_first_before(SHARED_DSQ, cpu, prev->scx.dsq_vtime);
}

void SCXX_OP(simple_dispatch, s32 cpu, struct task_struct *prev)
{
	if (keep_prev(prev, cpu))
		scxx_stat_inc(simple_stats, kept);
	else if (scxx_dsq_move_to_local(SHARED_DSQ))
		scxx_stat_inc(simple_stats, dispatched);
}

void SCXX_OP(simple_running, struct task_struct *p)
{
	if (!fifo && scxx_time_after(p->scx.dsq_vtime, vtime_now))
		vtime_now = p->scx.dsq_vtime;
}

void SCXX_OP(simple_stopping, struct task_struct *p, bool runnable)
{
	if (!fifo)
		charge(p);
}

void SCXX_OP(simple_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 SCXX_OP_SLEEPABLE(simple_init)
{
	return scxx_dsq_create(SHARED_DSQ, -1);
}

SCXX_SCHEDULER(simple_ops,
	       .select_cpu = (void *)simple_select_cpu,
	       .enqueue = (void *)simple_enqueue,
	       .dispatch = (void *)simple_dispatch,
	       .running = (void *)simple_running,
	       .stopping = (void *)simple_stopping,
	       .enable = (void *)simple_enable,
	       .init = (void *)simple_init,
	       .name = "simple");
