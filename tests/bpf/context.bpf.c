/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Per-task and per-CPU context (scxx/context.bpf.h) under a real workload: every task gets its
 * context in ops.init_task and finds it again in ops.running and ops.stopping, where its runtime
 * and an EWMA of it are kept; every CPU counts the tasks it ran in its own context, and the
 * counts read through scxx_cpu_ctx_of add up to what ran.
 */
#include <scxx/scxx.bpf.h>
#include <scxx/context.bpf.h>

char _license[] SEC("license") = "GPL";

enum {
	ST_CREATED,      /* contexts created in ops.init_task */
	ST_MISSING,      /* ops.running or ops.stopping found no context: must stay 0 */
	ST_STOPPED,      /* ops.stopping with a context and a start time */
	ST_AVG_ABOVE,    /* an average above the largest runtime seen: must stay 0 */
	ST_CPU_MISMATCH, /* per-CPU counts read back through scxx_cpu_ctx_of that do not add up: 0 */
	ST_NR,
};
SCXX_COUNTERS(stats, ST_NR);

struct task_ctx {
	u64 started_at;
	u64 avg_runtime;
	u64 max_runtime;
};
SCXX_TASK_CTX(tasks, struct task_ctx);

struct cpu_ctx {
	u64 ran;
};
SCXX_CPU_CTX(cpus, struct cpu_ctx);

u64 total_ran; /* tasks ops.running saw, over all CPUs */

s32 SCXX_OP_SLEEPABLE(ctx_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!scxx_task_ctx_create(tasks, p))
		return -ENOMEM;
	scxx_counter_add(&stats, ST_CREATED, 1);
	return 0;
}

void SCXX_OP(ctx_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

void SCXX_OP(ctx_running, struct task_struct *p)
{
	struct task_ctx *t = scxx_task_ctx(tasks, p);
	struct cpu_ctx *c = scxx_cpu_ctx(cpus);

	if (!t || !c) {
		scxx_counter_add(&stats, ST_MISSING, 1);
		return;
	}
	t->started_at = bpf_ktime_get_ns();
	c->ran++;
	__sync_fetch_and_add(&total_ran, 1);
}

void SCXX_OP(ctx_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *t = scxx_task_ctx(tasks, p);
	u64 ran;

	if (!t) {
		scxx_counter_add(&stats, ST_MISSING, 1);
		return;
	}
	if (!t->started_at)
		return;
	ran = bpf_ktime_get_ns() - t->started_at;
	if (ran > t->max_runtime)
		t->max_runtime = ran;
	t->avg_runtime = scxx_ewma(t->avg_runtime, ran, 3);
	if (t->avg_runtime > t->max_runtime)
		scxx_counter_add(&stats, ST_AVG_ABOVE, 1);
	scxx_counter_add(&stats, ST_STOPPED, 1);
}

/* At the end, the CPUs' own counts (each read through scxx_cpu_ctx_of) add up to the total. */
void SCXX_OP(ctx_exit, struct scx_exit_info *ei)
{
	u64 sum = 0, total = total_ran;
	s32 cpu;

	bpf_for(cpu, 0, scx_bpf_nr_cpu_ids()) {
		struct cpu_ctx *c = scxx_cpu_ctx_of(cpus, cpu);

		if (c)
			sum += c->ran;
	}
	/* ops.running may race with exit on another CPU: allow what a few in flight could add. */
	if (sum > total || total - sum > 64 || !scxx_cpu_ctx_of(cpus, 0) || scxx_cpu_ctx_of(cpus, 100000))
		scxx_counter_add(&stats, ST_CPU_MISMATCH, 1);
	scxx_record_exit(ei);
}

SCXX_SCHEDULER(context_ops,
	       .init_task = (void *)ctx_init_task,
	       .enqueue = (void *)ctx_enqueue,
	       .running = (void *)ctx_running,
	       .stopping = (void *)ctx_stopping,
	       .exit = (void *)ctx_exit,
	       .name = "context");
