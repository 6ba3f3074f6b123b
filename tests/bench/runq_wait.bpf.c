/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * How long tasks wait to run, whatever the scheduler: from the moment a task becomes runnable (it
 * is woken, or switched out while still runnable: preempted, its slice used up, or yielding) to
 * the moment it runs. Under a userspace policy that is the time from ops.enqueue through the
 * decision to the dispatch and the switch, measured the same way for every scheduler. A tracing
 * object for tools/bench-userspace, loaded in the guest with `bpftool prog loadall ... autoattach`.
 *
 * runq_wait_hist (per CPU) counts the waits in buckets: below 256 us one per microsecond; above,
 * 32 per power of two (bucket 256 + 32 * (log2(us) - 8) + the next five bits), which the reader
 * turns back into microseconds. Tasks of the tgid in runq_wait_skip (the scheduler's own process,
 * set by the reader) and kernel threads are not counted.
 *
 * runq_wait_sw (per CPU) counts every context switch on each CPU, so the reader can tell how
 * evenly a scheduler spread the work: under single-threaded TCG a CPU left idle gives its host
 * time to the other, which rewards a scheduler that keeps work on one CPU.
 */
#include <scxx/base.bpf.h>

char _license[] SEC("license") = "GPL";

#define LINEAR 256
#define SUB_BITS 5
#define NR_BUCKETS (LINEAR + 32 * (64 - 8))
#define TASK_RUNNING 0

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, u64);
} runq_wait_since SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_BUCKETS);
	__type(key, u32);
	__type(value, u64);
} runq_wait_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, s32);
} runq_wait_skip SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} runq_wait_sw SEC(".maps");

static __always_inline u32 log2_u64(u64 v)
{
	u32 r = 0;

	for (u32 half = 32; half; half /= 2) {
		if (v >> half) {
			v >>= half;
			r += half;
		}
	}
	return r;
}

static __always_inline u32 bucket(u64 us)
{
	u32 l;

	if (us < LINEAR)
		return us;
	l = log2_u64(us);
	return LINEAR + 32 * (l - 8) + ((us >> (l - SUB_BITS)) & 31);
}

static __always_inline bool counted(const struct task_struct *p)
{
	u32 zero = 0;
	s32 *skip = bpf_map_lookup_elem(&runq_wait_skip, &zero);

	return !(p->flags & PF_KTHREAD) && !(skip && *skip && p->tgid == *skip);
}

static __always_inline void runnable(struct task_struct *p)
{
	u64 *since;

	if (!counted(p))
		return;
	since = bpf_task_storage_get(&runq_wait_since, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (since)
		*since = bpf_ktime_get_ns();
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(runq_wait_wakeup, struct task_struct *p)
{
	runnable(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(runq_wait_wakeup_new, struct task_struct *p)
{
	runnable(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(runq_wait_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	u64 *since, *switches;
	u32 b, zero = 0;

	switches = bpf_map_lookup_elem(&runq_wait_sw, &zero);
	if (switches)
		(*switches)++;
	if (prev_state == TASK_RUNNING)
		runnable(prev);
	since = bpf_task_storage_get(&runq_wait_since, next, 0, 0);
	if (!since || !*since)
		return 0;
	b = bucket((bpf_ktime_get_ns() - *since) / 1000);
	*since = 0;
	if (b < NR_BUCKETS) {
		u64 *n = bpf_map_lookup_elem(&runq_wait_hist, &b);

		if (n)
			(*n)++;
	}
	return 0;
}
