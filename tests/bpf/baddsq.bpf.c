/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * scxx_dsq_user() with a run-time id that has the built-in bit set: the scheduler is ejected with
 * an error naming the id, and its ops.dump line reaches the loader in the exit info's dump.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

volatile u64 bad_id = (1ULL << 63) | 7; /* not a constant: the check happens at run time */

void SCXX_OP(bad_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scxx_dsq_user(bad_id), SCX_SLICE_DFL, enq_flags);
}

void SCXX_OP(bad_dump, struct scx_dump_ctx *dctx)
{
	scxx_dump("baddsq dump marker %x", 0x5ca1ab1e);
}

SCXX_SCHEDULER(baddsq_ops,
	       .enqueue = (void *)bad_enqueue,
	       .dump = (void *)bad_dump,
	       .name = "baddsq");
