/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Must not compile: scxx's DSQ calls take a scxx_dsq_t, not a number (here a CPU number). */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

void SCXX_OP(raw_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scx_bpf_task_cpu(p), SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(raw_ops, .enqueue = (void *)raw_enqueue, .name = "raw");
