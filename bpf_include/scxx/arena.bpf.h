/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * BPF arenas (memory shared by BPF programs and userspace, BPF_MAP_TYPE_ARENA) and bounded loops:
 *   __arena              qualifies a pointer into the arena
 *   __arena_global       puts a global into the arena
 *   cast_kern/cast_user  kept for older sources; the compiler does these casts itself
 *   can_loop             true until the verifier's loop budget runs out (may_goto)
 *   cond_break           break out of the enclosing loop when that budget runs out
 * The arena kfuncs (bpf_arena_alloc_pages ...) are declared in <scxx/kfuncs.bpf.h>. Both features
 * need clang 19 or later; with an older clang, using them stops the build with a message saying so.
 */
#ifndef SCXX_ARENA_BPF_H
#define SCXX_ARENA_BPF_H

#include <scxx/base.bpf.h>

#ifndef PAGE_SIZE
#define PAGE_SIZE 4096
#endif

#ifdef __BPF_FEATURE_ADDR_SPACE_CAST
#define __arena __attribute__((address_space(1)))
#define __arena_global __attribute__((address_space(1)))
#else
#define __arena _Pragma("GCC error \"__arena needs clang 19 or later (BPF address space casts)\"")
#define __arena_global __arena
#endif
#define cast_kern(ptr)
#define cast_user(ptr)
extern void __scxx_bpf_addr_space_cast_is_not_provided(void) __attribute__((
	error("bpf_addr_space_cast() is not provided by scxx: clang 19 and later cast __arena "
	      "pointers themselves; drop the call")));
#define bpf_addr_space_cast(var, dst_as, src_as) __scxx_bpf_addr_space_cast_is_not_provided()

#ifdef __BPF_FEATURE_MAY_GOTO
#define can_loop                                                    \
	({                                                          \
		__label__ __scxx_out, __scxx_in;                    \
		bool __scxx_more = true;                            \
		asm volatile goto("may_goto %l[__scxx_out]" :::: __scxx_out); \
		goto __scxx_in;                                     \
	__scxx_out:                                                 \
		__scxx_more = false;                                \
	__scxx_in:                                                  \
		__scxx_more;                                        \
	})
#define __scxx_on_budget_out(stmt)                                  \
	({                                                          \
		__label__ __scxx_out, __scxx_in;                    \
		asm volatile goto("may_goto %l[__scxx_out]" :::: __scxx_out); \
		goto __scxx_in;                                     \
	__scxx_out:                                                 \
		stmt;                                               \
	__scxx_in:;                                                 \
	})
#else
#define can_loop _Pragma("GCC error \"can_loop needs clang 19 or later (BPF may_goto)\"") true
#define __scxx_on_budget_out(stmt) _Pragma("GCC error \"cond_break needs clang 19 or later (BPF may_goto)\"")
#endif
#define cond_break __scxx_on_budget_out(break)
#define cond_break_label(label) __scxx_on_budget_out(goto label)

#endif /* SCXX_ARENA_BPF_H */
