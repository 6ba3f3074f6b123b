/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Must not compile: a constant user DSQ id with the built-in bit set. */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

void SCXX_OP(const_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scxx_dsq_user((1ULL << 63) | 5), SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(const_ops, .enqueue = (void *)const_enqueue, .name = "const");
