/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The SDK's BPF runtime: the pieces the C++ side (include/scxx) reads and drives.
 * Included by scxx.bpf.h; not meant to be included on its own.
 */
#ifndef SCXX_RUNTIME_BPF_H
#define SCXX_RUNTIME_BPF_H

/* Sizes shared with include/scxx/exit_info.hpp. */
#define SCXX_EXIT_REASON_LEN 128
#define SCXX_EXIT_MSG_LEN 1024

/* The kernel's exit info, copied out when the scheduler exits; the loader reads it after detach. */
struct scxx_exit_record {
	s32 kind; /* enum scx_exit_kind; written last, so non-zero means the record is whole */
	u32 reserved;
	s64 exit_code;
	char reason[SCXX_EXIT_REASON_LEN];
	char msg[SCXX_EXIT_MSG_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxx_exit_record);
} scxx_exit_info SEC(".maps");

/* Copies the kernel's exit info into scxx_exit_info. Call it from your own ops.exit, if you have one. */
static __always_inline void scxx_record_exit(struct scx_exit_info *ei)
{
	u32 zero = 0;
	struct scxx_exit_record *rec = bpf_map_lookup_elem(&scxx_exit_info, &zero);

	if (!rec)
		return;
	bpf_probe_read_kernel_str(rec->reason, sizeof(rec->reason), ei->reason);
	bpf_probe_read_kernel_str(rec->msg, sizeof(rec->msg), ei->msg);
	rec->exit_code = ei->exit_code;
	asm volatile("" ::: "memory"); /* kind last: the compiler must not reorder it */
	rec->kind = ei->kind;
}

/* The default ops.exit that SCXX_SCHEDULER installs. */
SEC("struct_ops/scxx_exit")
void BPF_PROG(scxx_exit, struct scx_exit_info *ei)
{
	scxx_record_exit(ei);
}

/*
 * Per-CPU counters: SCXX_COUNTERS(stats, NR) defines a per-CPU array of NR u64 slots; the C++ side
 * reads it with scxx::PerCpuArray<std::uint64_t> and sums over CPUs.
 */
#define SCXX_COUNTERS(name, nr)                         \
	struct {                                        \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, (nr));              \
		__type(key, u32);                       \
		__type(value, u64);                     \
	} name SEC(".maps")

/* Adds V to slot IDX of this CPU's counters: no atomics needed, each CPU owns its slot. */
#define scxx_counter_add(map, idx, v)                                    \
	({                                                               \
		u32 __scxx_idx = (idx);                                  \
		u64 *__scxx_cnt = bpf_map_lookup_elem((map), &__scxx_idx); \
		if (__scxx_cnt)                                          \
			*__scxx_cnt += (v);                              \
	})

#endif /* SCXX_RUNTIME_BPF_H */
