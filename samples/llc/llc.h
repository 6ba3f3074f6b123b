/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by llc.bpf.c and its loader: the scheduler's stats, declared once (scxx/stats.h). */
#ifndef LLC_H
#define LLC_H

#include <scxx/stats.h>

#define LLC_STATS(X)                                                                                            \
	X(counter, woke_same_core, "wakeups placed on their previous CPU, or a whole idle core's")              \
	X(counter, woke_same_llc, "wakeups placed on another idle CPU sharing the previous CPU's LLC")          \
	X(counter, woke_other_llc, "wakeups placed on an idle CPU of another LLC (none idle in their own)")     \
	X(counter, woke_on_waker, "synchronous wakeups placed on the CPU their waker was about to leave")       \
	X(counter, enqueued, "tasks queued: waking ones that found no idle CPU, and ones whose slice ended")    \
	X(counter, boosted, "of those, interactive tasks (short bursts between sleeps) sorted ahead")          \
	X(counter, pinned, "of those, waking tasks allowed on one CPU only, put on that CPU's queue directly")  \
	X(counter, local, "tasks a CPU took from its own LLC's queue")                                          \
	X(counter, stolen, "tasks an idle CPU took from another LLC's queue, its own being empty")              \
	X(counter, pulled, "interactive tasks a CPU took from another LLC's queue before its own CPU-bound")    \
	X(counter, kept, "tasks kept running past their slice: nothing queued in their LLC comes first")      \
	X(counter, preempted, "CPU-bound tasks preempted for a waking interactive task that found no idle CPU") \
	X(counter, kicks, "idle CPUs woken to run or steal a queued task")
SCXX_STATS(llc_stats, LLC_STATS)

#endif
