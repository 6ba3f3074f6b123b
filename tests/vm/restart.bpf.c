/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A scheduler without ops.cpu_online/offline: the kernel ends it with a restart request when a CPU
 * goes on- or offline. It also sets ops.cgroup_set_bandwidth, which 6.16 does not have: the loader
 * must leave it unset there instead of failing.
 */
#include <scxx/scxx.bpf.h>

char _license[] SEC("license") = "GPL";

SCXX_COUNTERS(stats, 1);

void SCXX_OP(restart_enqueue, struct task_struct *p, u64 enq_flags)
{
	scxx_counter_add(&stats, 0, 1);
	scxx_dsq_insert(p, scxx_dsq_global(), SCX_SLICE_DFL, enq_flags);
}

void SCXX_OP(restart_cgroup_set_bandwidth, struct cgroup *cgrp, u64 period_us, u64 quota_us, u64 burst_us)
{
}

SCXX_SCHEDULER(restart_ops,
	       .enqueue = (void *)restart_enqueue,
	       .cgroup_set_bandwidth = (void *)restart_cgroup_set_bandwidth,
	       .name = "restart");
