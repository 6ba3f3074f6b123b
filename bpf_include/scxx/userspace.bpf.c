/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The BPF side of every userspace-policy scheduler (include/scxx/userspace.hpp decides; this only
 * moves tasks). scxx_add_userspace_scheduler() compiles it with SCXX_US_NAME set to the scheduler's
 * name.
 *
 * A runnable task is sent to userspace (scxx_us_to_user) and stays with BPF until a decision comes
 * back (scxx_us_from_user). Any CPU in ops.dispatch applies the decisions waiting there: onto the
 * chosen CPU's local queue, or onto the shared queue in vtime order, waking an idle CPU for it.
 * The policy's own threads never wait for themselves: they go straight to the kernel's global
 * queue, which CPUs serve first. A task whose decision has not come within scxx_us_fallback_ns goes
 * onto the shared queue by itself (a timer makes sure some CPU looks), so a stopped or slow policy
 * never lets the kernel's watchdog fire; while the policy does not run, new tasks bypass it.
 * SCX_OPS_ENQ_LAST: a task whose slice ends goes to the policy even when nothing else waits, rather
 * than the kernel silently giving it another default slice. Times are CLOCK_MONOTONIC (bpf_ktime_get_ns), the clock
 * userspace reads too.
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

#define SHARED_DSQ 0
#define MAX_WAITING 65536
#define DISPATCH_BATCH 64 /* ops.dispatch_max_batch: decisions one dispatch may apply */
#define FALLBACK_SCAN 32  /* waiting-list entries one dispatch looks at */
#define CLOCK_MONOTONIC 1

enum task_state { IDLE, WAITING };

struct task_ctx {
	u64 token;  /* of the last RUNNABLE record sent */
	u32 state;  /* enum task_state */
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} scxx_us_tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} scxx_us_to_user SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 1 << 20);
} scxx_us_from_user SEC(".maps");

/* Tasks in the order they were sent, to find the ones waiting too long; stale entries are skipped. */
struct waiting {
	s32 pid;
	u32 pad;
	u64 token;
	u64 sent_at;
};
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, MAX_WAITING);
	__type(value, struct waiting);
} scxx_us_waiting SEC(".maps");

struct fallback_timer {
	struct bpf_timer timer;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct fallback_timer);
} scxx_us_timer SEC(".maps");

SCXX_COUNTERS(scxx_us_stats, SCXX_US_NR_STATS);

/* Tasks sent and not yet placed (a gauge next to the per-CPU counters, for consistency checks). */
s64 scxx_us_nr_waiting;
/*
 * The policy's heartbeat (written by userspace each time its loop runs) and the last time a task
 * had to fall back. A fallback after the last heartbeat means the policy is not running: until it
 * runs again, new tasks go straight to the shared queue instead of waiting for it one by one.
 */
u64 scxx_us_alive_ns;
u64 scxx_us_stalled_at;

static u32 nr_cpus;

static u64 slice(u64 wanted)
{
	return wanted ?: scxx_us_slice_ns ?: SCX_SLICE_DFL;
}

static void count(u32 stat)
{
	scxx_counter_add(&scxx_us_stats, stat, 1);
}

static void wake_idle_cpu(const struct cpumask *allowed)
{
	s32 cpu = scxx_pick_idle_cpu(allowed, 0);

	if (cpu >= 0) {
		scxx_kick_cpu(cpu, SCX_KICK_IDLE);
		count(SCXX_US_STAT_KICKS);
	}
}

/* The shared queue, in SENT_AT order: tasks the policy did not decide in time. */
static void fall_back(struct task_struct *p, u64 sent_at, u64 enq_flags)
{
	scxx_dsq_insert_vtime(p, SHARED_DSQ, slice(0), sent_at, enq_flags);
	count(SCXX_US_STAT_FALLBACK);
}

s32 SCXX_OP(scxx_us_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;

	/* A hint for the policy (Task::cpu); the policy decides where the task runs. */
	return scxx_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);
}

void SCXX_OP(scxx_us_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct scxx_us_event *ev;
	struct task_ctx *tctx;
	struct waiting w;
	u64 now = bpf_ktime_get_ns();

	if (p->tgid == scxx_us_tgid) {
		scxx_dsq_insert(p, scxx_dsq_global(), slice(0), enq_flags);
		wake_idle_cpu(p->cpus_ptr);
		count(SCXX_US_STAT_SELF);
		return;
	}
	if (scxx_us_stalled_at > scxx_us_alive_ns)
		goto bypass;
	tctx = bpf_task_storage_get(&scxx_us_tasks, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tctx)
		goto bypass;
	w.pid = p->pid;
	w.pad = 0;
	w.token = tctx->token + 1;
	w.sent_at = now;
	ev = bpf_ringbuf_reserve(&scxx_us_to_user, sizeof(*ev), 0);
	if (!ev)
		goto bypass;
	if (bpf_map_push_elem(&scxx_us_waiting, &w, 0)) {
		bpf_ringbuf_discard(ev, 0);
		goto bypass;
	}
	tctx->token = w.token;
	tctx->state = WAITING;
	ev->kind = SCXX_US_RUNNABLE;
	ev->pid = p->pid;
	ev->cpu = scx_bpf_task_cpu(p);
	ev->weight = p->scx.weight;
	ev->token = w.token;
	ev->runtime_ns = p->se.sum_exec_runtime;
	ev->at_ns = now;
	ev->enq_flags = enq_flags;
	ev->nr_cpus_allowed = p->nr_cpus_allowed;
	ev->reserved = 0;
	bpf_ringbuf_submit(ev, 0);
	__sync_fetch_and_add(&scxx_us_nr_waiting, 1);
	count(SCXX_US_STAT_ENQUEUED);
	return;

bypass:
	count(SCXX_US_STAT_BYPASSED);
	scxx_dsq_insert_vtime(p, SHARED_DSQ, slice(0), now, enq_flags);
	wake_idle_cpu(p->cpus_ptr);
}

/* Takes P out of the waiting state; false if it was not waiting for TOKEN. */
static bool claim(struct task_struct *p, u64 token)
{
	struct task_ctx *tctx = bpf_task_storage_get(&scxx_us_tasks, p, 0, 0);

	if (!tctx || tctx->state != WAITING || tctx->token != token)
		return false;
	tctx->state = IDLE;
	__sync_fetch_and_add(&scxx_us_nr_waiting, -1);
	return true;
}

struct drain_ctx {
	u32 left; /* dispatch slots this call may still fill */
};

static long apply_decision(struct bpf_dynptr *dynptr, void *data)
{
	struct drain_ctx *ctx = data;
	struct scxx_us_decision d;
	struct task_struct *p;
	u64 vtime;

	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0))
		return 0;
	p = bpf_task_from_pid(d.pid);
	if (!p) {
		count(SCXX_US_STAT_STALE);
		return 0;
	}
	if (!claim(p, d.token)) {
		count(SCXX_US_STAT_STALE);
		bpf_task_release(p);
		return 0;
	}
	if (d.cpu >= 0 && (u32)d.cpu < nr_cpus && bpf_cpumask_test_cpu(d.cpu, p->cpus_ptr)) {
		scxx_dsq_insert(p, scxx_dsq_local_on(d.cpu), slice(d.slice_ns), 0);
		scxx_kick_cpu(d.cpu, SCX_KICK_IDLE);
		count(SCXX_US_STAT_LOCAL);
	} else {
		vtime = d.vtime ?: bpf_ktime_get_ns();
		scxx_dsq_insert_vtime(p, SHARED_DSQ, slice(d.slice_ns), vtime, 0);
		wake_idle_cpu(p->cpus_ptr);
	}
	bpf_task_release(p);
	count(SCXX_US_STAT_DISPATCHED);
	return --ctx->left == 0; /* 1 stops the drain */
}

/* Places waiting-list tasks that waited too long; drops entries for tasks already placed. */
static void place_overdue(u32 *left)
{
	u64 now = bpf_ktime_get_ns();
	struct waiting w;
	u32 i;

	bpf_for(i, 0, FALLBACK_SCAN) {
		struct task_struct *p;

		if (*left == 0 || bpf_map_peek_elem(&scxx_us_waiting, &w))
			return;
		p = bpf_task_from_pid(w.pid);
		if (p) {
			struct task_ctx *tctx = bpf_task_storage_get(&scxx_us_tasks, p, 0, 0);
			bool waiting = tctx && tctx->state == WAITING && tctx->token == w.token;

			if (waiting && now - w.sent_at < scxx_us_fallback_ns) {
				bpf_task_release(p); /* the oldest waits, but not too long yet */
				return;
			}
			if (waiting && claim(p, w.token)) {
				fall_back(p, w.sent_at, 0);
				scxx_us_stalled_at = now;
				(*left)--;
			}
			bpf_task_release(p);
		}
		bpf_map_pop_elem(&scxx_us_waiting, &w);
	}
}

void SCXX_OP(scxx_us_dispatch, s32 cpu, struct task_struct *prev)
{
	struct drain_ctx drain = { .left = scx_bpf_dispatch_nr_slots() };

	if (drain.left > 0)
		bpf_user_ringbuf_drain(&scxx_us_from_user, apply_decision, &drain, 0);
	place_overdue(&drain.left);
	scxx_dsq_move_to_local(SHARED_DSQ);
}

void SCXX_OP(scxx_us_dequeue, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *tctx = bpf_task_storage_get(&scxx_us_tasks, p, 0, 0);

	if (tctx && tctx->state == WAITING && claim(p, tctx->token))
		count(SCXX_US_STAT_DEQUEUED);
}

void SCXX_OP(scxx_us_stopping, struct task_struct *p, bool runnable)
{
	struct scxx_us_event *ev;

	if (!(scxx_us_want & SCXX_US_WANT_STOPPED) || p->tgid == scxx_us_tgid)
		return;
	ev = bpf_ringbuf_reserve(&scxx_us_to_user, sizeof(*ev), 0);
	if (!ev)
		return;
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->kind = SCXX_US_STOPPED;
	ev->pid = p->pid;
	ev->cpu = scx_bpf_task_cpu(p);
	ev->token = runnable;
	ev->runtime_ns = p->se.sum_exec_runtime;
	ev->at_ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(ev, 0);
}

void SCXX_OP(scxx_us_update_idle, s32 cpu, bool idle)
{
	struct scxx_us_event *ev;

	if (!idle || !(scxx_us_want & SCXX_US_WANT_CPU_IDLE))
		return;
	ev = bpf_ringbuf_reserve(&scxx_us_to_user, sizeof(*ev), 0);
	if (!ev)
		return;
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->kind = SCXX_US_CPU_IDLE;
	ev->cpu = cpu;
	ev->at_ns = bpf_ktime_get_ns();
	bpf_ringbuf_submit(ev, 0);
}

/* Every half fallback period: if the oldest waiting task is overdue, wake the CPUs to place it. */
static int fallback_tick(void *map, int *key, struct bpf_timer *timer)
{
	struct waiting w;
	u32 c;

	if (!bpf_map_peek_elem(&scxx_us_waiting, &w) && bpf_ktime_get_ns() - w.sent_at >= scxx_us_fallback_ns) {
		bpf_for(c, 0, nr_cpus)
			scxx_kick_cpu(c, SCX_KICK_IDLE);
	}
	bpf_timer_start(timer, scxx_us_fallback_ns / 2, 0);
	return 0;
}

s32 SCXX_OP_SLEEPABLE(scxx_us_init)
{
	struct fallback_timer *t;
	u32 zero = 0;
	s32 ret;

	nr_cpus = scx_bpf_nr_cpu_ids();
	ret = scxx_dsq_create(SHARED_DSQ, -1);
	if (ret)
		return ret;
	t = bpf_map_lookup_elem(&scxx_us_timer, &zero);
	if (!t)
		return -2; /* -ENOENT */
	bpf_timer_init(&t->timer, &scxx_us_timer, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&t->timer, fallback_tick);
	return bpf_timer_start(&t->timer, scxx_us_fallback_ns / 2, 0);
}

/* Userspace asks for an idle CPU for a task (BPF_PROG_RUN); the CPU is claimed, as if picked here. */
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
	const struct cpumask *online __scxx_free_cpumask = scx_bpf_get_online_cpumask();

	a->cpu = scxx_pick_idle_cpu(online, 0);
	if (a->cpu >= 0) {
		scxx_kick_cpu(a->cpu, SCX_KICK_IDLE);
		count(SCXX_US_STAT_KICKS);
	}
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
