/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Calls scx_bpf_dsq_peek (7.x only) directly, without bpf_ksym_exists(): on older kernels the load
 * must fail with an error naming the kfunc and the kernel.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

void SCXX_OP(missing_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_dsq_peek(SCX_DSQ_GLOBAL))
		scxx_dsq_move_to_local(SCX_DSQ_GLOBAL);
}

SCXX_SCHEDULER(missing_ops,
	       .dispatch = (void *)missing_dispatch,
	       .name = "missing");
