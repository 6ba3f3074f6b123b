/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A scheduler the verifier must refuse: it writes through a map lookup's result without checking it
 * for NULL. The loader's error must name the program and carry the verifier's reason. Built again
 * with REJECTED_LONG_LOG (rejected_long.bpf.c), it first runs a loop the verifier walks step by
 * step, so that the log outgrows what the loader keeps and the kernel fails with ENOSPC.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, s32);
	__type(value, u64);
} enqueues_by_pid SEC(".maps");

void SCXX_OP(rejected_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 pid = p->pid;
	u64 *count, add = 1;

#ifdef REJECTED_LONG_LOG
	for (u32 i = 0; i < 1024; i++) /* every step in the log: several hundred KiB of it */
		add += bpf_get_prandom_u32() & i;
#endif
	count = bpf_map_lookup_elem(&enqueues_by_pid, &pid);
	*count += add; /* the bug: count is NULL for a pid not in the map */
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(rejected_ops,
	       .enqueue = (void *)rejected_enqueue,
	       .name = "rejected");
