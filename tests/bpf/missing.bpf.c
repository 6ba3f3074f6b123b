/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Calls scx_bpf_dsq_peek (7.x only) directly, without bpf_ksym_exists(): on older kernels the load
 * must fail with an error naming the kfunc and the kernel.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

#define USER_DSQ 1

void SCXX_OP(missing_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_dsq_peek(USER_DSQ)) /* peeking at built-in DSQs is not allowed */
		scxx_dsq_move_to_local(scxx_dsq_user(USER_DSQ));
}

s32 SCXX_OP_SLEEPABLE(missing_init)
{
	return scxx_dsq_create(scxx_dsq_user(USER_DSQ), -1);
}

SCXX_SCHEDULER(missing_ops,
	       .dispatch = (void *)missing_dispatch,
	       .init = (void *)missing_init,
	       .name = "missing");
