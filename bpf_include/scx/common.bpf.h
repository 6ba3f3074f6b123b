/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Source compatibility with schedulers written against the kernel's example headers
 * (tools/sched_ext/include/scx, 6.12 to 7.3): the names they use, implemented on scxx. Include this
 * instead of copying those headers; new code can use <scxx/scxx.bpf.h> directly.
 * docs/bpf-api.md lists what is provided and the few names that are not.
 */
#ifndef SCXX_SCX_COMMON_BPF_H
#define SCXX_SCX_COMMON_BPF_H

#include <scxx/scxx.bpf.h>
#include <scxx/arena.bpf.h>

#define BPF_STRUCT_OPS(name, args...) SCXX_OP(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SCXX_OP_SLEEPABLE(name, ##args)

#define scx_bpf_error(fmt, args...) scxx_error(fmt, ##args)
#define scx_bpf_exit(code, fmt, args...) scxx_exit(code, fmt, ##args)
#define scx_bpf_dump(fmt, args...) scxx_dump(fmt, ##args)
#define scx_bpf_sub_kill(cgroup_id, fmt, args...) scxx_sub_kill(cgroup_id, fmt, ##args)

#define BPF_FOR_EACH_ITER SCXX_FOR_EACH_ITER

/* A member of struct scx_event_stats, 0 on kernels whose stats lack it. */
#define scx_read_event(events, member) \
	(bpf_core_field_exists((events)->member) ? (events)->member : 0)

/* Time comparisons; time_delta is AFTER - BEFORE, or 0 if BEFORE is not earlier. */
static __always_inline bool time_before(u64 a, u64 b) { return scxx_time_before(a, b); }
static __always_inline bool time_after(u64 a, u64 b) { return scxx_time_after(a, b); }
static __always_inline bool time_before_eq(u64 a, u64 b) { return scxx_time_before_eq(a, b); }
static __always_inline bool time_after_eq(u64 a, u64 b) { return scxx_time_after_eq(a, b); }
static __always_inline s64 time_delta(u64 after, u64 before) { return (s64)scxx_time_delta(after, before); }
static __always_inline bool time_in_range(u64 a, u64 b, u64 c)
{
	return scxx_time_after_eq(a, b) && scxx_time_before_eq(a, c);
}
static __always_inline bool time_in_range_open(u64 a, u64 b, u64 c)
{
	return scxx_time_after_eq(a, b) && scxx_time_before(a, c);
}

#define scale_by_task_weight(p, value) scxx_scale_by_weight((p), (value))
#define scale_by_task_weight_inverse(p, value) scxx_scale_by_weight_inverse((p), (value))
#define cast_mask(mask) scxx_cast_mask(mask)
#define is_migration_disabled(p) scxx_task_migration_disabled(p)
#define get_prandom_u64() scxx_prandom_u64()
#define log2_u32(v) scxx_log2_u32(v)
/* As the kernel's headers compute it: floor(log2(V)) + 1, the width of V in bits (1 for 0). */
#define log2_u64(v) (scxx_log2_u64(v) + 1)
#define __sqrt_u64(v) scxx_sqrt_u64(v)
#define for_each_possible_cpu(cpu) scxx_for_each_possible_cpu(cpu)
#define for_each_online_cpu(cpu) scxx_for_each_online_cpu(cpu)
#define scx_clock_task(cpu) scxx_clock_task(cpu)
#define scx_clock_pelt(cpu) scxx_clock_pelt(cpu)
#define scx_clock_virt(cpu) scxx_clock_virt(cpu)
#define scx_clock_irq(cpu) scxx_clock_irq(cpu)
/* Names of the kernel's headers scxx does not give, refused with what to use instead. */
extern struct rq *__scxx_get_current_rq_is_not_provided(void) __attribute__((
	error("get_current_rq() is not provided by scxx: read the clocks with "
	      "scxx_clock_task/pelt/virt/irq(cpu), the run queue with bpf_per_cpu_ptr(&runqueues, cpu)")));
#define get_current_rq(cpu) __scxx_get_current_rq_is_not_provided()
#define __calc_avg(old, new, decay) scxx_ewma((old), (new), (decay))
#define scx_bpf_dump_header() scxx_dump_header()
#define SCX_STRINGIFY(x) #x
#define SCX_TOSTRING(x) SCX_STRINGIFY(x)
/* Keeps the compiler from folding EXPR away (the value is considered read and written here). */
#define __sink(expr) asm volatile("" : "+g"(expr))
#define ctzll(v) ((int)scxx_ctz_u64(v))

#ifndef __maybe_unused
#define __maybe_unused __attribute__((__unused__))
#endif

/*
 * A global in a data section of its own: the way to give BPF spin locks, rbtree and list heads
 * and kptrs a home of their own (each such section becomes its own map).
 */
#define private(name) SCXX_PRIVATE(name)
/* Names the node type a BPF list or rbtree head holds: __contains(type, member). */
#define __contains(type, member) __attribute__((btf_decl_tag("contains:" #type ":" #member)))

#define bpf_obj_new(type) scxx_obj_new(type)
#define bpf_obj_drop(kptr) scxx_obj_drop(kptr)
#define bpf_refcount_acquire(kptr) scxx_refcount_acquire(kptr)
#define bpf_rbtree_add(root, node, less) scxx_rbtree_add((root), (node), (less))
#define bpf_list_push_front(head, node) scxx_list_push_front((head), (node))
#define bpf_list_push_back(head, node) scxx_list_push_back((head), (node))

/* Size of a struct with a flexible array MEMBER of COUNT elements. */
#define struct_size_t(type, member, count) (sizeof(type) + sizeof(((type *)0)->member[0]) * (count))
#define struct_size(p, member, count) (sizeof(*(p)) + sizeof((p)->member[0]) * (count))
#define flex_array_size(p, member, count) (sizeof((p)->member[0]) * (count))

/*
 * A pointer to BASE+offset if the offset stays within MAX, else NULL, computed so that the
 * verifier sees the bounds check (the empty asm keeps the compiler from folding it away).
 */
static __always_inline void *__scxx_bounded_ptr(void *base, u64 off, u64 max)
{
	asm volatile("" : "+r"(off));
	if (off > max)
		return NULL;
	return (char *)base + off;
}

/* A verified pointer to a member of an object (not of a pointer): MEMBER_VPTR(arr, [i][j]). */
#define MEMBER_VPTR(base, member)                                                                 \
	((typeof((base) member) *)({                                                              \
		_Static_assert(sizeof(base) >= sizeof((base) member),                             \
			       "MEMBER_VPTR: base must be the object itself, not a pointer to it"); \
		__scxx_bounded_ptr((void *)&(base), (u64)((char *)&((base) member) - (char *)&(base)), \
				   sizeof(base) - sizeof((base) member));                         \
	}))

/* A verified pointer to element I of array ARR of N elements (N may be set at load time). */
#define ARRAY_ELEM_PTR(arr, i, n) \
	((typeof(&(arr)[0]))__scxx_bounded_ptr((void *)(arr), (u64)(i) * sizeof((arr)[0]), sizeof((arr)[0]) * ((n) - 1)))

/* An array that userspace may resize before load: the last member of its own data section. */
#define RESIZABLE_ARRAY(elfsec, arr) arr[1] SEC("." #elfsec "." #arr)

#include <scx/cid.bpf.h>
#include <scx/compat.bpf.h>
#include <scx/user_exit_info.bpf.h>

#endif /* SCXX_SCX_COMMON_BPF_H */
