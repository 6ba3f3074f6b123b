/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The CPUs the kernel knows and their run queues' clocks:
 *   scxx_for_each_possible_cpu(cpu), scxx_for_each_online_cpu(cpu)
 *       loops over the CPUs of the kernel's possible or online cpumask (held for the loop), with
 *       `int *cpu` pointing at each CPU number in turn, as bpf_for_each() iterators do
 *   scxx_clock_task(cpu)  the run queue's task clock: time spent running tasks, without IRQ time
 *   scxx_clock_pelt(cpu)  the PELT clock, which stops while the CPU is idle
 *   scxx_clock_virt(cpu)  time stolen by the hypervisor as the run queue last saw it (0 where the
 *                         kernel does not account steal time)
 *   scxx_clock_irq(cpu)   time spent in interrupts (0 without CONFIG_IRQ_TIME_ACCOUNTING)
 * The clocks are read without the run queue's lock: values a little stale, never torn.
 */
#ifndef SCXX_CPU_BPF_H
#define SCXX_CPU_BPF_H

#include <scxx/base.bpf.h>

/* A bpf_for_each() iterator over the set bits of the kernel's cpumask scx_bpf_get_SET_cpumask(). */
#define __SCXX_CPU_ITERATOR(set)                                                                  \
	struct bpf_iter_scxx_##set##_cpus {                                                       \
		struct bpf_iter_bits bits;                                                        \
		const struct cpumask *mask;                                                       \
	};                                                                                        \
	static __always_inline int                                                                \
	bpf_iter_scxx_##set##_cpus_new(struct bpf_iter_scxx_##set##_cpus *it)                     \
	{                                                                                         \
		it->mask = scx_bpf_get_##set##_cpumask();                                         \
		return bpf_iter_bits_new(&it->bits, (const u64 *)it->mask,                        \
					 sizeof(struct cpumask) / 8);                             \
	}                                                                                         \
	static __always_inline int *                                                              \
	bpf_iter_scxx_##set##_cpus_next(struct bpf_iter_scxx_##set##_cpus *it)                    \
	{                                                                                         \
		return bpf_iter_bits_next(&it->bits);                                             \
	}                                                                                         \
	static __always_inline void                                                               \
	bpf_iter_scxx_##set##_cpus_destroy(struct bpf_iter_scxx_##set##_cpus *it)                 \
	{                                                                                         \
		bpf_iter_bits_destroy(&it->bits);                                                 \
		scx_bpf_put_cpumask(it->mask);                                                    \
	}

__SCXX_CPU_ITERATOR(possible)
__SCXX_CPU_ITERATOR(online)

#define scxx_for_each_possible_cpu(cpu) bpf_for_each(scxx_possible_cpus, cpu)
#define scxx_for_each_online_cpu(cpu) bpf_for_each(scxx_online_cpus, cpu)

extern struct rq runqueues __ksym;

/* The fields the kernel has only in some configurations, found at load time (CO-RE). */
struct rq___scxx_steal {
	u64 prev_steal_time_rq;
} __attribute__((preserve_access_index));

struct irqtime___scxx {
	u64 total;
} __attribute__((preserve_access_index));

extern struct irqtime___scxx cpu_irqtime __ksym __weak;

static __always_inline struct rq *__scxx_rq(s32 cpu)
{
	return (struct rq *)bpf_per_cpu_ptr(&runqueues, cpu);
}

static __always_inline u64 scxx_clock_task(s32 cpu)
{
	struct rq *rq = __scxx_rq(cpu);

	return rq ? BPF_CORE_READ(rq, clock_task) : 0;
}

static __always_inline u64 scxx_clock_pelt(s32 cpu)
{
	struct rq *rq = __scxx_rq(cpu);

	return rq ? BPF_CORE_READ(rq, clock_pelt) - BPF_CORE_READ(rq, lost_idle_time) : 0;
}

static __always_inline u64 scxx_clock_virt(s32 cpu)
{
	struct rq___scxx_steal *rq;

	if (!bpf_core_field_exists(((struct rq___scxx_steal *)0)->prev_steal_time_rq))
		return 0;
	rq = (struct rq___scxx_steal *)__scxx_rq(cpu);
	return rq ? BPF_CORE_READ(rq, prev_steal_time_rq) : 0;
}

static __always_inline u64 scxx_clock_irq(s32 cpu)
{
	struct irqtime___scxx *irq;

	if (!bpf_core_type_exists(struct irqtime___scxx) || !&cpu_irqtime)
		return 0;
	irq = (struct irqtime___scxx *)bpf_per_cpu_ptr(&cpu_irqtime, cpu);
	return irq ? BPF_CORE_READ(irq, total) : 0;
}

#endif /* SCXX_CPU_BPF_H */
