/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by simple.bpf.c and its loader: the scheduler's stats, declared once (scxx/stats.h). */
#ifndef SIMPLE_H
#define SIMPLE_H

#include <scxx/stats.h>

#define SIMPLE_STATS(X)                                                                        \
	X(counter, direct, "tasks woken onto an idle CPU's local queue, bypassing the shared one") \
	X(counter, enqueued, "tasks queued on the shared queue")                                   \
	X(counter, dispatched, "tasks moved from the shared queue to a CPU")                       \
	X(counter, kept, "tasks kept running past their slice: still the lowest vtime (vtime mode)")
SCXX_STATS(simple_stats, SIMPLE_STATS)

#endif
