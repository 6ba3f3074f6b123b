/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Zero-cost check, direct side: the kfuncs called by name. ZC_V2 selects the 7.x variants
 * (scx_bpf_dsq_insert___v2, scx_bpf_dsq_move_to_local___v2), which are what the portable calls
 * pick where the kernel has them.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

void SCXX_OP(zc_enqueue, struct task_struct *p, u64 enq_flags)
{
#ifdef ZC_V2
	scx_bpf_dsq_insert___v2___scxx(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
#else
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
#endif
}

void SCXX_OP(zc_dispatch, s32 cpu, struct task_struct *prev)
{
#ifdef ZC_V2
	scx_bpf_dsq_move_to_local___v2___scxx(SCX_DSQ_GLOBAL, 0);
#else
	scx_bpf_dsq_move_to_local(SCX_DSQ_GLOBAL);
#endif
}

SCXX_SCHEDULER(zc_ops, .enqueue = (void *)zc_enqueue, .dispatch = (void *)zc_dispatch, .name = "zc_direct");
