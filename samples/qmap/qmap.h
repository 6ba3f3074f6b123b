/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by qmap.bpf.c and its loader. */
#ifndef QMAP_H
#define QMAP_H

#include <scxx/stats.h>

#define QMAP_NR_QUEUES 5 /* queue 0 is the lowest priority, 4 the highest */

/* The per-CPU stats (scxx/stats.h); the per-queue ones are the globals nr_enqueued and nr_queued. */
#define QMAP_STATS(X)                                                                        \
	X(counter, enqueued, "tasks queued on one of the five queues (each queue's: queue_enqueued)") \
	X(counter, direct, "tasks woken onto an idle CPU, bypassing the queues")                  \
	X(counter, dispatched, "tasks popped from a queue and handed to a CPU")                  \
	X(counter, overflow, "tasks that found their queue full and went to the shared queue")
SCXX_STATS(qmap_stats, QMAP_STATS)

/* What qmap remembers of a task (by pid), for the loader's --task and for ops.dump_task. */
struct qmap_task {
	unsigned int queue;
	unsigned int pad;
	unsigned long long enqueues;
};

#endif
