/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * percpu: one user DSQ per CPU. A waking task goes straight to an idle CPU when there is one;
 * otherwise it queues on the DSQ of the CPU it last ran on, and an idle CPU is kicked awake. A CPU
 * whose own DSQ is empty steals from the others' with a DSQ move.
 */
#include <scxx/scxx.bpf.h>
#include "percpu.h"

char _license[] SEC("license") = "GPL";

SCXX_STATS_MAP(percpu_stats);

static u32 nr_cpus;

/* The DSQ of CPU: user DSQ ids 0..nr_cpus-1. */
static scxx_dsq_t cpu_dsq(s32 cpu)
{
	return scxx_dsq_user((u64)cpu);
}

s32 SCXX_OP(percpu_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool direct = false;
	s32 cpu = scxx_select_cpu_direct(p, prev_cpu, wake_flags, SCX_SLICE_DFL, &direct);

	if (direct)
		scxx_stat_inc(percpu_stats, direct);
	return cpu;
}

void SCXX_OP(percpu_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 cpu = scxx_task_cpu(p);
	s32 idle;

	scxx_stat_inc(percpu_stats, enqueued);
	scxx_dsq_insert(p, cpu_dsq(cpu), SCX_SLICE_DFL, enq_flags);
	/* Work is waiting: wake an idle CPU (if any) so that it steals it. */
	idle = scxx_pick_idle_cpu(p->cpus_ptr, 0);
	if (idle >= 0) {
		scxx_stat_inc(percpu_stats, kicks);
		scxx_kick_cpu(idle, SCX_KICK_IDLE);
	}
}

/* Moves to CPU the first task of another CPU's DSQ that may run on CPU. */
static bool steal(s32 cpu)
{
	struct task_struct *p;
	u32 i;

	bpf_for(i, 1, nr_cpus) {
		s32 victim = (cpu + i) % nr_cpus;

		scxx_dsq_for_each(p, cpu_dsq(victim)) {
			if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
				continue;
			if (scxx_dsq_move(SCXX_FOR_EACH_ITER, p, scxx_dsq_local(), 0))
				return true;
		}
	}
	return false;
}

void SCXX_OP(percpu_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scxx_dsq_move_to_local(cpu_dsq(cpu)))
		scxx_stat_inc(percpu_stats, local);
	else if (steal(cpu))
		scxx_stat_inc(percpu_stats, stolen);
}

s32 SCXX_OP_SLEEPABLE(percpu_init)
{
	u32 cpu;
	s32 ret;

	nr_cpus = scx_bpf_nr_cpu_ids();
	if (nr_cpus > PERCPU_MAX_CPUS)
		nr_cpus = PERCPU_MAX_CPUS;
	bpf_for(cpu, 0, nr_cpus) {
		ret = scxx_dsq_create(cpu_dsq(cpu), -1);
		if (ret)
			return ret;
	}
	return 0;
}

SCXX_SCHEDULER(percpu_ops,
	       .select_cpu = (void *)percpu_select_cpu,
	       .enqueue = (void *)percpu_enqueue,
	       .dispatch = (void *)percpu_dispatch,
	       .init = (void *)percpu_init,
	       .name = "percpu");
