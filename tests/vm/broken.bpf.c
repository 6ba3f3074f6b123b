/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* A scheduler with a bug the verifier cannot see: it queues tasks on a DSQ that was never created.
 * The kernel must eject it with exit kind ERROR, and the loader must report that. */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

#define NEVER_CREATED_DSQ 0x3039

void SCXX_OP(broken_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, NEVER_CREATED_DSQ, SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(broken_ops,
	       .enqueue = (void *)broken_enqueue,
	       .name = "broken");
