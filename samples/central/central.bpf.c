/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * central: one CPU makes every scheduling decision. Runnable tasks wait in one pending queue; the
 * central CPU, in its ops.dispatch, moves them onto the per-CPU user DSQs of the CPUs that have
 * nothing queued and kicks those CPUs (SCX_KICK_IDLE). The other CPUs only run what they are
 * given, with an unlimited slice: a timer preempts a task that ran past its slice while others wait
 * (SCX_KICK_PREEMPT). When a task becomes runnable while a CPU starves, the central CPU is
 * interrupted to decide at once (SCX_KICK_PREEMPT); otherwise it is only woken if idle.
 */
#include <scxx/scxx.bpf.h>
#include "central.h"

char _license[] SEC("license") = "GPL";

const volatile s32 central_cpu = 0;
const volatile u64 slice_ns = 20 * 1000 * 1000;

#define PENDING_DSQ scxx_dsq_user(CENTRAL_MAX_CPUS) /* user DSQs 0..nr_cpus-1 are the CPUs' own */
#define TICK_NS (5 * 1000 * 1000)
/* An idle CPU that left a task on its queue this long no longer dispatches (it is going offline). */
#define UNRESPONSIVE_NS (4 * TICK_NS)
#define CLOCK_MONOTONIC 1

SCXX_STATS_MAP(central_stats);

/*
 * Per CPU: what it runs (written by ops.running/stopping on that CPU, read by the timer), when the
 * central CPU last gave it a task, and whether it stopped taking the tasks it is given.
 */
struct cpu_state {
	u64 started_at;
	u64 placed_at;
	u32 running;
	u32 unresponsive;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CENTRAL_MAX_CPUS);
	__type(key, u32);
	__type(value, struct cpu_state);
} cpu_states SEC(".maps");

struct central_timer {
	struct bpf_timer timer;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct central_timer);
} timers SEC(".maps");

static u32 nr_cpus;

static scxx_dsq_t cpu_dsq(s32 cpu)
{
	return scxx_dsq_user((u64)cpu);
}

s32 SCXX_OP(central_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu; /* no shortcut to an idle CPU: the central CPU decides */
}


static struct cpu_state *state_of(u32 cpu)
{
	return bpf_map_lookup_elem(&cpu_states, &cpu);
}

/* Moves the first pending task that may run on CPU onto CPU's queue. */
static bool place_on(s32 cpu, struct cpu_state *s)
{
	struct task_struct *p;

	scxx_dsq_for_each(p, PENDING_DSQ) {
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		/* The central CPU's own tasks keep a normal slice; the others run until preempted. */
		scxx_dsq_move_set_slice(SCXX_FOR_EACH_ITER, cpu == central_cpu ? slice_ns : SCX_SLICE_INF);
		if (scxx_dsq_move(SCXX_FOR_EACH_ITER, p, cpu_dsq(cpu), 0)) {
			s->placed_at = scxx_now();
			scxx_stat_inc(central_stats, decisions);
			return true;
		}
	}
	return false;
}

/*
 * True if CPU left the task it was given waiting although it runs nothing. A CPU going offline
 * stops calling ops.dispatch() as soon as it is inactive, while it still shows in the online mask
 * (on 7.x); a task left on its queue then would wait until the kernel restarts the scheduler, and
 * the hotplug itself waits for RCU, whose kthread may be that task.
 */
static bool unresponsive(struct cpu_state *s, s32 cpu, u64 now)
{
	return !s->running && now - s->placed_at >= UNRESPONSIVE_NS && scxx_dsq_nr_queued(cpu_dsq(cpu)) > 0;
}

/* Puts the tasks waiting on CPU's queue back into the pending queue. */
static void take_back(s32 cpu)
{
	struct task_struct *p;

	scxx_dsq_for_each(p, cpu_dsq(cpu)) {
		if (scxx_dsq_move(SCXX_FOR_EACH_ITER, p, PENDING_DSQ, 0))
			scxx_stat_inc(central_stats, taken_back);
	}
}

void SCXX_OP(central_dispatch, s32 cpu, struct task_struct *prev)
{
	struct cpu_state *me = state_of(cpu);
	u32 c;

	if (!me)
		return;
	me->unresponsive = 0; /* it dispatches, so it will take what it is given */
	if (cpu == central_cpu) {
		/* Only online CPUs get work: nothing would ever run it on an offline one. */
		const struct cpumask *online __scxx_free_cpumask = scx_bpf_get_online_cpumask();
		u64 now = scxx_now();

		/* Itself first: it is about to run something, which costs no other CPU a wakeup. */
		if (scxx_dsq_nr_queued(cpu_dsq(cpu)) == 0)
			place_on(cpu, me);
		bpf_for(c, 0, nr_cpus) {
			struct cpu_state *s = state_of(c);

			if (c == central_cpu || !s || !bpf_cpumask_test_cpu(c, online))
				continue;
			if (unresponsive(s, c, now)) {
				take_back(c);
				s->unresponsive = 1;
			}
			if (s->unresponsive)
				scxx_kick_cpu(c, SCX_KICK_IDLE); /* it gets work again once it dispatches */
			else if (scxx_dsq_nr_queued(cpu_dsq(c)) == 0 && place_on(c, s))
				scxx_kick_cpu(c, SCX_KICK_IDLE);
		}
	}
	if (scxx_dsq_move_to_local(cpu_dsq(cpu)))
		scxx_stat_inc(central_stats, local);
}

/*
 * P's CPU, not necessarily this one: the kernel also calls ops.running and ops.stopping from another
 * CPU, one that changes a running task's affinity, class or weight.
 */
void SCXX_OP(central_running, struct task_struct *p)
{
	struct cpu_state *s = state_of(scxx_task_cpu(p));

	if (s) {
		s->started_at = scxx_now();
		s->running = 1;
	}
}

void SCXX_OP(central_stopping, struct task_struct *p, bool runnable)
{
	struct cpu_state *s = state_of(scxx_task_cpu(p));

	if (s)
		s->running = 0;
}

/* True if a responsive online CPU other than the central one runs nothing and has nothing queued. */
static bool cpu_starving(void)
{
	const struct cpumask *online __scxx_free_cpumask = scx_bpf_get_online_cpumask();
	u32 c;

	bpf_for(c, 0, nr_cpus) {
		struct cpu_state *s = state_of(c);

		if (c != central_cpu && s && !s->running && !s->unresponsive && bpf_cpumask_test_cpu(c, online) &&
		    scxx_dsq_nr_queued(cpu_dsq(c)) == 0)
			return true;
	}
	return false;
}

/* Gets the central CPU to decide now: interrupting its task if a CPU starves, else only if idle. */
static void call_central(void)
{
	if (cpu_starving()) {
		scxx_stat_inc(central_stats, wakeups);
		scxx_kick_cpu(central_cpu, SCX_KICK_PREEMPT);
	} else if (bpf_get_smp_processor_id() != central_cpu) {
		scxx_kick_cpu(central_cpu, SCX_KICK_IDLE);
	}
}

void SCXX_OP(central_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_stat_inc(central_stats, enqueued);
	/*
	 * On the central CPU the decision can be made at once: a task woken here runs here next if
	 * nothing else is queued here, which keeps pairs of tasks that wake each other together.
	 */
	if (bpf_get_smp_processor_id() == central_cpu &&
	    scxx_dsq_nr_queued(scxx_dsq_local_on(central_cpu)) + scxx_dsq_nr_queued(cpu_dsq(central_cpu)) == 0 &&
	    bpf_cpumask_test_cpu(central_cpu, p->cpus_ptr)) {
		scxx_stat_inc(central_stats, decisions);
		scxx_dsq_insert(p, scxx_dsq_local_on(central_cpu), slice_ns, enq_flags);
		return;
	}
	scxx_dsq_insert(p, PENDING_DSQ, slice_ns, enq_flags);
	call_central();
}

/*
 * Every TICK_NS: preempts a CPU's task that overran its slice while others wait (in the pending
 * queue or on that CPU's own queue), and calls the central CPU when tasks wait for a decision or
 * wait on a CPU that stopped taking them.
 */
static int tick(void *map, int *key, struct bpf_timer *timer)
{
	bool waiting = scxx_dsq_nr_queued(PENDING_DSQ) > 0, stuck = false;
	u64 now = scxx_now();
	u32 c;

	bpf_for(c, 0, nr_cpus) {
		struct cpu_state *s = state_of(c);

		if (c == central_cpu || !s)
			continue;
		if (s->running && now - s->started_at >= slice_ns &&
		    (waiting || scxx_dsq_nr_queued(cpu_dsq(c)) > 0)) {
			scxx_stat_inc(central_stats, preempts);
			scxx_kick_cpu(c, SCX_KICK_PREEMPT);
		}
		if (unresponsive(s, c, now))
			stuck = true;
	}
	if (waiting || stuck)
		call_central();
	bpf_timer_start(timer, TICK_NS, 0);
	return 0;
}

s32 SCXX_OP_SLEEPABLE(central_init)
{
	u32 zero = 0, c;
	struct central_timer *t;
	s32 ret;

	nr_cpus = scx_bpf_nr_cpu_ids();
	if (nr_cpus > CENTRAL_MAX_CPUS)
		nr_cpus = CENTRAL_MAX_CPUS;
	if (central_cpu < 0 || (u32)central_cpu >= nr_cpus) {
		scxx_error("central: CPU %d does not exist", central_cpu);
		return -22; /* -EINVAL */
	}
	bpf_for(c, 0, nr_cpus) {
		ret = scxx_dsq_create(cpu_dsq(c), -1);
		if (ret)
			return ret;
	}
	ret = scxx_dsq_create(PENDING_DSQ, -1);
	if (ret)
		return ret;
	t = bpf_map_lookup_elem(&timers, &zero);
	if (!t)
		return -2; /* -ENOENT */
	bpf_timer_init(&t->timer, &timers, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&t->timer, tick);
	return bpf_timer_start(&t->timer, TICK_NS, 0);
}

SCXX_SCHEDULER(central_ops,
	       .select_cpu = (void *)central_select_cpu,
	       .enqueue = (void *)central_enqueue,
	       .dispatch = (void *)central_dispatch,
	       .running = (void *)central_running,
	       .stopping = (void *)central_stopping,
	       .init = (void *)central_init,
	       .name = "central");
