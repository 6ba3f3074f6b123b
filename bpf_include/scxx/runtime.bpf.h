/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The SDK's BPF runtime: the pieces the C++ side (include/scxx) reads and drives.
 *   scxx_exit_info     the kernel's exit info, recorded by ops.exit
 *   SCXX_COUNTERS      per-CPU counters
 *   scxx_sys_*         programs the loader runs with BPF_PROG_RUN to act on DSQs and CPUs from
 *                      userspace; not loaded unless the loader enables them ("?syscall")
 */
#ifndef SCXX_RUNTIME_BPF_H
#define SCXX_RUNTIME_BPF_H

#include <scxx/portable.bpf.h>
#include <scxx/runtime.h> /* the records shared with the C++ side */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxx_exit_dump);
} scxx_exit_dump SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxx_exit_record);
} scxx_exit_info SEC(".maps");

static __always_inline void __scxx_fill_exit_record(struct scxx_exit_record *rec, struct scx_exit_info *ei)
{
	bpf_probe_read_kernel_str(rec->reason, sizeof(rec->reason), ei->reason);
	bpf_probe_read_kernel_str(rec->msg, sizeof(rec->msg), ei->msg);
	rec->exit_code = ei->exit_code;
	asm volatile("" ::: "memory"); /* kind last: the compiler must not reorder it */
	rec->kind = ei->kind;
}

/* Copies the kernel's exit info into scxx_exit_info. Call it from your own ops.exit, if you have one. */
static __always_inline void scxx_record_exit(struct scx_exit_info *ei)
{
	u32 zero = 0;
	struct scxx_exit_dump *dump = bpf_map_lookup_elem(&scxx_exit_dump, &zero);
	struct scxx_exit_record *rec = bpf_map_lookup_elem(&scxx_exit_info, &zero);

	if (dump && ei->dump)
		bpf_probe_read_kernel_str(dump->text, sizeof(dump->text), ei->dump);
	if (rec)
		__scxx_fill_exit_record(rec, ei);
}

/* The default ops.exit that SCXX_SCHEDULER installs ("?": not loaded where no ops map refers to it). */
SEC("?struct_ops/scxx_default_exit")
void BPF_PROG(scxx_default_exit, struct scx_exit_info *ei)
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

/*
 * Userspace control. The loader fills a struct scxx_sys_args, runs the program with
 * BPF_PROG_RUN and reads back ret.
 */

SEC("?syscall")
int scxx_sys_create_dsq(struct scxx_sys_args *a)
{
	a->ret = scxx_dsq_create(scxx_dsq_from_id(a->dsq_id), (s32)a->arg);
	return 0;
}

/* ret -ENOENT for a DSQ that does not exist (the kfunc itself says nothing). */
SEC("?syscall")
int scxx_sys_destroy_dsq(struct scxx_sys_args *a)
{
	scxx_dsq_t dsq = scxx_dsq_from_id(a->dsq_id);
	s32 queued = scxx_dsq_nr_queued(dsq);

	if (queued < 0) {
		a->ret = queued;
		return 0;
	}
	scxx_dsq_destroy(dsq);
	a->ret = 0;
	return 0;
}

SEC("?syscall")
int scxx_sys_nr_queued(struct scxx_sys_args *a)
{
	a->ret = scxx_dsq_nr_queued(scxx_dsq_from_id(a->dsq_id));
	return 0;
}

SEC("?syscall")
int scxx_sys_kick_cpu(struct scxx_sys_args *a)
{
	scxx_kick_cpu(a->cpu, a->arg);
	a->ret = 0;
	return 0;
}

/*
 * Moves every task queued on dsq_id to the DSQ in arg; ret is how many moved, or -ENOENT if dsq_id
 * does not exist (iterating it would just find nothing).
 */
SEC("?syscall")
int scxx_sys_move_all(struct scxx_sys_args *a)
{
	scxx_dsq_t from = scxx_dsq_from_id(a->dsq_id), to = scxx_dsq_from_id(a->arg);
	struct task_struct *p;
	s32 moved = 0;
	s32 queued = scxx_dsq_nr_queued(from);

	if (queued < 0) {
		a->ret = queued;
		return 0;
	}

	bpf_rcu_read_lock(); /* DSQ iteration outside the scheduler's callbacks needs RCU */
	scxx_dsq_for_each(p, from) {
		if (scxx_dsq_move(SCXX_FOR_EACH_ITER, p, to, 0))
			moved++;
	}
	bpf_rcu_read_unlock();
	a->ret = moved;
	return 0;
}

/*
 * sched_ext's event counters (6.15 and later; ret -EOPNOTSUPP before), in the running kernel's own
 * layout of struct scx_event_stats, which userspace reads with that kernel's BTF.
 */
SEC("?syscall")
int scxx_sys_events(struct scxx_sys_events *a)
{
	struct scx_event_stats stats;

	_Static_assert(sizeof(stats) <= sizeof(a->stats), "struct scx_event_stats outgrew SCXX_EVENTS_LEN");
	/* Older kernels refuse a pointer into the context as the kfunc's buffer: copy through the stack. */
	a->ret = scxx_events(&stats, sizeof(stats)) ? 0 : -95 /* -EOPNOTSUPP */;
	__builtin_memcpy(&a->stats, &stats, sizeof(stats));
	return 0;
}

#endif /* SCXX_RUNTIME_BPF_H */
