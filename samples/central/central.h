/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by central.bpf.c and its loader. Each counter is per CPU: the CPU that did it. */
#ifndef CENTRAL_H
#define CENTRAL_H

enum central_stat {
	CENTRAL_STAT_ENQUEUED,  /* a task became runnable and joined the pending queue */
	CENTRAL_STAT_DECISIONS, /* a task was placed on a CPU's queue (only ever on the central CPU) */
	CENTRAL_STAT_LOCAL,     /* a CPU started the task placed on its queue */
	CENTRAL_STAT_PREEMPTS,  /* the timer ended a task that overran its slice while others waited */
	CENTRAL_STAT_WAKEUPS,   /* the central CPU was interrupted to decide for a starving CPU */
	CENTRAL_STAT_TAKEN_BACK, /* a task was taken back from a CPU that stopped dispatching */
	CENTRAL_NR_STATS,
};

#define CENTRAL_MAX_CPUS 512

#endif
