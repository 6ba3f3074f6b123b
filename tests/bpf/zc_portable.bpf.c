/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Zero-cost check, portable side: the same scheduler as zc_direct*.bpf.c through scxx's calls. */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

void SCXX_OP(zc_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

void SCXX_OP(zc_dispatch, s32 cpu, struct task_struct *prev)
{
	scxx_dsq_move_to_local(scxx_dsq_global());
}

SCXX_SCHEDULER(zc_ops, .enqueue = (void *)zc_enqueue, .dispatch = (void *)zc_dispatch, .name = "zc_portable");
