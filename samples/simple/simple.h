/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by simple.bpf.c and its loader: the slots of the per-CPU stats counters. */
#ifndef SIMPLE_H
#define SIMPLE_H

enum simple_stat {
	SIMPLE_STAT_DIRECT,     /* woken onto an idle CPU's local queue, bypassing the shared one */
	SIMPLE_STAT_ENQUEUED,   /* queued on the shared queue */
	SIMPLE_STAT_DISPATCHED, /* moved from the shared queue to a CPU */
	SIMPLE_STAT_KEPT,       /* kept running past its slice: still the lowest vtime (vtime mode) */
	SIMPLE_NR_STATS,
};

#endif
