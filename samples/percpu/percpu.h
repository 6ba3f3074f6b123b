/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by percpu.bpf.c and its loader: the stats (scxx/stats.h; a per-CPU one counts on the CPU
 * that did it) and the CPU limit. */
#ifndef PERCPU_H
#define PERCPU_H

#include <scxx/stats.h>

/* The work each CPU did is the point of percpu: those stats are per CPU. */
#define PERCPU_STATS(X)                                                                        \
	X(counter_by_cpu, direct, "waking tasks a CPU sent straight to an idle CPU")              \
	X(counter, enqueued, "tasks queued on their CPU's queue")                                 \
	X(counter_by_cpu, local, "tasks a CPU took from its own queue")                           \
	X(counter_by_cpu, stolen, "tasks a CPU with an empty queue took from another CPU's")      \
	X(counter, kicks, "idle CPUs kicked to come and steal")
SCXX_STATS(percpu_stats, PERCPU_STATS)

/* User DSQ i belongs to CPU i. */
#define PERCPU_MAX_CPUS 512

#endif
