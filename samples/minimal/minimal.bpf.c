/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * minimal: the smallest complete scxx scheduler. Every task is queued on the kernel's global FIFO,
 * from which each CPU takes its next task; one per-CPU counter shows the scheduler at work.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

SCXX_COUNTERS(stats, 1);

void SCXX_OP(minimal_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_counter_add(&stats, 0, 1);
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(minimal_ops,
	       .enqueue = (void *)minimal_enqueue,
	       .name = "minimal");
