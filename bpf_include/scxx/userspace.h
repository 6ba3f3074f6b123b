/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The records a userspace-policy scheduler exchanges between its BPF side (scxx/userspace.bpf.c)
 * and its C++ side (include/scxx/userspace.hpp). Plain C with fixed-width types so both sides agree
 * on the layout: BPF gets __u32 and friends from vmlinux.h, C++ from <linux/types.h>.
 */
#ifndef SCXX_USERSPACE_H
#define SCXX_USERSPACE_H

#include <scxx/stats.h>

/* What a record from BPF to userspace reports. */
enum scxx_us_kind {
	SCXX_US_RUNNABLE = 1, /* a task waits for a decision */
	SCXX_US_STOPPED = 2,  /* a task stopped running (only with SCXX_US_WANT_STOPPED) */
	SCXX_US_CPU_IDLE = 3, /* a CPU went idle (only with SCXX_US_WANT_CPU_IDLE) */
};

/* Which optional records the policy wants (scxx_us_want, set before load). */
enum scxx_us_want {
	SCXX_US_WANT_STOPPED = 1,
	SCXX_US_WANT_CPU_IDLE = 2,
};

/*
 * What the policy's loop is doing (scxx_us_sleeping). With no work, the loop says SLEEPING, looks
 * for records once more and yields the CPU; BPF then parks its thread (PARKED): holds it, runnable,
 * in a queue no CPU serves, until records wait or its deadline (scxx_us_park_until_ns) passes.
 * Waking it is moving it to a CPU: no wakeup, interrupt or select_cpu. A record sent while it is
 * SLEEPING needs no wakeup: BPF looks for records as it parks it. Only if BPF did not park it does
 * the loop wait in poll (POLLING), where a ring-buffer notification wakes it. Whoever wakes it from
 * PARKED or POLLING sets AWAKE.
 */
enum scxx_us_sleep {
	SCXX_US_AWAKE = 0,
	SCXX_US_SLEEPING = 1, /* set by the loop: about to yield */
	SCXX_US_PARKED = 2,   /* set by BPF */
	SCXX_US_POLLING = 3,  /* set by the loop: not parked, about to poll */
};

/* BPF -> userspace, through the scxx_us_to_user ring buffer. */
struct scxx_us_event {
	__u32 kind;            /* enum scxx_us_kind */
	__s32 pid;             /* RUNNABLE, STOPPED */
	__s32 cpu;             /* RUNNABLE: the CPU it was woken or last ran on; CPU_IDLE: the CPU */
	__u32 weight;          /* RUNNABLE: sched_ext weight, 100 at nice 0 */
	__u64 token;           /* RUNNABLE: to be echoed in the decision; STOPPED: still runnable (1/0) */
	__u64 runtime_ns;      /* RUNNABLE, STOPPED: the task's total CPU time so far */
	__u64 at_ns;           /* when BPF sent it (CLOCK_MONOTONIC) */
	__u64 enq_flags;       /* RUNNABLE: the kernel's enqueue flags */
	__s32 nr_cpus_allowed; /* RUNNABLE */
	__u32 reserved;
};

/* Userspace -> BPF, through the scxx_us_from_user user ring buffer; applied in ops.dispatch. */
struct scxx_us_decision {
	__s32 pid;
	__s32 cpu;        /* run on this CPU (its local queue), or -1: the shared queue, any CPU */
	__u64 token;      /* from the RUNNABLE record; a decision for an older one is dropped */
	__u64 slice_ns;   /* 0: the scheduler's default slice */
	__u64 vtime;      /* order in the shared queue (lower first); 0: the kernel's global FIFO instead */
};

/* The argument of the scxx_us_pick_idle_cpu and scxx_us_kick_idle programs. */
struct scxx_us_pick_args {
	__s32 pid; /* pick_idle_cpu: the task */
	__s32 cpu; /* out: the idle CPU picked (now marked busy), or a negative errno */
};

/* The BPF side's stats (scxx/stats.h), per CPU in the map scxx_us_stats. */
#define SCXX_US_STATS(X)                                                                                  \
	X(counter, enqueued, "tasks sent to the userspace policy")                                        \
	X(counter, dispatched, "the policy's decisions applied")                                          \
	X(counter, local, "decisions applied onto a CPU the policy chose")                                 \
	X(counter, fallback, "tasks that waited too long for a decision and ran anyway")                  \
	X(counter, dequeued, "tasks that left the scheduler while waiting (e.g. an affinity change)")     \
	X(counter, stale, "decisions dropped: the task was placed already or is gone")                    \
	X(counter, self, "tasks of the policy's own process, run directly")                               \
	X(counter, bypassed, "tasks placed without the policy: it was not running, or no room to send")   \
	X(counter, kicks, "idle CPUs woken for decided work")
SCXX_STATS(scxx_us_stats, SCXX_US_STATS)

#endif /* SCXX_USERSPACE_H */
