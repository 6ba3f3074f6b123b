/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by minimal.bpf.c and its loader: the slots of the per-CPU stats counters. */
#ifndef MINIMAL_H
#define MINIMAL_H

enum minimal_stat {
	MINIMAL_STAT_DIRECT,     /* woken onto an idle CPU's local queue, bypassing the shared one */
	MINIMAL_STAT_ENQUEUED,   /* queued on the shared queue */
	MINIMAL_STAT_DISPATCHED, /* moved from the shared queue to a CPU */
	MINIMAL_NR_STATS,
};

#endif
