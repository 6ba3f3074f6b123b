/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Source compatibility with schedulers written against the kernel's example headers
 * (tools/sched_ext/include/scx): the names they use, implemented on scxx. Include this instead of
 * copying those headers; new code can use <scxx/scxx.bpf.h> directly.
 */
#ifndef SCXX_SCX_COMMON_BPF_H
#define SCXX_SCX_COMMON_BPF_H

#include <scxx/scxx.bpf.h>

#define BPF_STRUCT_OPS(name, args...) SCXX_OP(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SCXX_OP_SLEEPABLE(name, ##args)

#define scx_bpf_error(fmt, args...) scxx_error(fmt, ##args)
#define scx_bpf_exit(code, fmt, args...) scxx_exit(code, fmt, ##args)
#define scx_bpf_dump(fmt, args...) scxx_dump(fmt, ##args)

#define BPF_FOR_EACH_ITER SCXX_FOR_EACH_ITER

#define time_before(a, b) scxx_time_before((a), (b))
#define time_after(a, b) scxx_time_after((a), (b))
#define time_before_eq(a, b) scxx_time_before_eq((a), (b))
#define time_after_eq(a, b) scxx_time_after_eq((a), (b))
#define time_delta(a, b) scxx_time_delta((a), (b))
#define time_in_range(a, b, c) (scxx_time_after_eq((a), (b)) && scxx_time_before_eq((a), (c)))
#define time_in_range_open(a, b, c) (scxx_time_after_eq((a), (b)) && scxx_time_before((a), (c)))

#define scale_by_task_weight(p, value) scxx_scale_by_weight((p), (value))
#define scale_by_task_weight_inverse(p, value) scxx_scale_by_weight_inverse((p), (value))
#define cast_mask(mask) scxx_cast_mask(mask)

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

#include <scx/compat.bpf.h>
#include <scx/user_exit_info.bpf.h>

#endif /* SCXX_SCX_COMMON_BPF_H */
