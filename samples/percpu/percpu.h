/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by percpu.bpf.c and its loader. Each counter is per CPU: the CPU that did it. */
#ifndef PERCPU_H
#define PERCPU_H

enum percpu_stat {
	PERCPU_STAT_DIRECT,   /* a waking task went straight to an idle CPU */
	PERCPU_STAT_ENQUEUED, /* queued on its CPU's DSQ (counted on the enqueuing CPU) */
	PERCPU_STAT_LOCAL,    /* a CPU took the next task from its own DSQ */
	PERCPU_STAT_STOLEN,   /* a CPU with an empty DSQ took a task from another CPU's */
	PERCPU_STAT_KICKS,    /* an idle CPU was kicked to come and steal */
	PERCPU_NR_STATS,
};

/* User DSQ i belongs to CPU i. */
#define PERCPU_MAX_CPUS 512

#endif
