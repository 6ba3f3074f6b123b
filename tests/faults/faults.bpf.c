/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The scheduler the fault suite breaks on purpose: a shared FIFO whose ops.init can fail
 * (fail_init) and which never runs the tasks of one process (stall_tgid), so that the kernel's
 * watchdog ejects it.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ scxx_dsq_user(0)
#define NEVER_DSQ scxx_dsq_user(1) /* never consumed: the stalled process's tasks wait here */

const volatile bool fail_init;
const volatile s32 stall_tgid;

SCXX_COUNTERS(stats, 2);

void SCXX_OP(faults_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (stall_tgid && p->tgid == stall_tgid) {
		scxx_counter_add(&stats, 1, 1);
		scxx_dsq_insert(p, NEVER_DSQ, SCX_SLICE_DFL, enq_flags);
		return;
	}
	scxx_counter_add(&stats, 0, 1);
	scxx_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCXX_OP(faults_dispatch, s32 cpu, struct task_struct *prev)
{
	scxx_dsq_move_to_local(SHARED_DSQ);
}

s32 SCXX_OP_SLEEPABLE(faults_init)
{
	s32 err;

	if (fail_init)
		return -ENOMEM;
	err = scxx_dsq_create(SHARED_DSQ, -1);
	return err ? err : scxx_dsq_create(NEVER_DSQ, -1);
}

SCXX_SCHEDULER(faults_ops,
	       .enqueue = (void *)faults_enqueue,
	       .dispatch = (void *)faults_dispatch,
	       .init = (void *)faults_init,
	       .name = "faults");
