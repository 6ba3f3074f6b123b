/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Typed DSQ ids. A DSQ id is a u64: bit 63 marks the kernel's built-in DSQs (global, local,
 * local-on-CPU), so the ids of user DSQs (scxx_dsq_create) must keep it clear.
 *   scxx_dsq_global()        the global FIFO
 *   scxx_dsq_local()         the local DSQ of the CPU the callback runs for
 *   scxx_dsq_local_on(cpu)   the local DSQ of CPU
 *   scxx_dsq_user(id)        a user DSQ: a constant id with bit 63 set does not compile; a run-time
 *                            one ejects the scheduler with an error naming the id
 */
#ifndef SCXX_DSQ_BPF_H
#define SCXX_DSQ_BPF_H

#include <scxx/helpers.bpf.h>

#define SCXX_DSQ_BUILTIN_BIT (1ULL << 63)

static __always_inline u64 scxx_dsq_global(void)
{
	return SCX_DSQ_GLOBAL;
}

static __always_inline u64 scxx_dsq_local(void)
{
	return SCX_DSQ_LOCAL;
}

static __always_inline u64 scxx_dsq_local_on(s32 cpu)
{
	return SCX_DSQ_LOCAL_ON | (u32)cpu;
}

/* Called only if a constant user DSQ id has the built-in bit: the build fails with this message. */
extern void __scxx_user_dsq_id_has_bit_63_set(void)
	__attribute__((error("scxx_dsq_user(): a user DSQ id must keep bit 63 (built-in DSQs) clear")));

static __always_inline u64 __scxx_dsq_user_checked(u64 id)
{
	if (id & SCXX_DSQ_BUILTIN_BIT) {
		scxx_error("scxx_dsq_user(): invalid user DSQ id 0x%llx: bit 63 is reserved for built-in DSQs", id);
		return SCX_DSQ_INVALID;
	}
	return id;
}

#define scxx_dsq_user(id)                                                                  \
	({                                                                                 \
		if (__builtin_constant_p(id) && ((u64)(id) & SCXX_DSQ_BUILTIN_BIT))        \
			__scxx_user_dsq_id_has_bit_63_set();                               \
		__builtin_constant_p(id) ? (u64)(id) : __scxx_dsq_user_checked(id);        \
	})

/* True for the ids of the kernel's built-in DSQs. */
static __always_inline bool scxx_dsq_is_builtin(u64 dsq_id)
{
	return dsq_id & SCXX_DSQ_BUILTIN_BIT;
}

#endif /* SCXX_DSQ_BPF_H */
