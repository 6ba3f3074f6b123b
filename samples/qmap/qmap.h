/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by qmap.bpf.c and its loader. */
#ifndef QMAP_H
#define QMAP_H

#define QMAP_NR_QUEUES 5 /* queue 0 is the lowest priority, 4 the highest */

enum qmap_stat {
	QMAP_STAT_QUEUED0, /* QMAP_STAT_QUEUED0 + i: enqueues into queue i */
	QMAP_STAT_DIRECT = QMAP_STAT_QUEUED0 + QMAP_NR_QUEUES, /* straight to an idle CPU on wakeup */
	QMAP_STAT_DISPATCHED, /* popped from a queue and handed to a CPU */
	QMAP_STAT_OVERFLOW,   /* a full queue: the task went to the shared DSQ directly */
	QMAP_NR_STATS,
};

/* What qmap remembers of a task (by pid), for the loader's --task and for ops.dump_task. */
struct qmap_task {
	unsigned int queue;
	unsigned int pad;
	unsigned long long enqueues;
};

#endif
