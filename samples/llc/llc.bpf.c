/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * llc: a cache-aware scheduler, built on scxx's topology, context and selection parts.
 *
 * Each last-level cache (LLC) has its own queue, ordered by weighted virtual time, so a task stays
 * near the cache it warmed. A waking task goes straight to an idle CPU, chosen idle-core-first
 * from its previous CPU outwards (scxx_topo_pick_idle). A CPU runs the tasks of its own LLC's
 * queue; only when that is empty and it would otherwise idle does it steal from another LLC's
 * (its own node's first). A task that runs in short bursts between sleeps (interactive: an
 * editor, a message ping-pong) is sorted by its vtime plus its average burst, so it runs ahead of
 * CPU-bound tasks of the same vtime; one waiting first in another LLC's queue is pulled by a CPU
 * whose own queue has no such task first, so it need not wait for its own LLC's CPUs. A waking
 * task allowed on one CPU only goes straight to that CPU's own queue while its LLC's is empty.
 */
#include <scxx/scxx.bpf.h>
#include <scxx/context.bpf.h>
#include <scxx/topology.bpf.h>
#include "llc.h"

char _license[] SEC("license") = "GPL";

/* Set by the loader before load. */
const volatile u64 slice_ns = SCX_SLICE_DFL;
const volatile bool no_boost = false;   /* sort by vtime alone */
const volatile bool no_preempt = false; /* a waking interactive task waits for a slice's end */

/* For tasks on a CPU outside the topology (hotplugged since load): no LLC has this id. */
#define FALLBACK_DSQ scxx_dsq_user(SCXX_TOPO_MAX_CPUS)
static bool fallback_used; /* set once a task went there: until then, dispatch skips it */

SCXX_STATS_MAP(llc_stats);

struct task_ctx {
	u64 vtime;     /* its virtual time (the DSQ key adds the boost to it) */
	u64 burst;     /* run time since the task last woke */
	u64 avg_burst; /* EWMA of the bursts */
	u64 ran_before; /* its total run time (the kernel's) when it last started running */
	bool sync;     /* select_cpu, finding no CPU, saw a synchronous wakeup (the waker will sleep) */
	u32 llc;       /* the LLC whose clock its vtime is on */
};
SCXX_TASK_CTX(tasks, struct task_ctx);

struct llc_ctx {
	u64 vtime_now; /* the vtime of the task that most recently started running here */
};
SCXX_LLC_CTX(llcs, struct llc_ctx);

/*
 * The LLCs where an interactive task may wait in the queue: bit LLC, set when one is queued there
 * and cleared by a CPU that looks and finds none first (LLCs from 63 up share bit 63, never
 * cleared). Other LLCs' CPUs look for one to pull only where the bit is set, so the common case
 * costs one load, not a kfunc per LLC.
 */
static u64 interactive_llcs;

static __always_inline u64 llc_bit(u32 llc)
{
	return 1ULL << (llc < 63 ? llc : 63);
}

/* LLC's bit if no other LLC shares it (only those are cleared), else 0. */
static __always_inline u64 llc_sole_bit(u32 llc)
{
	return llc < 63 ? llc_bit(llc) : 0;
}

/*
 * Each LLC's vtime runs at its own pace (where more tasks share a CPU, each gets less time), so a
 * task coming from another LLC brings a vtime on that LLC's clock: far ahead of this one's, it
 * would wait until every task here caught up (seconds, while they run); far behind, it would run
 * ahead of them all. Its vtime moves to the clock of L, LLC's context, with the credit it had
 * (at most a slice, as for a task that slept).
 */
static void join_llc(struct task_ctx *t, u32 llc, const struct llc_ctx *l)
{
	struct llc_ctx *from = scxx_llc_ctx(llcs, t->llc);
	u64 credit = from && scxx_time_before(t->vtime, from->vtime_now) ? from->vtime_now - t->vtime : 0;

	t->vtime = l->vtime_now - (credit < slice_ns ? credit : slice_ns);
	t->llc = llc;
}

struct cpu_ctx {
	u64 started;      /* when the task that last started running here started, if not interactive */
	bool interactive; /* whether that task is interactive */
};
SCXX_CPU_CTX(cpus, struct cpu_ctx);

/* A task that runs in short bursts between sleeps. */
static __always_inline bool interactive(const struct task_ctx *t)
{
	return t->avg_burst < slice_ns / 8;
}

/* P's place in its LLC's queue: its vtime, plus its average burst unless boosts are off. */
static __always_inline u64 queue_key(const struct task_struct *p, const struct task_ctx *t)
{
	return no_boost ? t->vtime : t->vtime + scxx_scale_by_weight_inverse(p, t->avg_burst);
}

/* Charges P's vtime for the time it ran since it started running or was last charged. */
static __always_inline void charge(const struct task_struct *p, struct task_ctx *t)
{
	u64 ran = p->se.sum_exec_runtime - t->ran_before;

	t->ran_before = p->se.sum_exec_runtime;
	t->burst += ran;
	t->vtime += scxx_scale_by_weight_inverse(p, ran);
}

s32 SCXX_OP(llc_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool sync = wake_flags & SCX_WAKE_SYNC;
	enum scxx_idle_level level;
	s32 cpu = scxx_topo_pick_idle(p, prev_cpu, wake_flags, &level);

	/*
	 * No CPU is idle, but a synchronous waker is about to sleep: its CPU is the first to free
	 * up, and the task finds there the data the waker just wrote.
	 */
	if (cpu < 0 && sync) {
		cpu = scxx_topo_sync_waker_cpu(p);
		level = SCXX_IDLE_WAKER;
	}
	if (cpu < 0) {
		/* For ops.enqueue, which comes next (and only then). */
		struct task_ctx *t = scxx_task_ctx(tasks, p);

		if (t)
			t->sync = sync;
		return prev_cpu;
	}
	switch (level) {
	case SCXX_IDLE_PREV_CORE:
	case SCXX_IDLE_PREV:
		scxx_stat_inc(llc_stats, woke_same_core);
		break;
	case SCXX_IDLE_WAKER:
		scxx_stat_inc(llc_stats, woke_on_waker);
		break;
	case SCXX_IDLE_LLC_CORE:
	case SCXX_IDLE_LLC:
		scxx_stat_inc(llc_stats, woke_same_llc);
		break;
	default:
		scxx_stat_inc(llc_stats, woke_other_llc);
	}
	scxx_dsq_insert(p, scxx_dsq_local(), slice_ns, 0);
	return cpu;
}

/* Wakes an idle CPU that may run P: in its LLC if one is idle, else anywhere (it will steal). */
static void kick_idle_for(const struct task_struct *p, u32 llc)
{
	s32 cpu = scxx_topo_pick_idle_in(scxx_topo_llc_mask(llc), p, 0);

	if (cpu < 0)
		cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0) {
		scxx_kick_cpu(cpu, SCX_KICK_IDLE);
		scxx_stat_inc(llc_stats, kicks);
	}
}

/*
 * An interactive task woke and found no CPU idle: rather than wait for a slice to end, it takes
 * CPU, its previous one, from the CPU-bound task running there (which goes back to its queue), unless
 * that runs an interactive task too, or one that started less than a 64th of a slice ago: a task
 * preempted as soon as it wakes its partner never gets to sleep, and so would look CPU-bound for
 * good. Its LLC's queue has it first, so that CPU runs it next. (Not for a synchronous wakeup:
 * its waker's CPU frees up as soon as the waker sleeps.)
 */
static void preempt_for(s32 cpu)
{
	struct cpu_ctx *c = scxx_cpu_ctx_of(cpus, cpu);

	if (c && !c->interactive && (s64)(scxx_now() - c->started) >= (s64)(slice_ns / 64)) {
		scxx_kick_cpu(cpu, SCX_KICK_PREEMPT);
		scxx_stat_inc(llc_stats, preempted);
	}
}

void SCXX_OP(llc_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *t = scxx_task_ctx(tasks, p);
	s32 cpu = scxx_task_cpu(p);
	u32 llc = scxx_topo_llc_of(cpu);
	struct llc_ctx *l = scxx_llc_ctx(llcs, llc);

	if (!l || !t) {
		fallback_used = true;
		scxx_dsq_insert(p, FALLBACK_DSQ, slice_ns, enq_flags);
		return;
	}
	scxx_stat_inc(llc_stats, enqueued);
	if (t->llc != llc)
		join_llc(t, llc, l);
	/* A task that slept long must not bank more than one slice of credit. */
	if (scxx_time_before(t->vtime, l->vtime_now - slice_ns))
		t->vtime = l->vtime_now - slice_ns;
	if (!no_boost && interactive(t))
		scxx_stat_inc(llc_stats, boosted);
	/*
	 * A waking task that may run on one CPU only gains nothing from its LLC's queue, and the
	 * LLC's other CPUs would have to pass over it there: when nothing waits in that queue for it
	 * to overtake, it goes straight to its CPU's own queue (that CPU then needs no dispatch). In
	 * ops.enqueue, the local DSQ is that of the CPU the task is queued on, which it may run on.
	 */
	if (p->nr_cpus_allowed == 1 && (enq_flags & SCX_ENQ_WAKEUP) &&
	    !scxx_dsq_nr_queued(scxx_topo_llc_dsq(llc))) {
		scxx_dsq_insert(p, scxx_dsq_local(), slice_ns, enq_flags);
		scxx_stat_inc(llc_stats, pinned);
	} else {
		scxx_dsq_insert_vtime(p, scxx_topo_llc_dsq(llc), slice_ns, queue_key(p, t), enq_flags);
		if (!no_boost && interactive(t) && !(interactive_llcs & llc_bit(llc)))
			__sync_fetch_and_or(&interactive_llcs, llc_bit(llc));
	}
	/* A waking task already found no idle CPU in select_cpu: look for one for the others. */
	if (!(enq_flags & SCX_ENQ_WAKEUP))
		kick_idle_for(p, llc);
	else if (!no_preempt && !no_boost && !t->sync && interactive(t))
		preempt_for(cpu);
	/* Set by this wakeup's select_cpu; a task that may run on one CPU only has none. */
	t->sync = false;
}

/* Whether P (may be NULL) is interactive. */
static bool task_interactive(struct task_struct *p)
{
	struct task_ctx *t = p ? scxx_task_ctx(tasks, p) : NULL;

	return t && interactive(t);
}

/*
 * Moves the first task of another LLC's queue to CPU, its own node's LLCs first: any task if CPU
 * would otherwise idle, else (URGENT) only an interactive one.
 */
static bool steal(s32 cpu, u32 own, bool urgent)
{
	u32 node = scxx_topo_node_of(cpu), nr = scxx_topo_nr_llcs(), i;
	bool nodes = scxx_topo_nr_nodes() > 1;

	/*
	 * With several nodes, two rounds: the LLCs of CPU's node, then the others. A plain loop: the
	 * verifier knows NR (the loader's constant), and no kfunc runs per step as with bpf_for.
	 */
	for (i = 0; i < (nodes ? 2 * nr : nr); i++) {
		u32 llc = i % nr;

		if (llc == own || (nodes && (scxx_topo_node_of_llc(llc) == node) != (i < nr)))
			continue;
		if (urgent) {
			u64 bit = llc_bit(llc);

			if (!(interactive_llcs & bit))
				continue;
			/* Cleared before the look: a task queued after it sets it again. */
			if (llc_sole_bit(llc))
				__sync_fetch_and_and(&interactive_llcs, ~bit);
			if (!task_interactive(scxx_dsq_peek(scxx_topo_llc_dsq(llc))))
				continue;
			__sync_fetch_and_or(&interactive_llcs, bit); /* for others, until one moves it */
		}
		if (scxx_dsq_move_to_local(scxx_topo_llc_dsq(llc)))
			return true;
	}
	return false;
}

/*
 * PREV used up its slice. The kernel asks for CPU's next task before it queues PREV again, so PREV
 * is not in its LLC's queue to be compared with: charge it now, and keep it running (with a new
 * slice) unless a task of that queue that CPU may run comes before it. Without this, tasks sharing
 * a CPU would take turns a slice each, whatever their weights.
 */
static bool keep_prev(struct task_struct *prev, s32 cpu, scxx_dsq_t own)
{
	struct task_ctx *t = scxx_task_ctx(tasks, prev);

	if (!t)
		return false;
	charge(prev, t);
	prev->scx.slice = slice_ns;
	return !scxx_dsq_first_before(own, cpu, queue_key(prev, t));
}

void SCXX_OP(llc_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 llc = scxx_topo_llc_of(cpu);
	/* The kernel asks before it queues PREV again (its slice ended): CPU has it to run. */
	struct task_struct *requeued = prev && (prev->scx.flags & SCX_TASK_QUEUED) ? prev : NULL;

	if (llc != SCXX_TOPO_NONE) {
		scxx_dsq_t own = scxx_topo_llc_dsq(llc);
		/*
		 * An interactive task waiting in another LLC goes before the CPU-bound work this CPU
		 * has (its own LLC's queue's first task, or PREV): a waking task that found no idle
		 * CPU then waits for the first slice to end on any CPU, not only on its own LLC's.
		 * (With one LLC there is nowhere to pull from; a CPU with nothing to run steals any
		 * task below.)
		 */
		if (!no_boost && (interactive_llcs & ~llc_sole_bit(llc))) {
			struct task_struct *head = scxx_dsq_peek(own);
			bool cpu_bound_next = head ? !task_interactive(head) : requeued != NULL;

			if (cpu_bound_next && steal(cpu, llc, true)) {
				scxx_stat_inc(llc_stats, pulled);
				return;
			}
		}
		if (requeued && keep_prev(requeued, cpu, own)) {
			scxx_stat_inc(llc_stats, kept);
			return;
		}
		if (scxx_dsq_move_to_local(own)) {
			scxx_stat_inc(llc_stats, local);
			return;
		}
	}
	if (fallback_used && scxx_dsq_move_to_local(FALLBACK_DSQ))
		return;
	/*
	 * A CPU whose task used up its slice, with nothing else to run from its LLC, keeps it for
	 * another slice. It is not idle, so it does not steal: CPUs taking turns stealing each
	 * other's tasks at every slice's end would move them between caches for nothing.
	 */
	if (requeued) {
		requeued->scx.slice = slice_ns;
		scxx_stat_inc(llc_stats, kept);
		return;
	}
	if (steal(cpu, llc, false))
		scxx_stat_inc(llc_stats, stolen);
}

/*
 * P's CPU, not necessarily this one: the kernel also calls ops.running from another CPU, one that
 * changes a running task's affinity, class or weight.
 */
void SCXX_OP(llc_running, struct task_struct *p)
{
	struct task_ctx *t = scxx_task_ctx(tasks, p);
	s32 cpu = scxx_task_cpu(p);
	u32 llc = scxx_topo_llc_of(cpu);
	struct llc_ctx *l = scxx_llc_ctx(llcs, llc);
	struct cpu_ctx *c;

	if (!t)
		return;
	t->ran_before = p->se.sum_exec_runtime;
	/* Placed here by select_cpu or stolen: it comes from another LLC. */
	if (l && t->llc != llc)
		join_llc(t, llc, l);
	if (l && scxx_time_after(t->vtime, l->vtime_now))
		l->vtime_now = t->vtime;
	/* For preempt_for(), the only reader, which needs the start only of a task it may preempt. */
	if (!no_preempt && !no_boost) {
		c = scxx_cpu_ctx_of(cpus, cpu);
		if (c) {
			c->interactive = interactive(t);
			if (!c->interactive)
				c->started = scxx_now();
		}
	}
}

/*
 * The kernel has brought sum_exec_runtime up to date when it calls ops.stopping, so the time P ran
 * costs no clock read.
 */
void SCXX_OP(llc_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *t = scxx_task_ctx(tasks, p);

	if (!t)
		return;
	charge(p, t);
	/* Going to sleep ends a burst; a CPU-bound task's burst keeps growing until it does. */
	if (!runnable || t->burst > t->avg_burst)
		t->avg_burst = scxx_ewma(t->avg_burst, t->burst < slice_ns ? t->burst : slice_ns, 2);
	if (!runnable)
		t->burst = 0;
}

void SCXX_OP(llc_enable, struct task_struct *p)
{
	struct task_ctx *t = scxx_task_ctx(tasks, p);
	u32 llc = scxx_topo_llc_of(scxx_task_cpu(p));
	struct llc_ctx *l = scxx_llc_ctx(llcs, llc);

	if (t) {
		t->vtime = l ? l->vtime_now : 0;
		t->llc = llc;
		t->ran_before = p->se.sum_exec_runtime; /* it may stop before it runs */
	}
}

s32 SCXX_OP_SLEEPABLE(llc_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return scxx_task_ctx_create(tasks, p) ? 0 : -ENOMEM;
}

s32 SCXX_OP_SLEEPABLE(llc_init)
{
	s32 ret = scxx_topo_init();

	if (!ret)
		ret = scxx_topo_create_llc_dsqs();
	return ret ?: scxx_dsq_create(FALLBACK_DSQ, -1);
}

SCXX_SCHEDULER(llc_ops,
	       .select_cpu = (void *)llc_select_cpu,
	       .enqueue = (void *)llc_enqueue,
	       .dispatch = (void *)llc_dispatch,
	       .running = (void *)llc_running,
	       .stopping = (void *)llc_stopping,
	       .enable = (void *)llc_enable,
	       .init_task = (void *)llc_init_task,
	       .init = (void *)llc_init,
	       .name = "llc");
