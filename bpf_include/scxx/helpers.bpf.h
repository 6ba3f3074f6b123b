/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Everyday helpers for scheduler code: error/exit/dump with printf-style checking, time
 * comparisons, weight scaling, cpumasks released automatically, READ_ONCE/WRITE_ONCE.
 */
#ifndef SCXX_HELPERS_BPF_H
#define SCXX_HELPERS_BPF_H

#include <scxx/base.bpf.h>

/* Never called: lets the compiler check a format string against its arguments. */
static inline __attribute__((format(printf, 1, 2))) void __scxx_check_format(const char *fmt, ...)
{
}

/*
 * The kernel's *_bstr kfuncs take the format and an array of u64 arguments: this declares both
 * (at least one slot: the verifier wants a non-empty buffer) and checks the format.
 */
#define __scxx_bstr_args(fmt, args...)                                          \
	static char ___scxx_fmt[] = fmt;                                        \
	unsigned long long ___scxx_data[___bpf_narg(args) ?: 1] = {};           \
	_Pragma("GCC diagnostic push")                                          \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                  \
	___bpf_fill(___scxx_data, args);                                        \
	_Pragma("GCC diagnostic pop")                                           \
	if (0)                                                                  \
		__scxx_check_format(fmt, ##args);

/* Ejects the scheduler with exit kind ERROR_BPF and this message (shown in the loader's ExitInfo). */
#define scxx_error(fmt, args...)                                                              \
	({                                                                                    \
		__scxx_bstr_args(fmt, ##args)                                                 \
		scx_bpf_error_bstr(___scxx_fmt, ___scxx_data, sizeof(___scxx_data));          \
	})

/* Ends the scheduler in an orderly way (exit kind UNREG_BPF) with CODE and this message. */
#define scxx_exit(code, fmt, args...)                                                         \
	({                                                                                    \
		__scxx_bstr_args(fmt, ##args)                                                 \
		scx_bpf_exit_bstr((code), ___scxx_fmt, ___scxx_data, sizeof(___scxx_data));   \
	})

/* Writes a line to the debug dump, from ops.dump, ops.dump_cpu or ops.dump_task. */
#define scxx_dump(fmt, args...)                                                               \
	({                                                                                    \
		__scxx_bstr_args(fmt, ##args)                                                 \
		scx_bpf_dump_bstr(___scxx_fmt, ___scxx_data, sizeof(___scxx_data));           \
	})

/* Dump lines saying which kernel (version, local version) and compiler the scheduler runs on. */
#define scxx_dump_header()                                                                \
	scxx_dump("kernel: %d.%d.%d %s\ncc: %s\n", LINUX_KERNEL_VERSION >> 16,             \
		  (LINUX_KERNEL_VERSION >> 8) & 0xff, LINUX_KERNEL_VERSION & 0xff,            \
		  CONFIG_LOCALVERSION, CONFIG_CC_VERSION_TEXT)

/*
 * Ends sub-scheduler CGROUP_ID (7.1 sub-schedulers) with this message; a no-op on kernels without
 * sub-schedulers.
 */
#define scxx_sub_kill(cgroup_id, fmt, args...)                                                          \
	({                                                                                              \
		__scxx_bstr_args(fmt, ##args)                                                           \
		if (bpf_ksym_exists(scx_bpf_sub_kill_bstr))                                             \
			scx_bpf_sub_kill_bstr((cgroup_id), ___scxx_fmt, ___scxx_data, sizeof(___scxx_data)); \
	})

/* Wrap-safe comparisons of u64 timestamps and vtimes. */
static __always_inline bool scxx_time_before(u64 a, u64 b) { return (s64)(a - b) < 0; }
static __always_inline bool scxx_time_after(u64 a, u64 b) { return (s64)(b - a) < 0; }
static __always_inline bool scxx_time_before_eq(u64 a, u64 b) { return (s64)(a - b) <= 0; }
static __always_inline bool scxx_time_after_eq(u64 a, u64 b) { return (s64)(b - a) <= 0; }
/* a - b, or 0 if a is not after b. */
static __always_inline u64 scxx_time_delta(u64 a, u64 b) { return scxx_time_after(a, b) ? a - b : 0; }

/* Scales VALUE by the task's weight (100 = nice 0): heavier tasks get more. */
static __always_inline u64 scxx_scale_by_weight(const struct task_struct *p, u64 value)
{
	return value * p->scx.weight / 100;
}

/* Scales VALUE inversely to the task's weight: vtime charges grow slower for heavier tasks. */
static __always_inline u64 scxx_scale_by_weight_inverse(const struct task_struct *p, u64 value)
{
	return value * 100 / p->scx.weight;
}

/*
 * Whether P is pinned to its CPU by migrate_disable(). For non-sleepable programs: the BPF
 * trampoline may itself have disabled migration for the task it runs in (always before 6.18; from
 * 6.18 only with CONFIG_PREEMPT_RCU), so a count of one on the current task is the trampoline's.
 */
static __always_inline bool scxx_task_migration_disabled(const struct task_struct *p)
{
	unsigned int count;

	if (!bpf_core_field_exists(p->migration_disabled))
		return false;
	count = p->migration_disabled;
	if (count != 1)
		return count > 1;
	if (LINUX_KERNEL_VERSION >= KERNEL_VERSION(6, 18, 0) && !CONFIG_PREEMPT_RCU)
		return true;
	return p != bpf_get_current_task_btf();
}

/* 64 bits from the kernel's pseudo-random generator. */
static __always_inline u64 scxx_prandom_u64(void)
{
	return ((u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32();
}

/* floor(log2(V)), 0 for V = 0. */
static __always_inline u32 scxx_log2_u32(u32 v)
{
	return v ? 31 - __builtin_clz(v) : 0;
}

static __always_inline u32 scxx_log2_u64(u64 v)
{
	return v ? 63 - __builtin_clzll(v) : 0;
}

/*
 * floor(sqrt(V)), exactly. Newton's iteration from above falls to it; starting below twice the
 * root, seven steps get there for every 64-bit V (straight-line code: no loop for the verifier).
 */
static __always_inline u64 scxx_sqrt_u64(u64 v)
{
	u64 x, next;

	if (v < 2)
		return v;
	x = 1ULL << (scxx_log2_u64(v) / 2 + 1);
#pragma unroll
	for (int i = 0; i < 7; i++) {
		next = (x + v / x) / 2;
		if (next < x)
			x = next;
	}
	return x;
}

/*
 * Exponentially weighted moving average: OLD moved towards NEW by 1/2^DECAY of the difference (by
 * half while either value is below 2^DECAY, so small values still move; 1 then 0 gives 0).
 */
static __always_inline u64 scxx_ewma(u64 old, u64 new, u32 decay)
{
	u64 shift = old < (1ULL << decay) || new < (1ULL << decay) ? 1 : decay;

	if (old == 1 && new == 0)
		return 0;
	return old - (old >> shift) + (new >> shift);
}

static __always_inline u32 scxx_popcount_u64(u64 v)
{
	return __builtin_popcountll(v);
}

/* The number of trailing zero bits of V, 64 for V = 0 (clang's BPF backend has ctz from 19). */
static __always_inline u32 scxx_ctz_u64(u64 v)
{
	if (!v)
		return 64;
#if __clang_major__ >= 19
	return __builtin_ctzll(v);
#else
	return scxx_popcount_u64((v & -v) - 1);
#endif
}

/*
 * Puts a global in data section .data.NAME of its own, which libbpf makes a map of its own: what
 * BPF spin locks, rbtree and list roots and kptrs need.
 */
#define SCXX_PRIVATE(name) SEC(".data." #name) __hidden __attribute__((aligned(8)))

/*
 * Cpumasks that release themselves when they go out of scope:
 *   const struct cpumask *idle __scxx_free_idle_cpumask = scx_bpf_get_idle_cpumask();
 *   const struct cpumask *online __scxx_free_cpumask = scx_bpf_get_online_cpumask();
 *   struct bpf_cpumask *mask __scxx_free_bpf_cpumask = bpf_cpumask_create();
 */
static __always_inline void __scxx_put_idle_cpumask(const struct cpumask **mask)
{
	if (*mask)
		scx_bpf_put_idle_cpumask(*mask);
}
static __always_inline void __scxx_put_cpumask(const struct cpumask **mask)
{
	if (*mask)
		scx_bpf_put_cpumask(*mask);
}
static __always_inline void __scxx_release_bpf_cpumask(struct bpf_cpumask **mask)
{
	if (*mask)
		bpf_cpumask_release(*mask);
}
#define __scxx_free_idle_cpumask __attribute__((cleanup(__scxx_put_idle_cpumask)))
#define __scxx_free_cpumask __attribute__((cleanup(__scxx_put_cpumask)))
#define __scxx_free_bpf_cpumask __attribute__((cleanup(__scxx_release_bpf_cpumask)))

/* Whether any CPU is idle (the kernel's built-in idle tracking). */
static __always_inline bool scxx_any_cpu_idle(void)
{
	const struct cpumask *idle __scxx_free_idle_cpumask = scx_bpf_get_idle_cpumask();

	return !bpf_cpumask_empty(idle);
}

/* A struct bpf_cpumask used where the kfuncs want a const struct cpumask. */
static __always_inline const struct cpumask *scxx_cast_mask(struct bpf_cpumask *mask)
{
	return (const struct cpumask *)mask;
}

/* In scxx_dsq_for_each() or bpf_for_each(scx_dsq, ...): the iterator for scxx_dsq_move*() and _move_set_*(). */
#define SCXX_FOR_EACH_ITER (&___it)

#ifndef READ_ONCE
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#endif
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, v) ((void)(*(volatile typeof(x) *)&(x) = (v)))
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#endif /* SCXX_HELPERS_BPF_H */
