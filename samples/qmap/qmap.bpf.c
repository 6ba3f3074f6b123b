/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * qmap: five priority FIFOs held in BPF queue maps (of pids). A task's queue follows its weight,
 * i.e. its nice value: nice 0 lands in queue 2, lower nice values higher, higher ones lower. Each
 * CPU serves the queues in turn from the highest, taking up to 2^i tasks from queue i per visit,
 * so higher priorities get more turns and no queue starves. ops.dump and ops.dump_task describe
 * the queues and each task's place in the kernel's debug dump; --fail-after forces an error to
 * show it.
 */
#include <scxx/scxx.bpf.h>
#include "qmap.h"

char _license[] SEC("license") = "GPL";

const volatile u64 fail_after_ns = 0; /* 0: never; else scxx_error() this long after init */

#define SHARED_DSQ scxx_dsq_user(0)

SCXX_STATS_MAP(qmap_stats);

struct pid_queue {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4096);
	__type(value, u32);
};
struct pid_queue queue0 SEC(".maps"), queue1 SEC(".maps"), queue2 SEC(".maps"), queue3 SEC(".maps"),
	queue4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, QMAP_NR_QUEUES);
	__type(key, u32);
	__array(values, struct pid_queue);
} queues SEC(".maps") = {
	.values = { &queue0, &queue1, &queue2, &queue3, &queue4 },
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);
	__type(value, struct qmap_task);
} tasks SEC(".maps");

/* Where each CPU is in its round over the queues. */
struct round {
	u32 queue;
	u32 budget;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct round);
} rounds SEC(".maps");

s64 nr_queued[QMAP_NR_QUEUES]; /* tasks in each queue now (the loader and ops.dump read it) */
u64 nr_enqueued[QMAP_NR_QUEUES]; /* tasks queued in each queue so far (the loader reads it) */
static u64 started_at;

/* Weight 100 is nice 0; nice -10 is about 930, nice 5 about 33, nice 15 about 4. */
static u32 queue_of(const struct task_struct *p)
{
	u32 w = p->scx.weight;

	if (w < 10)
		return 0;
	if (w < 50)
		return 1;
	if (w < 150)
		return 2;
	if (w < 500)
		return 3;
	return 4;
}

s32 SCXX_OP(qmap_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool direct = false;
	s32 cpu = scxx_select_cpu_direct(p, prev_cpu, wake_flags, SCX_SLICE_DFL, &direct);

	if (direct)
		scxx_stat_inc(qmap_stats, direct);
	return cpu;
}

void SCXX_OP(qmap_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 idx = queue_of(p), key = idx, pid = p->pid;
	struct qmap_task *t, fresh = {};
	void *q = bpf_map_lookup_elem(&queues, &key);

	barrier_var(idx); /* the verifier must see the bound on the register that indexes nr_queued */
	if (idx >= QMAP_NR_QUEUES || !q || bpf_map_push_elem(q, &pid, 0)) {
		scxx_stat_inc(qmap_stats, overflow);
		scxx_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
		return;
	}
	__sync_fetch_and_add(&nr_queued[idx], 1);
	__sync_fetch_and_add(&nr_enqueued[idx], 1);
	scxx_stat_inc(qmap_stats, enqueued);
	t = bpf_map_lookup_elem(&tasks, &pid);
	if (!t) {
		bpf_map_update_elem(&tasks, &pid, &fresh, BPF_ANY);
		t = bpf_map_lookup_elem(&tasks, &pid);
	}
	if (t) {
		t->queue = idx;
		t->enqueues++;
	}
}

/* Pops the next pid due on this CPU's round; false when every queue is empty. */
static bool pop_next(u32 *pid)
{
	u32 zero = 0, i;
	struct round *r = bpf_map_lookup_elem(&rounds, &zero);

	if (!r)
		return false;
	bpf_for(i, 0, 2 * QMAP_NR_QUEUES) {
		if (r->budget == 0) { /* next queue, from the highest down, then around */
			r->queue = r->queue == 0 ? QMAP_NR_QUEUES - 1 : r->queue - 1;
			r->budget = 1 << r->queue;
		}
		u32 idx = r->queue, key = idx;
		void *q = bpf_map_lookup_elem(&queues, &key);

		barrier_var(idx);
		if (idx >= QMAP_NR_QUEUES || !q || bpf_map_pop_elem(q, pid)) {
			r->budget = 0;
			continue;
		}
		r->budget--;
		__sync_fetch_and_sub(&nr_queued[idx], 1);
		return true;
	}
	return false;
}

void SCXX_OP(qmap_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;
	u32 pid, i;

	if (fail_after_ns && scxx_time_after(scxx_now(), started_at + fail_after_ns)) {
		scxx_error("qmap: forced error (--fail-after) to show the debug dump");
		return;
	}
	/* A popped pid may belong to a task that has exited or was dequeued meanwhile: try a few. */
	bpf_for(i, 0, 8) {
		if (!pop_next(&pid))
			break;
		p = bpf_task_from_pid(pid);
		if (!p)
			continue;
		scxx_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, 0);
		bpf_task_release(p);
		scxx_stat_inc(qmap_stats, dispatched);
		break;
	}
	scxx_dsq_move_to_local(SHARED_DSQ);
}

void SCXX_OP(qmap_dump, struct scx_dump_ctx *dctx)
{
	u32 i;

	bpf_for(i, 0, QMAP_NR_QUEUES)
		scxx_dump("qmap: queue %u holds %lld tasks\n", i, nr_queued[i]);
}

void SCXX_OP(qmap_dump_task, struct scx_dump_ctx *dctx, struct task_struct *p)
{
	u32 pid = p->pid;
	struct qmap_task *t = bpf_map_lookup_elem(&tasks, &pid);

	if (t)
		scxx_dump("qmap: queue=%u enqueues=%llu", t->queue, t->enqueues);
}

s32 SCXX_OP_SLEEPABLE(qmap_init)
{
	started_at = scxx_now();
	return scxx_dsq_create(SHARED_DSQ, -1);
}

SCXX_SCHEDULER(qmap_ops,
	       .select_cpu = (void *)qmap_select_cpu,
	       .enqueue = (void *)qmap_enqueue,
	       .dispatch = (void *)qmap_dispatch,
	       .dump = (void *)qmap_dump,
	       .dump_task = (void *)qmap_dump_task,
	       .init = (void *)qmap_init,
	       .name = "qmap");
