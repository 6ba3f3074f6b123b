/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Exercises scxx's portable BPF API group by group, counting each call that took effect; ends
 * itself through scxx_exit() once it has made EXIT_AFTER enqueue decisions.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

#define USER_DSQ scxx_dsq_user(10)
#define VTIME_DSQ scxx_dsq_user(11)
#define EMPTY_DSQ scxx_dsq_user(12) /* created, never used */

enum {
	ST_SELECT_AND,    /* scxx_select_cpu_and found an idle CPU */
	ST_INSERT_GLOBAL, /* scxx_dsq_insert(scxx_dsq_global()) */
	ST_INSERT_USER,   /* scxx_dsq_insert(scxx_dsq_user()) */
	ST_INSERT_LOCAL_ON, /* scxx_dsq_insert(scxx_dsq_local_on(idle cpu)) + scxx_kick_cpu(IDLE) */
	ST_PICK_ANY,      /* scxx_pick_any_cpu returned a CPU */
	ST_INSERT_VTIME,  /* scxx_dsq_insert_vtime after scxx_task_set_vtime */
	ST_NR_QUEUED,     /* scxx_dsq_nr_queued saw queued tasks */
	ST_MOVE_VTIME,    /* scxx_dsq_move_vtime (after scxx_dsq_move_set_vtime) moved a task */
	ST_MOVE_TO_LOCAL, /* scxx_dsq_move_to_local moved a task */
	ST_NOW_FORWARD,   /* scxx_now() did not go backwards on this CPU */
	ST_NOW_BACKWARD,  /* scxx_now() went backwards on this CPU (must stay 0) */
	ST_EVENTS,        /* scxx_events filled the kernel's counters */
	ST_SET_SLICE,     /* scxx_task_set_slice shortened a running task's slice */
	ST_KICK_PREEMPT,  /* scxx_kick_cpu(SCX_KICK_PREEMPT) */
	ST_IDLE_MASK,     /* read the idle cpumask through a self-releasing pointer */
	ST_BPF_CPUMASK,   /* built a bpf_cpumask through a self-releasing pointer */
	ST_PEEK,          /* scxx_dsq_peek found the head of a non-empty DSQ */
	ST_PEEK_EMPTY,    /* scxx_dsq_peek found a task in an empty DSQ (must stay 0) */
	ST_TASK_CPU,      /* scxx_task_cpu of the running task agreed with scx_bpf_task_cpu */
	ST_TASK_CPU_DIFF, /* scxx_task_cpu disagreed with scx_bpf_task_cpu (must stay 0) */
	ST_RUNNING_REMOTE, /* ops.running ran on another CPU than its task's (apitest.sh renices a hog) */
	ST_STOPPING_REMOTE, /* ops.stopping did, likewise */
	ST_NR,
};

SCXX_COUNTERS(stats, ST_NR);

const volatile u64 exit_after = 3000;

static u64 nr_enqueues;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} last_now SEC(".maps");

s32 SCXX_OP(api_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	s32 cpu = scxx_select_cpu_and(p, prev_cpu, wake_flags, p->cpus_ptr, 0);

	if (cpu >= 0) {
		scxx_counter_add(&stats, ST_SELECT_AND, 1);
		scxx_dsq_insert(p, scxx_dsq_local(), SCX_SLICE_DFL, 0);
		return cpu;
	}
	return prev_cpu;
}

void SCXX_OP(api_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 n = __sync_fetch_and_add(&nr_enqueues, 1) + 1;
	s32 cpu;

	if (n == exit_after)
		scxx_exit(42, "apitest done after %llu enqueues", n);

	switch (n % 4) {
	case 0:
		scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
		scxx_counter_add(&stats, ST_INSERT_GLOBAL, 1);
		return;
	case 1:
		cpu = scxx_pick_idle_cpu(p->cpus_ptr, 0);
		if (cpu >= 0) {
			scxx_dsq_insert(p, scxx_dsq_local_on(cpu), SCX_SLICE_DFL, enq_flags);
			scxx_kick_cpu(cpu, SCX_KICK_IDLE);
			scxx_counter_add(&stats, ST_INSERT_LOCAL_ON, 1);
			return;
		}
		break;
	case 2:
		if (scxx_pick_any_cpu(p->cpus_ptr, 0) >= 0)
			scxx_counter_add(&stats, ST_PICK_ANY, 1);
		scxx_task_set_vtime(p, scxx_now());
		scxx_dsq_insert_vtime(p, VTIME_DSQ, SCX_SLICE_DFL, p->scx.dsq_vtime, enq_flags);
		scxx_counter_add(&stats, ST_INSERT_VTIME, 1);
		return;
	}
	scxx_dsq_insert(p, USER_DSQ, SCX_SLICE_DFL, enq_flags);
	scxx_counter_add(&stats, ST_INSERT_USER, 1);
}

void SCXX_OP(api_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;

	if (scxx_dsq_nr_queued(USER_DSQ) > 0) {
		scxx_counter_add(&stats, ST_NR_QUEUED, 1);
		if (scxx_dsq_peek(USER_DSQ))
			scxx_counter_add(&stats, ST_PEEK, 1);
	}
	if (scxx_dsq_peek(EMPTY_DSQ))
		scxx_counter_add(&stats, ST_PEEK_EMPTY, 1);
	/* Move the head of the FIFO DSQ into the vtime DSQ, stamped with the current time. */
	scxx_dsq_for_each(p, USER_DSQ) {
		scxx_dsq_move_set_vtime(SCXX_FOR_EACH_ITER, scxx_now());
		if (scxx_dsq_move_vtime(SCXX_FOR_EACH_ITER, p, VTIME_DSQ, 0))
			scxx_counter_add(&stats, ST_MOVE_VTIME, 1);
		break;
	}
	if (scxx_dsq_move_to_local(VTIME_DSQ) || scxx_dsq_move_to_local(USER_DSQ))
		scxx_counter_add(&stats, ST_MOVE_TO_LOCAL, 1);

	{
		const struct cpumask *idle __scxx_free_idle_cpumask = scx_bpf_get_idle_cpumask();

		if (bpf_cpumask_weight(idle) <= scx_bpf_nr_cpu_ids())
			scxx_counter_add(&stats, ST_IDLE_MASK, 1);
	}
}

void SCXX_OP(api_running, struct task_struct *p)
{
	u32 zero = 0;
	u64 *last = bpf_map_lookup_elem(&last_now, &zero);
	u64 now = scxx_now();

	if (last) {
		scxx_counter_add(&stats, now >= *last ? ST_NOW_FORWARD : ST_NOW_BACKWARD, 1);
		*last = now;
	}
	/*
	 * Not compared with bpf_get_smp_processor_id(): ops.running also runs on another CPU when
	 * that CPU changes a running task's class, affinity or weight under its runqueue's lock.
	 */
	scxx_counter_add(&stats, scxx_task_cpu(p) == scx_bpf_task_cpu(p) ? ST_TASK_CPU : ST_TASK_CPU_DIFF, 1);
	if (scxx_task_cpu(p) != (s32)bpf_get_smp_processor_id())
		scxx_counter_add(&stats, ST_RUNNING_REMOTE, 1);
	if (!(nr_enqueues % 64)) {
		struct scx_event_stats events;

		if (scxx_events(&events, sizeof(events)))
			scxx_counter_add(&stats, ST_EVENTS, 1);
	}
}

void SCXX_OP(api_stopping, struct task_struct *p, bool runnable)
{
	if (scxx_task_cpu(p) != (s32)bpf_get_smp_processor_id())
		scxx_counter_add(&stats, ST_STOPPING_REMOTE, 1);
}

void SCXX_OP(api_tick, struct task_struct *p)
{
	if (scxx_dsq_nr_queued(USER_DSQ) + scxx_dsq_nr_queued(VTIME_DSQ) <= 0)
		return;
	if (p->scx.slice > SCX_SLICE_DFL / 4) {
		scxx_task_set_slice(p, SCX_SLICE_DFL / 4);
		scxx_counter_add(&stats, ST_SET_SLICE, 1);
	}
	scxx_kick_cpu(bpf_get_smp_processor_id() ^ 1, SCX_KICK_PREEMPT);
	scxx_counter_add(&stats, ST_KICK_PREEMPT, 1);
}

s32 SCXX_OP_SLEEPABLE(api_init)
{
	s32 err = scxx_dsq_create(USER_DSQ, -1);
	struct bpf_cpumask *mask __scxx_free_bpf_cpumask = bpf_cpumask_create();

	if (mask) {
		bpf_cpumask_set_cpu(0, mask);
		if (bpf_cpumask_test_cpu(0, scxx_cast_mask(mask)))
			scxx_counter_add(&stats, ST_BPF_CPUMASK, 1);
	}

	err = err ?: scxx_dsq_create(VTIME_DSQ, -1);
	return err ?: scxx_dsq_create(EMPTY_DSQ, -1);
}

SCXX_SCHEDULER(apitest_ops,
	       .select_cpu = (void *)api_select_cpu,
	       .enqueue = (void *)api_enqueue,
	       .dispatch = (void *)api_dispatch,
	       .running = (void *)api_running,
	       .stopping = (void *)api_stopping,
	       .tick = (void *)api_tick,
	       .init = (void *)api_init,
	       .name = "apitest");
