/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Refused when its skeleton is made: a global that only the build for 7.3 has (abi_mismatch.sh). */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

#if SCXX_ABI >= SCXX_ABI_7_3
u64 only_in_the_7_3_build;
#endif

void SCXX_OP(mm_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(mm_ops, .enqueue = (void *)mm_enqueue, .name = "mismatch");
