/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * minimal: the smallest complete scxx scheduler. Every task is queued on the kernel's global FIFO,
 * from which each CPU takes its next task; one counter (minimal.h) shows the scheduler at work.
 */
#include <scxx/scxx.bpf.h>
#include "minimal.h"

char _license[] SEC("license") = "GPL";

SCXX_STATS_MAP(minimal_stats);

void SCXX_OP(minimal_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_stat_inc(minimal_stats, enqueued);
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(minimal_ops,
	       .enqueue = (void *)minimal_enqueue,
	       .name = "minimal");
