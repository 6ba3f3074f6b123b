/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Typed DSQs. The kernel names a DSQ by a u64 id: bit 63 marks its built-in DSQs (global, local,
 * local-on-CPU), user DSQs (scxx_dsq_create) keep it clear. scxx's calls take a scxx_dsq_t, which a
 * number does not convert into: passing one is a compile error ("passing 'unsigned long long' to
 * parameter of incompatible type 'scxx_dsq_t'"), so a CPU number, a slice or a flag cannot be
 * queued on by mistake. Made by:
 *   scxx_dsq_global()        the global FIFO
 *   scxx_dsq_local()         the local DSQ of the CPU the callback runs for
 *   scxx_dsq_local_on(cpu)   the local DSQ of CPU
 *   scxx_dsq_user(id)        a user DSQ: a constant id with bit 63 set does not compile; a run-time
 *                            one ejects the scheduler with an error naming the id
 *   scxx_dsq_from_id(id)     any id got elsewhere (a map, userspace, the kernel), unchecked
 * and read by scxx_dsq_id(dsq) (the u64, e.g. for the kernel's own kfuncs) and scxx_dsq_is_builtin().
 * The handle is a struct of one u64 passed to always-inline calls: it costs nothing.
 */
#ifndef SCXX_DSQ_BPF_H
#define SCXX_DSQ_BPF_H

#include <scxx/helpers.bpf.h>

#define SCXX_DSQ_BUILTIN_BIT (1ULL << 63)

typedef struct scxx_dsq {
	u64 id;
} scxx_dsq_t;

static __always_inline scxx_dsq_t scxx_dsq_from_id(u64 id)
{
	return (scxx_dsq_t){ .id = id };
}

static __always_inline u64 scxx_dsq_id(scxx_dsq_t dsq)
{
	return dsq.id;
}

static __always_inline scxx_dsq_t scxx_dsq_global(void)
{
	return scxx_dsq_from_id(SCX_DSQ_GLOBAL);
}

static __always_inline scxx_dsq_t scxx_dsq_local(void)
{
	return scxx_dsq_from_id(SCX_DSQ_LOCAL);
}

static __always_inline scxx_dsq_t scxx_dsq_local_on(s32 cpu)
{
	return scxx_dsq_from_id(SCX_DSQ_LOCAL_ON | (u32)cpu);
}

/* Called only if a constant user DSQ id has the built-in bit: the build fails with this message. */
extern void __scxx_user_dsq_id_has_bit_63_set(void)
	__attribute__((error("scxx_dsq_user(): a user DSQ id must keep bit 63 (built-in DSQs) clear")));

static __always_inline scxx_dsq_t __scxx_dsq_user_checked(u64 id)
{
	if (id & SCXX_DSQ_BUILTIN_BIT) {
		scxx_error("scxx_dsq_user(): invalid user DSQ id 0x%llx: bit 63 is reserved for built-in DSQs", id);
		return scxx_dsq_from_id(SCX_DSQ_INVALID);
	}
	return scxx_dsq_from_id(id);
}

#define scxx_dsq_user(id)                                                                  \
	({                                                                                 \
		if (__builtin_constant_p(id) && ((u64)(id) & SCXX_DSQ_BUILTIN_BIT))        \
			__scxx_user_dsq_id_has_bit_63_set();                               \
		__builtin_constant_p(id) ? scxx_dsq_from_id(id) : __scxx_dsq_user_checked(id); \
	})

/* True for the kernel's built-in DSQs. */
static __always_inline bool scxx_dsq_is_builtin(scxx_dsq_t dsq)
{
	return dsq.id & SCXX_DSQ_BUILTIN_BIT;
}

/*
 * Iterates the tasks queued on DSQ, P each in turn (bpf_for_each(scx_dsq, ...)); inside,
 * SCXX_FOR_EACH_ITER is the iterator for scxx_dsq_move*() and scxx_dsq_move_set_*().
 */
#define scxx_dsq_for_each(p, dsq) bpf_for_each(scx_dsq, p, scxx_dsq_id(dsq), 0)

/*
 * Whether the first task on DSQ (ordered by vtime) that CPU may run has a key (its dsq_vtime)
 * before KEY. What a vtime scheduler asks in ops.dispatch when PREV used up its slice: the kernel
 * asks before it queues PREV again, so PREV is not on DSQ to be compared with, and keeping it
 * unless this says otherwise is what makes tasks sharing a CPU get it by weight rather than a
 * slice each in turn.
 */
static __always_inline bool scxx_dsq_first_before(scxx_dsq_t dsq, s32 cpu, u64 key)
{
	struct task_struct *p;

	scxx_dsq_for_each(p, dsq) {
		if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			return scxx_time_before(p->scx.dsq_vtime, key);
	}
	return false;
}

#endif /* SCXX_DSQ_BPF_H */
