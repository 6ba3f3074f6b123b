/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The __COMPAT_* names of the kernel's example headers and their kfunc-name macros with fallbacks,
 * implemented with scxx's portable calls (see <scxx/portable.bpf.h>).
 */
#ifndef SCXX_SCX_COMPAT_BPF_H
#define SCXX_SCX_COMPAT_BPF_H

#include <scxx/scxx.bpf.h>

/* scxx's load-time enumerators already read 0 on kernels that lack them. */
#define __COMPAT_ENUM_OR_ZERO(type, ent) (ent)

#define __COMPAT_scx_bpf_task_cgroup(p) (bpf_ksym_exists(scx_bpf_task_cgroup) ? scx_bpf_task_cgroup(p) : NULL)

#define __COMPAT_scx_bpf_dsq_move_set_slice(it, slice) scxx_dsq_move_set_slice((it), (slice))
#define __COMPAT_scx_bpf_dsq_move_set_vtime(it, vtime) scxx_dsq_move_set_vtime((it), (vtime))
#define __COMPAT_scx_bpf_dsq_move(it, p, dsq_id, enq_flags) scxx_dsq_move((it), (p), (dsq_id), (enq_flags))
#define __COMPAT_scx_bpf_dsq_move_vtime(it, p, dsq_id, enq_flags) \
	scxx_dsq_move_vtime((it), (p), (dsq_id), (enq_flags))

/* Kernels without SCX_ENQ_CPU_SELECTED always ran ops.select_cpu first. */
static __always_inline bool __COMPAT_is_enq_cpu_selected(u64 enq_flags)
{
	return SCX_ENQ_CPU_SELECTED ? (enq_flags & SCX_ENQ_CPU_SELECTED) != 0 : true;
}

#define __COMPAT_scx_bpf_cpu_node(cpu) (bpf_ksym_exists(scx_bpf_cpu_node) ? scx_bpf_cpu_node(cpu) : 0)
#define __COMPAT_scx_bpf_get_idle_cpumask_node(node) \
	(bpf_ksym_exists(scx_bpf_get_idle_cpumask_node) ? scx_bpf_get_idle_cpumask_node(node) : scx_bpf_get_idle_cpumask())
#define __COMPAT_scx_bpf_get_idle_smtmask_node(node) \
	(bpf_ksym_exists(scx_bpf_get_idle_smtmask_node) ? scx_bpf_get_idle_smtmask_node(node) : scx_bpf_get_idle_smtmask())
#define __COMPAT_scx_bpf_pick_idle_cpu_node(cpus, node, flags) \
	(bpf_ksym_exists(scx_bpf_pick_idle_cpu_node) ? scx_bpf_pick_idle_cpu_node((cpus), (node), (flags)) \
						     : scx_bpf_pick_idle_cpu((cpus), (flags)))
#define __COMPAT_scx_bpf_pick_any_cpu_node(cpus, node, flags) \
	(bpf_ksym_exists(scx_bpf_pick_any_cpu_node) ? scx_bpf_pick_any_cpu_node((cpus), (node), (flags)) \
						    : scx_bpf_pick_any_cpu((cpus), (flags)))

/* The current kfunc names, with fallbacks to the older ones. */
#define scx_bpf_dsq_insert(p, dsq_id, slice, enq_flags) ((void)scxx_dsq_insert((p), (dsq_id), (slice), (enq_flags)))
#define scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags) \
	scxx_dsq_insert_vtime((p), (dsq_id), (slice), (vtime), (enq_flags))
#define scx_bpf_dsq_move_to_local(dsq_id) scxx_dsq_move_to_local(dsq_id)
#define scx_bpf_now() scxx_now()

/* The ops definition; link-based, so the kernel detaches it when the loader goes away. */
#define SCX_OPS_DEFINE(name, ...) SEC(".struct_ops.link") struct sched_ext_ops name = { __VA_ARGS__ };

#endif /* SCXX_SCX_COMPAT_BPF_H */
