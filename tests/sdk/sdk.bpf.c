/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The scheduler the C++ SDK's VM test drives: one shared FIFO with an ops.update_idle callback (so the
 * ops-flag rules can be exercised), and one map of each kind the typed views cover. sdk_echo, run
 * from userspace, drains the user ring buffer and reflects every record into the ring buffer, the
 * hash and the array.
 */
#include <scxx/scxx.bpf.h>
#include "sdk.h"

char _license[] SEC("license") = "GPL";

SCXX_COUNTERS(stats, SDK_NR_STATS);

#define SHARED_DSQ scxx_dsq_user(0)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct sdk_config);
} sdk_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} in SEC(".maps");

void SCXX_OP(sdk_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_counter_add(&stats, SDK_STAT_ENQUEUED, 1);
	scxx_dsq_insert(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCXX_OP(sdk_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scxx_dsq_move_to_local(SHARED_DSQ))
		scxx_counter_add(&stats, SDK_STAT_DISPATCHED, 1);
}

void SCXX_OP(sdk_update_idle, s32 cpu, bool idle)
{
	scxx_counter_add(&stats, SDK_STAT_IDLE_UPDATES, 1);
}

s32 SCXX_OP_SLEEPABLE(sdk_init)
{
	return scxx_dsq_create(SHARED_DSQ, -1);
}

static long echo_one(struct bpf_dynptr *dynptr, void *ctx)
{
	struct sdk_cmd cmd;
	u32 zero = 0;

	if (bpf_dynptr_read(&cmd, sizeof(cmd), dynptr, 0, 0))
		return 1;
	bpf_map_update_elem(&seen, &cmd.key, &cmd.value, BPF_ANY);
	struct sdk_config *c = bpf_map_lookup_elem(&sdk_cfg, &zero);
	if (c) {
		c->records++;
		c->total += cmd.value;
	}
	cmd.value *= 2;
	bpf_ringbuf_output(&out, &cmd, sizeof(cmd), 0);
	return 0;
}

SEC("syscall")
int sdk_echo(void *ctx)
{
	return bpf_user_ringbuf_drain(&in, echo_one, NULL, 0);
}

SCXX_SCHEDULER(sdk_ops,
	       .enqueue = (void *)sdk_enqueue,
	       .dispatch = (void *)sdk_dispatch,
	       .update_idle = (void *)sdk_update_idle,
	       .init = (void *)sdk_init,
	       .name = "sdk");
