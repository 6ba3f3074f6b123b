/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The BPF side of every userspace-policy scheduler (include/scxx/userspace.hpp decides; this only
 * moves tasks). scxx_add_userspace_scheduler() compiles it with SCXX_US_NAME set to the scheduler's
 * name.
 *
 * A runnable task is sent to userspace (scxx_us_to_user) and stays with BPF until a decision comes
 * back (scxx_us_from_user). Any CPU in ops.dispatch applies the decisions waiting there: onto the
 * chosen CPU's local queue, onto the shared queue in the decision's vtime order, or, for a decision
 * without a vtime, onto the kernel's global FIFO (which CPUs serve before calling ops.dispatch, at
 * no BPF cost), waking an idle CPU for each task but the one the dispatching CPU runs itself. The
 * policy's own threads never wait for themselves: they go to the head of the global FIFO. With no
 * work, the policy's loop yields and its thread is parked here (scxx_us_sleep in userspace.h)
 * until records wait for it: a CPU with nothing to run then runs it next, at the cost of a move
 * between queues rather than a wakeup (as the kernel's scx_userland holds its scheduler). A task
 * whose decision has not come within scxx_us_fallback_ns goes onto the global FIFO by itself (a
 * timer makes sure some CPU looks), so a stopped or slow policy never lets the kernel's watchdog
 * fire; while the policy does not run, new tasks bypass it. SCX_OPS_ENQ_LAST: a task whose slice
 * ends goes to the policy even when nothing else waits, rather than the kernel silently giving it
 * another default slice. Times are CLOCK_MONOTONIC (bpf_ktime_get_ns), the clock userspace reads
 * too.
 */
#include <scxx/scxx.bpf.h>
#include <scxx/userspace.h>

#ifndef SCXX_US_NAME
#error "compile with -DSCXX_US_NAME=<scheduler name> (scxx_add_userspace_scheduler does)"
#endif
#define __SCXX_US_STR(x) #x
#define SCXX_US_STR(x) __SCXX_US_STR(x)

char _license[] SEC("license") = "GPL";

/* Set by the loader before load. */
const volatile s32 scxx_us_tgid = -1;                    /* the policy process */
const volatile u64 scxx_us_fallback_ns = 200 * 1000 * 1000;
const volatile u64 scxx_us_slice_ns = 0;                 /* 0: SCX_SLICE_DFL */
const volatile u32 scxx_us_want = 0;                     /* enum scxx_us_want bits */
const volatile u32 scxx_us_batch = 1;                    /* tasks that wait for a sleeping policy */

#define SHARED_DSQ scxx_dsq_user(0)
#define POLICY_DSQ scxx_dsq_user(1) /* the policy's thread while parked: no CPU serves it */
/*
 * Tasks placed without the policy while it does not run. Not the global FIFO: CPUs serve that
 * before they call ops.dispatch, so tasks cycling through it would keep every CPU from applying
 * decisions and falling back the tasks still waiting.
 */
#define BYPASS_DSQ scxx_dsq_user(2)
#define MAX_PARK_NS (1000ull * 1000 * 1000) /* whatever the loop asks: the watchdog must not fire */
#define MAX_TICK_NS (100ull * 1000 * 1000) /* the timer's period at most: how late a park may end */
#define MAX_WAITING 65536
#define DISPATCH_BATCH 64 /* ops.dispatch_max_batch: decisions one dispatch may apply */
#define FALLBACK_SCAN 32  /* waiting-list entries one dispatch looks at */
#define SCAN_BACKLOG 256  /* entries sent since the walk's position that make it walk before it is due */
#define CLOCK_MONOTONIC 1

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} scxx_us_to_user SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 1 << 20);
} scxx_us_from_user SEC(".maps");

/*
 * Every task sent gets the next token (1, 2, ...); token T's entry is slot T % MAX_WAITING of this
 * ring. A decision, a fallback or ops.dequeue settles it by moving it from WAITING to SETTLED (one
 * compare-and-swap: exactly one of them wins), and the winner takes the entry's reference to the
 * task (cheaper than looking the pid up). Tokens up to scxx_us_head are all settled or were looked
 * at by the fallback scan, which walks from there in token (= sending) order.
 */
enum { SETTLED, WAITING };
struct waiting {
	u64 token;   /* written last: the entry is whole once it matches */
	u64 sent_at;
	s32 pid;
	u32 state;
	struct task_struct __kptr *task; /* held while WAITING */
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_WAITING);
	__type(key, u32);
	__type(value, struct waiting);
} scxx_us_waiting SEC(".maps");
static u64 tokens_sent, head;
static u32 scanning;
/*
 * When the fallback walk next has work: the first task it can find overdue is not due before then
 * (0: it stopped early, and goes on at the next chance). Until then it walks only to pass over
 * SCAN_BACKLOG settled entries, so most ops.dispatch calls skip it.
 */
static u64 walk_due_at;
/* A decision used the vtime-ordered shared queue: from then on ops.dispatch looks there too (a
 * FIFO policy never does, and spares every ops.dispatch the look-up of that queue). */
static bool vtime_used;

struct us_timer {
	struct bpf_timer timer;
};
/*
 * One periodic timer: the fallback scan, the parked policy's deadline, a woken policy not moved yet.
 * (A timer started per park would cost an interrupt each: starting a BPF timer is deferred through
 * irq_work.)
 */
enum { TICK_TIMER, NR_TIMERS };
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_TIMERS);
	__type(key, u32);
	__type(value, struct us_timer);
} scxx_us_timer SEC(".maps");

SCXX_STATS_MAP(scxx_us_stats);

/* Tasks sent and not yet placed (a gauge next to the per-CPU counters, for consistency checks). */
s64 scxx_us_nr_waiting;
/*
 * The policy's heartbeat (written by userspace each time its loop runs) and the last time a task
 * had to fall back. A fallback after the last heartbeat means the policy is not running: until it
 * runs again, new tasks go straight to the global FIFO instead of waiting for it one by one.
 */
u64 scxx_us_alive_ns;
u64 scxx_us_stalled_at;
/*
 * enum scxx_us_sleep: whether the policy waits for records (SLEEPING set by userspace, PARKED here,
 * AWAKE by whoever wakes it). Records are sent without waking it; it is woken when a CPU would
 * otherwise go idle, or when scxx_us_batch records wait. So while every CPU is busy it gets its
 * tasks in batches.
 */
u32 scxx_us_sleeping;
s32 scxx_us_policy_tid;    /* the thread serving the policy (written by userspace) */
u64 scxx_us_park_until_ns; /* when the parked policy wants to run (userspace; capped here) */
u64 scxx_us_parks;         /* times its thread was parked: userspace tells a park from a plain yield */
/*
 * Woken while parked, but not moved to a CPU yet: every ops.dispatch (and the timer) tries until
 * one moves it, or its thread is queued another way (then it is not in POLICY_DSQ).
 */
static bool policy_wanted;
static bool bypass_used; /* a task went to BYPASS_DSQ: ops.dispatch looks there from then on */

static u32 nr_cpus;

static u64 slice(u64 wanted)
{
	return wanted ?: scxx_us_slice_ns ?: SCX_SLICE_DFL;
}

/* Wakes an idle CPU of ALLOWED, if there is one (claiming it for the work at hand): which, or -EBUSY. */
static s32 wake_idle_cpu(const struct cpumask *allowed)
{
	s32 cpu = scxx_pick_idle_cpu(allowed, 0);

	if (cpu >= 0) {
		scxx_kick_cpu(cpu, SCX_KICK_IDLE);
		scxx_stat_inc(scxx_us_stats, kicks);
	}
	return cpu;
}

/* The same for any online CPU. */
static s32 wake_any_idle_cpu(void)
{
	const struct cpumask *online __scxx_free_cpumask = scx_bpf_get_online_cpumask();

	return wake_idle_cpu(online);
}

/* A ring-buffer record's size there: the header and the record rounded up to 8 bytes. */
#define RECORD_BYTES (8 + ((sizeof(struct scxx_us_event) + 7) & ~7))

/*
 * Wakes the policy if it waits for work (once: the first caller changes the state). True if it was
 * parked: policy_wanted is then set, and the caller or the next ops.dispatch moves it to a CPU.
 * (SLEEPING needs nothing: the policy is about to park, and park() looks for records first.)
 */
static bool wake_policy(void)
{
	u32 state = scxx_us_sleeping;
	void *nudge;

	if ((state != SCXX_US_PARKED && state != SCXX_US_POLLING) ||
	    !__sync_bool_compare_and_swap(&scxx_us_sleeping, state, SCXX_US_AWAKE))
		return false;
	if (state == SCXX_US_PARKED) {
		policy_wanted = true;
		return true;
	}
	/* A discarded record wakes the poll like a real one, and the reader skips it. */
	nudge = bpf_ringbuf_reserve(&scxx_us_to_user, 8, 0);
	if (nudge)
		bpf_ringbuf_discard(nudge, BPF_RB_FORCE_WAKEUP);
	return false;
}

/* ops.dispatch: runs the woken policy on this CPU next; whether it did. */
static bool unpark_here(void)
{
	bool moved = scxx_dsq_move_to_local(POLICY_DSQ);

	if (moved)
		policy_wanted = false;
	return moved; /* else it is being parked right now, or may not run here: the next try moves it */
}

/*
 * Outside the scheduler's callbacks (a timer): the woken policy to the head of the global FIFO.
 * The want is cleared first: once moved, the policy may run, park and be woken again (setting it)
 * on another CPU before this one gets to its next instruction.
 */
static void unpark_anywhere(void)
{
	struct task_struct *p;
	bool moved = false;

	policy_wanted = false;
	bpf_rcu_read_lock();
	scxx_dsq_for_each(p, POLICY_DSQ) {
		moved = scxx_dsq_move(SCXX_FOR_EACH_ITER, p, scxx_dsq_global(), SCX_ENQ_HEAD);
		if (moved)
			wake_idle_cpu(p->cpus_ptr);
		break;
	}
	bpf_rcu_read_unlock();
	if (!moved)
		policy_wanted = true;
}

/* Records the policy has not read yet. */
static u64 unread(void)
{
	return bpf_ringbuf_query(&scxx_us_to_user, BPF_RB_AVAIL_DATA) / RECORD_BYTES;
}

/* The kernel's global FIFO, which CPUs serve before asking ops.dispatch: tasks decided without an
 * order, and tasks placed without the policy. */
static void run_fifo(struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scxx_dsq_global(), slice(0), enq_flags);
}

s32 SCXX_OP(scxx_us_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;

	/* A hint for the policy (Task::cpu); the policy decides where the task runs. */
	return scxx_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);
}

/*
 * The policy's thread yields with no work (SLEEPING): hold it in POLICY_DSQ until records wait or
 * its deadline passes. False if it is to run: records came meanwhile.
 */
static bool park(struct task_struct *p, u64 enq_flags)
{
	u64 now = bpf_ktime_get_ns(), until = scxx_us_park_until_ns;

	if (until <= now || !__sync_bool_compare_and_swap(&scxx_us_sleeping, SCXX_US_SLEEPING, SCXX_US_PARKED))
		return false;
	/*
	 * Records sent before the state changed found it SLEEPING and left it alone: they are counted
	 * here (a record counts from its reservation, before its sender looks at the state), so it runs
	 * on to read them. Those sent from now on find it PARKED and wake it when it is time: the move
	 * to a CPU then finds it in POLICY_DSQ (or, a moment too early, tries again).
	 */
	if (unread() > 0 && __sync_bool_compare_and_swap(&scxx_us_sleeping, SCXX_US_PARKED, SCXX_US_AWAKE))
		return false;
	scxx_dsq_insert(p, POLICY_DSQ, slice(0), enq_flags);
	scxx_us_parks++;
	if (until - now > MAX_PARK_NS)
		scxx_us_park_until_ns = now + MAX_PARK_NS;
	return true;
}

void SCXX_OP(scxx_us_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct scxx_us_event *ev;
	struct task_struct *ref;
	struct waiting *w;
	u64 now, token;
	u32 slot;

	if (p->tgid == scxx_us_tgid) {
		if (p->pid == scxx_us_policy_tid) {
			if (scxx_us_sleeping == SCXX_US_SLEEPING && park(p, enq_flags))
				return;
			policy_wanted = false; /* not in POLICY_DSQ, whatever woke it */
		}
		run_fifo(p, enq_flags | SCX_ENQ_HEAD);
		wake_idle_cpu(p->cpus_ptr);
		scxx_stat_inc(scxx_us_stats, self);
		return;
	}
	/* The policy is not running, or the ring is (nearly: CPUs enqueue concurrently) full. */
	if (scxx_us_stalled_at > scxx_us_alive_ns || tokens_sent - head >= MAX_WAITING - 512)
		goto bypass;
	/* None for a task that exited and was reaped, but runs once more on its way out. */
	ref = bpf_task_acquire(p);
	if (!ref)
		goto bypass;
	ev = bpf_ringbuf_reserve(&scxx_us_to_user, sizeof(*ev), 0);
	if (!ev) {
		bpf_task_release(ref);
		goto bypass;
	}
	/* From here the token's entry is always written: the fallback walk waits for each in turn. */
	now = bpf_ktime_get_ns();
	token = __sync_fetch_and_add(&tokens_sent, 1) + 1;
	slot = token % MAX_WAITING;
	w = bpf_map_lookup_elem(&scxx_us_waiting, &slot);
	if (!w) {
		bpf_task_release(ref);
		bpf_ringbuf_discard(ev, 0);
		goto bypass; /* cannot happen: the slot is in range */
	}
	ref = bpf_kptr_xchg(&w->task, ref);
	if (ref) /* left by an entry settled without taking it (cannot happen) */
		bpf_task_release(ref);
	w->sent_at = now;
	w->pid = p->pid;
	w->state = WAITING;
	__sync_fetch_and_add(&scxx_us_nr_waiting, 1);
	asm volatile("" ::: "memory");
	w->token = token;
	/*
	 * For ops.dequeue: a waiting task is on no DSQ, so its vtime is free until a decision puts it
	 * on one. Whatever the vtime holds later (a decision's order) matches no waiting entry of this
	 * task: it has at most one, and none while placed.
	 */
	scxx_task_set_vtime(p, token);
	ev->kind = SCXX_US_RUNNABLE;
	ev->pid = p->pid;
	ev->cpu = scxx_task_cpu(p);
	ev->weight = p->scx.weight;
	ev->token = token;
	ev->runtime_ns = p->se.sum_exec_runtime;
	ev->at_ns = now;
	ev->enq_flags = enq_flags;
	ev->nr_cpus_allowed = p->nr_cpus_allowed;
	ev->reserved = 0;
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	scxx_stat_inc(scxx_us_stats, enqueued);
	/*
	 * Read after the record is committed: the policy sets the flag, then looks once more. A CPU
	 * idle now needs the policy awake; only the first records after it fell asleep (at most one
	 * per CPU enqueueing at once) look: a CPU that goes idle later does so through ops.dispatch,
	 * which wakes the policy when records wait. That keeps the idle mask out of the common path.
	 */
	if (scxx_us_sleeping) {
		u64 n = unread();

		if ((n >= scxx_us_batch || (n <= nr_cpus && scxx_any_cpu_idle())) && wake_policy())
			wake_any_idle_cpu(); /* whose ops.dispatch runs it */
	}
	return;

bypass:
	scxx_stat_inc(scxx_us_stats, bypassed);
	if (!bypass_used)
		bypass_used = true;
	scxx_dsq_insert(p, BYPASS_DSQ, slice(0), enq_flags);
	wake_idle_cpu(p->cpus_ptr);
}

/*
 * Settles TOKEN (for the task PID, if PID > 0): its task, whose reference the caller now holds, or
 * NULL if it was settled already.
 */
static struct task_struct *claim(u64 token, s32 pid)
{
	u32 slot = token % MAX_WAITING;
	struct waiting *w = bpf_map_lookup_elem(&scxx_us_waiting, &slot);

	if (!w || w->token != token || w->state != WAITING || (pid > 0 && w->pid != pid) ||
	    __sync_val_compare_and_swap(&w->state, WAITING, SETTLED) != WAITING)
		return NULL;
	__sync_fetch_and_add(&scxx_us_nr_waiting, -1);
	return bpf_kptr_xchg(&w->task, NULL);
}

struct drain_ctx {
	s32 cpu;        /* the CPU dispatching */
	u32 left;       /* dispatch slots this call may still fill */
	bool own;       /* a decision placed a task on this CPU itself */
	/* A task put on a shared queue was left for this CPU, which takes a task once ops.dispatch
	 * returns: from its local queue if anything is there (a decision for this CPU, or the vtime
	 * queue's first task moved there), else from the global FIFO. */
	bool left_global, left_vtime;
	bool none_idle; /* no CPU was idle for a task that may run anywhere: stop looking */
};

static long apply_decision(struct bpf_dynptr *dynptr, void *data)
{
	struct drain_ctx *ctx = data;
	struct scxx_us_decision d;
	struct task_struct *p;

	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0))
		return 0;
	p = claim(d.token, d.pid);
	if (!p) {
		scxx_stat_inc(scxx_us_stats, stale);
		return 0;
	}
	if (d.cpu >= 0 && (u32)d.cpu < nr_cpus && bpf_cpumask_test_cpu(d.cpu, p->cpus_ptr)) {
		scxx_dsq_insert(p, scxx_dsq_local_on(d.cpu), slice(d.slice_ns), 0);
		if (d.cpu == ctx->cpu)
			ctx->own = true;
		else
			scxx_kick_cpu(d.cpu, SCX_KICK_IDLE);
		scxx_stat_inc(scxx_us_stats, local);
	} else {
		bool anywhere = p->nr_cpus_allowed >= nr_cpus; /* no cpumask test needed */

		if (d.vtime) {
			scxx_dsq_insert_vtime(p, SHARED_DSQ, slice(d.slice_ns), d.vtime, 0);
			if (!vtime_used)
				vtime_used = true;
		} else
			scxx_dsq_insert(p, scxx_dsq_global(), slice(d.slice_ns), 0);
		/* This CPU runs one of them once ops.dispatch returns; more need another CPU. */
		if (ctx->left_global || ctx->left_vtime || (!anywhere && !bpf_cpumask_test_cpu(ctx->cpu, p->cpus_ptr))) {
			if (!ctx->none_idle && wake_idle_cpu(p->cpus_ptr) < 0 && anywhere)
				ctx->none_idle = true;
		} else if (d.vtime)
			ctx->left_vtime = true;
		else
			ctx->left_global = true;
	}
	bpf_task_release(p);
	scxx_stat_inc(scxx_us_stats, dispatched);
	return --ctx->left == 0; /* 1 stops the drain */
}

/* Whether the fallback walk has work at NOW: a task may be overdue, or settled entries pile up. */
static bool walk_due(u64 now)
{
	u64 backlog = tokens_sent - head;

	return backlog && (backlog >= SCAN_BACKLOG || now >= walk_due_at);
}

/*
 * Walks the ring from the oldest token not looked at: settled entries are passed over, tasks that
 * waited longer than the fallback time go to the global FIFO, and the walk stops at the first task
 * still within its time (or an entry being written). One CPU walks at a time, and only when due.
 */
static void place_overdue(u32 *left)
{
	u64 now;
	u32 i;

	if (head == tokens_sent) /* nothing to walk over: no clock read */
		return;
	now = bpf_ktime_get_ns();
	if (!walk_due(now) || __sync_lock_test_and_set(&scanning, 1))
		return;
	walk_due_at = 0; /* stopped by its step limit or LEFT: goes on at the next chance */
	bpf_for(i, 0, FALLBACK_SCAN) {
		u64 token = head + 1;
		u32 slot = token % MAX_WAITING;
		struct waiting *w = bpf_map_lookup_elem(&scxx_us_waiting, &slot);
		struct task_struct *p;

		if (token > tokens_sent || !w || w->token != token) {
			/* The end, or an entry being written (sent about now): none is due sooner. */
			walk_due_at = now + scxx_us_fallback_ns;
			break;
		}
		if (w->state == WAITING) {
			if (*left == 0)
				break;
			if (now - w->sent_at < scxx_us_fallback_ns) {
				/* The oldest waiting task: those behind it were sent after it. */
				walk_due_at = w->sent_at + scxx_us_fallback_ns;
				break;
			}
			p = claim(token, 0);
			if (p) {
				run_fifo(p, 0);
				scxx_stat_inc(scxx_us_stats, fallback);
				bpf_task_release(p);
				(*left)--;
				scxx_us_stalled_at = now;
			}
		}
		head = token;
	}
	scanning = 0;
}

void SCXX_OP(scxx_us_dispatch, s32 cpu, struct task_struct *prev)
{
	/* ops.dispatch starts with every slot free (the kernel empties them before calling it): the
	 * count needs no kfunc. */
	struct drain_ctx drain = { .cpu = cpu, .left = DISPATCH_BATCH };
	bool moved = false;
	u32 left_after_drain;

	/* Woken while parked: it runs here first, then what its decisions give this CPU. */
	if (policy_wanted)
		drain.own = unpark_here();
	bpf_user_ringbuf_drain(&scxx_us_from_user, apply_decision, &drain, BPF_RB_NO_WAKEUP);
	left_after_drain = drain.left;
	place_overdue(&drain.left);
	/*
	 * The task left for this CPU needs another one if this CPU runs something else: a decision
	 * for this very CPU, or (for a global FIFO task) one from the vtime-ordered queue.
	 */
	if (vtime_used)
		moved = scxx_dsq_move_to_local(SHARED_DSQ);
	if (bypass_used && scxx_dsq_move_to_local(BYPASS_DSQ))
		moved = true;
	if (moved && drain.left_global)
		drain.own = true;
	if ((drain.left_global || drain.left_vtime) && drain.own)
		wake_any_idle_cpu();
	/*
	 * ops.dispatch runs when this CPU has nothing queued. If it found nothing here either, it goes
	 * idle: tasks waiting for a sleeping policy need it now, and it runs the policy itself. If it
	 * found work, the policy sleeps on until its batch fills or a CPU runs out, so that it decides
	 * for more tasks at once. (When the policy itself yields to park, its ops.enqueue follows and
	 * looks for records itself.)
	 */
	if (drain.own || drain.left_global || drain.left_vtime || moved || drain.left != left_after_drain ||
	    (prev && prev->pid == scxx_us_policy_tid))
		return;
	if (scxx_us_sleeping && unread() > 0 && wake_policy())
		unpark_here();
}

void SCXX_OP(scxx_us_dequeue, struct task_struct *p, u64 deq_flags)
{
	struct task_struct *ref = claim(p->scx.dsq_vtime, p->pid);

	if (ref) {
		bpf_task_release(ref);
		scxx_stat_inc(scxx_us_stats, dequeued);
	}
}

/*
 * Sends an optional event (stopped, cpu_idle; dropped when the ring buffer is full); true if that
 * woke the parked policy, which a CPU must then run (see the callers).
 */
static bool send_event(u32 kind, s32 pid, s32 cpu, u64 token, u64 runtime_ns)
{
	struct scxx_us_event *ev = bpf_ringbuf_reserve(&scxx_us_to_user, sizeof(*ev), 0);

	if (!ev)
		return false;
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->pid = pid;
	ev->cpu = cpu;
	ev->token = token;
	ev->runtime_ns = runtime_ns;
	ev->at_ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	/* A policy that asked for events wants them now, not with its next batch. */
	return wake_policy();
}

void SCXX_OP(scxx_us_stopping, struct task_struct *p, bool runnable)
{
	if ((scxx_us_want & SCXX_US_WANT_STOPPED) && p->tgid != scxx_us_tgid &&
	    send_event(SCXX_US_STOPPED, p->pid, scxx_task_cpu(p), runnable, p->se.sum_exec_runtime))
		wake_any_idle_cpu(); /* else this CPU or the next to look for work runs it */
}

void SCXX_OP(scxx_us_update_idle, s32 cpu, bool idle)
{
	/* The CPU going idle runs the policy instead: kicked, it looks for work once more. */
	if (idle && (scxx_us_want & SCXX_US_WANT_CPU_IDLE) && send_event(SCXX_US_CPU_IDLE, 0, cpu, 0, 0))
		scxx_kick_cpu(cpu, 0);
}

/* The timer's period: half the fallback time, and at most MAX_TICK_NS. */
static u64 tick_ns(void)
{
	return scxx_us_fallback_ns / 2 < MAX_TICK_NS ? scxx_us_fallback_ns / 2 : MAX_TICK_NS;
}

/*
 * Every tick: if the fallback walk is due (a task may be overdue, or settled entries pile up),
 * wake the CPUs to do it; run the policy if records wait for it, or if it is parked past its
 * deadline.
 */
static int tick(void *map, int *key, struct bpf_timer *timer)
{
	u64 now = bpf_ktime_get_ns();
	u32 c;

	if (walk_due(now)) {
		bpf_for(c, 0, nr_cpus)
			scxx_kick_cpu(c, SCX_KICK_IDLE);
	}
	/* A policy in POLICY_DSQ that is not PARKED was woken: if its want got lost, this finds it. */
	if (!policy_wanted && scxx_us_sleeping != SCXX_US_PARKED && scxx_dsq_nr_queued(POLICY_DSQ) > 0)
		policy_wanted = true;
	if (policy_wanted ||
	    ((unread() > 0 || (scxx_us_sleeping == SCXX_US_PARKED && now >= scxx_us_park_until_ns)) && wake_policy()))
		unpark_anywhere();
	bpf_timer_start(timer, tick_ns(), 0);
	return 0;
}

s32 SCXX_OP_SLEEPABLE(scxx_us_init)
{
	struct us_timer *t;
	u32 key;
	s32 ret;

	nr_cpus = scx_bpf_nr_cpu_ids();
	ret = scxx_dsq_create(SHARED_DSQ, -1) ?: scxx_dsq_create(POLICY_DSQ, -1) ?: scxx_dsq_create(BYPASS_DSQ, -1);
	if (ret)
		return ret;
	key = TICK_TIMER;
	t = bpf_map_lookup_elem(&scxx_us_timer, &key);
	if (!t)
		return -2;
	bpf_timer_init(&t->timer, &scxx_us_timer, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&t->timer, tick);
	return bpf_timer_start(&t->timer, tick_ns(), 0);
}

/* Userspace asks for an idle CPU for a task (BPF_PROG_RUN), claimed as if picked here. */
SEC("syscall")
int scxx_us_pick_idle_cpu(struct scxx_us_pick_args *a)
{
	struct task_struct *p = bpf_task_from_pid(a->pid);

	if (!p) {
		a->cpu = -3; /* -ESRCH */
		return 0;
	}
	bpf_rcu_read_lock();
	a->cpu = scxx_pick_idle_cpu(p->cpus_ptr, 0);
	bpf_rcu_read_unlock();
	bpf_task_release(p);
	return 0;
}

/* Userspace sent decisions (BPF_PROG_RUN): wakes an idle CPU, if any (a->cpu), to apply them. */
SEC("syscall")
int scxx_us_kick_idle(struct scxx_us_pick_args *a)
{
	a->cpu = wake_any_idle_cpu();
	return 0;
}

SCXX_SCHEDULER(scxx_us_ops,
	       .select_cpu = (void *)scxx_us_select_cpu,
	       .enqueue = (void *)scxx_us_enqueue,
	       .dispatch = (void *)scxx_us_dispatch,
	       .dequeue = (void *)scxx_us_dequeue,
	       .stopping = (void *)scxx_us_stopping,
	       .update_idle = (void *)scxx_us_update_idle,
	       .init = (void *)scxx_us_init,
	       .flags = SCX_OPS_KEEP_BUILTIN_IDLE | SCX_OPS_ENQ_LAST,
	       .dispatch_max_batch = DISPATCH_BATCH,
	       .name = SCXX_US_STR(SCXX_US_NAME));
