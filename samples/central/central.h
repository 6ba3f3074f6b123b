/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by central.bpf.c and its loader: the stats (scxx/stats.h) and the CPU limit. */
#ifndef CENTRAL_H
#define CENTRAL_H

#include <scxx/stats.h>

/* Where decisions are made and where tasks ran is the point of central: those two are per CPU. */
#define CENTRAL_STATS(X)                                                                                \
	X(counter, enqueued, "tasks that became runnable and joined the pending queue")                  \
	X(counter_by_cpu, decisions, "tasks placed on a CPU's queue, by the CPU that decided (only ever the central one)") \
	X(counter_by_cpu, local, "tasks a CPU started from the queue the central CPU filled for it")      \
	X(counter, preempts, "tasks the timer ended for overrunning their slice while others waited")    \
	X(counter, wakeups, "times the central CPU was interrupted to decide for a starving CPU")         \
	X(counter, taken_back, "tasks taken back from a CPU that stopped dispatching")
SCXX_STATS(central_stats, CENTRAL_STATS)

#define CENTRAL_MAX_CPUS 512

#endif
