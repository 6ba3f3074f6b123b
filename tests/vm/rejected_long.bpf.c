/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A scheduler the verifier must refuse after a log far longer than the loader keeps: a loop it
 * walks step by step, then a write through an unchecked map lookup. The kernel then fails the
 * load with ENOSPC (the log's, not the refusal's errno), and the loader's error must say so.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, s32);
	__type(value, u64);
} sums_by_pid SEC(".maps");

void SCXX_OP(rejected_long_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 pid = p->pid;
	u64 *sum, total = 0;
	u32 i;

	for (i = 0; i < 1024; i++) /* every step in the log: several hundred KiB of it */
		total += bpf_get_prandom_u32() & i;
	sum = bpf_map_lookup_elem(&sums_by_pid, &pid);
	*sum += total; /* the bug: sum is NULL for a pid not in the map */
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(rejected_long_ops,
	       .enqueue = (void *)rejected_long_enqueue,
	       .name = "rejected_long");
