/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by minimal.bpf.c and its loader: the scheduler's one stat (scxx/stats.h). */
#ifndef MINIMAL_H
#define MINIMAL_H

#include <scxx/stats.h>

#define MINIMAL_STATS(X) X(counter, enqueued, "tasks queued on the kernel's global FIFO")
SCXX_STATS(minimal_stats, MINIMAL_STATS)

#endif
