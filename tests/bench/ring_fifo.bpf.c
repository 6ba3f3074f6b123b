/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * ring_fifo: the in-BPF FIFO (samples/minimal) plus one ring-buffer record per task, read by its
 * userspace. tools/bench-userspace runs it next to both to show what the first half of any
 * userspace policy's path costs by itself: telling userspace about a task, before any decision
 * comes back.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

SCXX_COUNTERS(stats, 1);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} records SEC(".maps");

void SCXX_OP(ring_fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 *pid = bpf_ringbuf_reserve(&records, sizeof(*pid), 0);

	if (pid) {
		*pid = p->pid;
		bpf_ringbuf_submit(pid, BPF_RB_NO_WAKEUP);
	}
	scxx_counter_add(&stats, 0, 1);
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(ring_fifo_ops,
	       .enqueue = (void *)ring_fifo_enqueue,
	       .name = "ring_fifo");
