/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The kfunc names of the kernel's example headers, in the forms their 6.12 to 7.3 versions give
 * them, and their __COMPAT_* helpers: each maps to scxx's portable call (<scxx/portable.bpf.h>),
 * which picks the running kernel's kfunc. Each entry names the kernel whose change it covers.
 */
#ifndef SCXX_SCX_COMPAT_BPF_H
#define SCXX_SCX_COMPAT_BPF_H

#include <scxx/scxx.bpf.h>

/* scxx's load-time enumerators already read 0 on kernels that lack them. */
#define __COMPAT_ENUM_OR_ZERO(type, ent) (ent)

/*
 * 6.13 renamed dispatch/consume to dsq_insert/dsq_move*; 6.19 made scx_bpf_dsq_insert return
 * bool; 6.19 packed the arguments of dsq_insert_vtime into a struct; 7.1 gave move_to_local
 * enqueue flags. Both the one- and two-argument forms of scx_bpf_dsq_move_to_local() work. The
 * kernel's names take the DSQ as a u64 id, as the kernel's headers do; scxx's own calls take a
 * scxx_dsq_t (<scxx/dsq.bpf.h>).
 */
#define scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags) \
	scxx_dsq_insert((p), scxx_dsq_from_id(dsq_id), (slice), (enq_flags))
#define scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags) \
	scxx_dsq_insert_vtime((p), scxx_dsq_from_id(dsq_id), (slice), (vtime), (enq_flags))
#define __scxx_move_to_local_1(dsq_id) scxx_dsq_move_to_local(scxx_dsq_from_id(dsq_id))
#define __scxx_move_to_local_2(dsq_id, enq_flags) scxx_dsq_move_to_local_flags(scxx_dsq_from_id(dsq_id), (enq_flags))
#define __scxx_move_to_local_pick(_1, _2, call, ...) call
#define scx_bpf_dsq_move_to_local(...) \
	__scxx_move_to_local_pick(__VA_ARGS__, __scxx_move_to_local_2, __scxx_move_to_local_1, )(__VA_ARGS__)
#define scx_bpf_dsq_move_set_slice(it, slice) scxx_dsq_move_set_slice((it), (slice))
#define scx_bpf_dsq_move_set_vtime(it, vtime) scxx_dsq_move_set_vtime((it), (vtime))
#define scx_bpf_dsq_move(it, p, dsq_id, enq_flags) scxx_dsq_move((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))
#define scx_bpf_dsq_move_vtime(it, p, dsq_id, enq_flags) \
	scxx_dsq_move_vtime((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))

/* 6.12's names for the 6.13 dsq_move family. */
#define __COMPAT_scx_bpf_dispatch_from_dsq_set_slice(it, slice) scxx_dsq_move_set_slice((it), (slice))
#define __COMPAT_scx_bpf_dispatch_from_dsq_set_vtime(it, vtime) scxx_dsq_move_set_vtime((it), (vtime))
#define __COMPAT_scx_bpf_dispatch_from_dsq(it, p, dsq_id, enq_flags) \
	scxx_dsq_move((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))
#define __COMPAT_scx_bpf_dispatch_vtime_from_dsq(it, p, dsq_id, enq_flags) \
	scxx_dsq_move_vtime((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))
#define __COMPAT_scx_bpf_dsq_move_set_slice(it, slice) scxx_dsq_move_set_slice((it), (slice))
#define __COMPAT_scx_bpf_dsq_move_set_vtime(it, vtime) scxx_dsq_move_set_vtime((it), (vtime))
#define __COMPAT_scx_bpf_dsq_move(it, p, dsq_id, enq_flags) \
	scxx_dsq_move((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))
#define __COMPAT_scx_bpf_dsq_move_vtime(it, p, dsq_id, enq_flags) \
	scxx_dsq_move_vtime((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))

/* 6.12: cgroup support (NULL on a kernel without it). */
#define scx_bpf_task_cgroup(p) scxx_task_cgroup(p)
#define __COMPAT_scx_bpf_task_cgroup(p) scxx_task_cgroup(p)

/* 6.14: scx_bpf_now; bpf_ktime_get_ns() before. */
#define scx_bpf_now() scxx_now()

/* 6.15: event counters (left unchanged on kernels without them). */
#define __COMPAT_scx_bpf_events(events, size) ((void)scxx_events((events), (size)))

/* 6.15: NUMA-aware idle tracking; one node before. */
#define __COMPAT_scx_bpf_nr_node_ids() scxx_nr_node_ids()
#define __COMPAT_scx_bpf_cpu_node(cpu) scxx_cpu_node(cpu)
#define __COMPAT_scx_bpf_get_idle_cpumask_node(node) scxx_get_idle_cpumask_node(node)
#define __COMPAT_scx_bpf_get_idle_smtmask_node(node) scxx_get_idle_smtmask_node(node)
#define __COMPAT_scx_bpf_pick_idle_cpu_node(cpus, node, flags) scxx_pick_idle_cpu_node((cpus), (node), (flags))
#define __COMPAT_scx_bpf_pick_any_cpu_node(cpus, node, flags) scxx_pick_any_cpu_node((cpus), (node), (flags))

/* 6.15: bpf_cpumask_populate (-EOPNOTSUPP before; 7.x takes a struct bpf_cpumask). */
#define __COMPAT_bpf_cpumask_populate(mask, src, size)                                            \
	(bpf_ksym_exists(bpf_cpumask_populate) ? bpf_cpumask_populate((mask), (src), (size))       \
	 : bpf_ksym_exists(bpf_cpumask_populate___v6_17_13)                                        \
		 ? bpf_cpumask_populate___v6_17_13((struct cpumask *)(mask), (src), (size))         \
		 : -EOPNOTSUPP)

/*
 * 6.12's SCX_OPS_HAS_CGROUP_WEIGHT only silenced a warning about cpu.weight; 6.15 made it a no-op
 * and 7.x rejects the bit. 0 is right on every kernel that has sched_ext_ops.cgroup_set_weight.
 */
#define SCX_OPS_HAS_CGROUP_WEIGHT 0

/* Kernels without SCX_ENQ_CPU_SELECTED always ran ops.select_cpu first. */
static __always_inline bool __COMPAT_is_enq_cpu_selected(u64 enq_flags)
{
	return SCX_ENQ_CPU_SELECTED ? (enq_flags & SCX_ENQ_CPU_SELECTED) != 0 : true;
}

/* 6.16: scx_bpf_select_cpu_and; 6.19 packed its arguments into a struct. */
#define scx_bpf_select_cpu_and(p, prev_cpu, wake_flags, cpus, flags) \
	scxx_select_cpu_and((p), (prev_cpu), (wake_flags), (cpus), (flags))
#define __COMPAT_HAS_scx_bpf_select_cpu_and \
	(bpf_ksym_exists(__scx_bpf_select_cpu_and) || bpf_ksym_exists(scx_bpf_select_cpu_and))

/* 6.18: scx_bpf_cpu_curr; the runqueue's current task before. */
#define scx_bpf_cpu_curr(cpu) scxx_cpu_curr(cpu)
#define __COMPAT_scx_bpf_cpu_curr(cpu) scxx_cpu_curr(cpu)

/* 6.19: scx_bpf_task_set_slice/dsq_vtime; writing the task's fields before. */
#define scx_bpf_task_set_slice(p, slice) scxx_task_set_slice((p), (slice))
#define scx_bpf_task_set_dsq_vtime(p, vtime) scxx_task_set_vtime((p), (vtime))

/* 6.19: scx_bpf_dsq_peek (reliable from 7.1); an iterator before. */
#define __COMPAT_scx_bpf_dsq_peek(dsq_id) scxx_dsq_peek(scxx_dsq_from_id(dsq_id))

/*
 * 6.19: re-enqueueing this CPU's local DSQ from any callback; 7.1: any DSQ (scx_bpf_dsq_reenq).
 * scx_bpf_reenqueue_local() also returns the count where the kernel gives it (6.12 code uses it).
 */
#define scx_bpf_reenqueue_local() scxx_reenqueue_local()
#define scx_bpf_dsq_reenq(dsq_id, reenq_flags) scxx_dsq_reenq(scxx_dsq_from_id(dsq_id), (reenq_flags))
#define __COMPAT_has_generic_reenq() bpf_ksym_exists(scx_bpf_dsq_reenq)
#define __COMPAT_scx_bpf_reenqueue_local_from_anywhere() \
	(bpf_ksym_exists(scx_bpf_dsq_reenq) || bpf_ksym_exists(scx_bpf_reenqueue_local___v2___scxx))
static __always_inline int scx_bpf_reenqueue_local_from_anywhere(void)
{
	if (bpf_ksym_exists(scx_bpf_dsq_reenq)) {
		scx_bpf_dsq_reenq(SCX_DSQ_LOCAL, 0);
		return 0;
	}
	if (bpf_ksym_exists(scx_bpf_reenqueue_local___v2___scxx)) {
		scx_bpf_reenqueue_local___v2___scxx();
		return 0;
	}
	return -EOPNOTSUPP;
}

/* 7.1 sub-schedulers: false where the kernel has none. */
#define scx_bpf_sub_dispatch(cgroup_id) (bpf_ksym_exists(scx_bpf_sub_dispatch) ? scx_bpf_sub_dispatch(cgroup_id) : false)

/* 7.3: explicit CPU-id mappings; ignored where the kernel lacks them. */
#define scx_bpf_cid_override(cpu_to_cid, nr_cpu_to_cid, shard_start, nr_shard_start)                    \
	({                                                                                                \
		if (bpf_ksym_exists(scx_bpf_cid_override))                                                \
			scx_bpf_cid_override((cpu_to_cid), (nr_cpu_to_cid), (shard_start), (nr_shard_start)); \
	})

/*
 * The ops definitions: link-based, so the kernel detaches them when the loader goes away, and,
 * unless the source sets .exit itself, with scxx's ops.exit recording the exit info.
 */
#define SCX_OPS_DEFINE(name, ...) SCXX_SCHEDULER(name, __VA_ARGS__)
/* 7.3: ops whose callbacks take CPU ids (cids) instead of CPU numbers. */
#define SCX_OPS_CID_DEFINE(name, ...) __SCXX_OPS_DEFINE(sched_ext_ops_cid, name, __VA_ARGS__)

#endif /* SCXX_SCX_COMPAT_BPF_H */
