/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The topology inside BPF (scxx/topology.bpf.h) under a real workload: ops.init builds the masks
 * and copies each CPU's core, LLC and node masks (CPUs 0-63) to bss for the loader to print and
 * the test to compare with sysfs; ops.select_cpu places every wakeup with scxx_topo_pick_idle and
 * counts where it landed (also per LLC, in an SCXX_LLC_CTX), and any pick outside the task's
 * cpumask or at a level its CPU does not match.
 */
#include <scxx/scxx.bpf.h>
#include <scxx/topology.bpf.h>

char _license[] SEC("license") = "GPL";

enum {
	ST_PICKED,                                  /* one per enum scxx_idle_level, from here on */
	ST_OUTSIDE = ST_PICKED + SCXX_IDLE_NR_LEVELS, /* a pick the task may not run on: must stay 0 */
	ST_WRONG_LEVEL,                             /* a CPU that does not match its level: must stay 0 */
	ST_NARROW,                                  /* picks for tasks allowed on some CPUs only */
	ST_LLC_CTX_BAD,                             /* an LLC without context, or NONE with one: 0 */
	ST_NR,
};
SCXX_COUNTERS(stats, ST_NR);

#define SEEN_CPUS 64
u64 core_bits[SEEN_CPUS], llc_bits[SEEN_CPUS], node_bits[SEEN_CPUS];
u32 core_of[SEEN_CPUS], llc_of[SEEN_CPUS], node_of[SEEN_CPUS];
u32 nr_seen;

struct llc_ctx {
	u64 picks;
};
SCXX_LLC_CTX(llcs, struct llc_ctx);

static u64 bits_of(const struct cpumask *mask)
{
	u64 bits = 0;
	u32 c;

	if (!mask)
		return 0;
	bpf_for(c, 0, SEEN_CPUS) {
		if (bpf_cpumask_test_cpu(c, mask))
			bits |= 1ULL << c;
	}
	return bits;
}

s32 SCXX_OP_SLEEPABLE(topo_init)
{
	s32 ret = scxx_topo_init();
	u32 cpu;

	if (ret)
		return ret;
	nr_seen = scx_bpf_nr_cpu_ids() < SEEN_CPUS ? scx_bpf_nr_cpu_ids() : SEEN_CPUS;
	bpf_rcu_read_lock();
	bpf_for(cpu, 0, SEEN_CPUS) {
		if (cpu >= nr_seen)
			break;
		core_of[cpu] = scxx_topo_core_of(cpu);
		llc_of[cpu] = scxx_topo_llc_of(cpu);
		node_of[cpu] = scxx_topo_node_of(cpu);
		core_bits[cpu] = bits_of(scxx_topo_core_mask(core_of[cpu]));
		llc_bits[cpu] = bits_of(scxx_topo_llc_mask(llc_of[cpu]));
		node_bits[cpu] = bits_of(scxx_topo_node_mask(node_of[cpu]));
	}
	bpf_rcu_read_unlock();
	return 0;
}

static bool level_matches(enum scxx_idle_level level, s32 cpu, s32 prev)
{
	switch (level) {
	case SCXX_IDLE_PREV_CORE:
	case SCXX_IDLE_PREV:
		return cpu == prev;
	case SCXX_IDLE_WAKER:
		return cpu == bpf_get_smp_processor_id();
	case SCXX_IDLE_LLC_CORE:
	case SCXX_IDLE_LLC:
		return scxx_topo_llc_of(cpu) == scxx_topo_llc_of(prev);
	case SCXX_IDLE_NODE:
		return scxx_topo_node_of(cpu) == scxx_topo_node_of(prev) && scxx_topo_llc_of(cpu) != scxx_topo_llc_of(prev);
	case SCXX_IDLE_ANY:
		return scxx_topo_node_of(cpu) != scxx_topo_node_of(prev);
	default:
		return false;
	}
}

s32 SCXX_OP(topo_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	enum scxx_idle_level level;
	s32 cpu = scxx_topo_pick_idle(p, prev_cpu, wake_flags, &level);

	if (level < SCXX_IDLE_NR_LEVELS)
		scxx_counter_add(&stats, ST_PICKED + level, 1);
	if (p->nr_cpus_allowed < scx_bpf_nr_cpu_ids())
		scxx_counter_add(&stats, ST_NARROW, 1);
	if (cpu < 0)
		return prev_cpu;
	if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		scxx_counter_add(&stats, ST_OUTSIDE, 1);
	if (!level_matches(level, cpu, prev_cpu))
		scxx_counter_add(&stats, ST_WRONG_LEVEL, 1);
	struct llc_ctx *l = scxx_llc_ctx(llcs, scxx_topo_llc_of(cpu));
	if (l)
		__sync_fetch_and_add(&l->picks, 1);
	if (!l || scxx_llc_ctx(llcs, SCXX_TOPO_NONE))
		scxx_counter_add(&stats, ST_LLC_CTX_BAD, 1);
	scxx_dsq_insert(p, scxx_dsq_local(), SCX_SLICE_DFL, 0);
	return cpu;
}

void SCXX_OP(topo_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

SCXX_SCHEDULER(topology_ops,
	       .init = (void *)topo_init,
	       .select_cpu = (void *)topo_select_cpu,
	       .enqueue = (void *)topo_enqueue,
	       .name = "topology");
