/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * One set of calls for every kernel from 6.12 on, each mapped to the kfunc the running kernel has.
 * In an object built for an ABI level (SCXX_ABI, see scxx/abi.h) the choice is made at compile
 * time and a portable call is the direct kfunc call; in the build for any kernel (SCXX_ABI_ANY) it
 * tests with bpf_ksym_exists(), a constant once libbpf has resolved the weak kfunc, and the
 * verifier removes the branch not taken.
 *
 * Also makes the original (6.12) names work on every kernel: scx_bpf_dispatch,
 * scx_bpf_dispatch_vtime, scx_bpf_consume and the scx_bpf_dispatch*_from_dsq family.
 */
#ifndef SCXX_PORTABLE_BPF_H
#define SCXX_PORTABLE_BPF_H

#include <scxx/abi.h>
#include <scxx/helpers.bpf.h>
#include <scxx/dsq.bpf.h>

#ifndef SCXX_ABI
#define SCXX_ABI SCXX_ABI_ANY
#endif

/*
 * Whether a portable call may use KFUNC (one of SCXX_ABI_KFUNCS): a compile-time constant in a
 * build for an ABI level, a load-time test in the build for any kernel.
 */
#if SCXX_ABI == SCXX_ABI_ANY
#define scxx_kfunc_usable(kfunc) bpf_ksym_exists(kfunc)
#else
#define SCXX_ABI_LEVEL_ENUMERATOR(kfunc, level) scxx_abi_level__##kfunc = level,
enum scxx_abi_kfunc_level { SCXX_ABI_KFUNCS(SCXX_ABI_LEVEL_ENUMERATOR) };
#define scxx_kfunc_usable(kfunc) (SCXX_ABI >= scxx_abi_level__##kfunc)
#endif

/* Queues P on DSQ (6.13: scx_bpf_dsq_insert; 6.12: scx_bpf_dispatch). False if the kernel refused. */
static __always_inline bool scxx_dsq_insert(struct task_struct *p, scxx_dsq_t dsq, u64 slice, u64 enq_flags)
{
	if (scxx_kfunc_usable(scx_bpf_dsq_insert___v2___scxx))
		return scx_bpf_dsq_insert___v2___scxx(p, dsq.id, slice, enq_flags);
	if (scxx_kfunc_usable(scx_bpf_dsq_insert))
		scx_bpf_dsq_insert(p, dsq.id, slice, enq_flags);
	else
		scx_bpf_dispatch(p, dsq.id, slice, enq_flags);
	return true;
}

/*
 * Queues P on DSQ, a vtime-ordered user DSQ. False if the kernel refused (7.x; before, always
 * true). 7.x: __scx_bpf_dsq_insert_vtime with its argument struct; 6.13: scx_bpf_dsq_insert_vtime;
 * 6.12: scx_bpf_dispatch_vtime.
 */
static __always_inline bool scxx_dsq_insert_vtime(struct task_struct *p, scxx_dsq_t dsq, u64 slice, u64 vtime,
						  u64 enq_flags)
{
	if (scxx_kfunc_usable(__scx_bpf_dsq_insert_vtime)) {
		struct scx_bpf_dsq_insert_vtime_args args = {
			.dsq_id = dsq.id, .slice = slice, .vtime = vtime, .enq_flags = enq_flags,
		};

		return __scx_bpf_dsq_insert_vtime(p, &args);
	}
	if (scxx_kfunc_usable(scx_bpf_dsq_insert_vtime))
		scx_bpf_dsq_insert_vtime(p, dsq.id, slice, vtime, enq_flags);
	else
		scx_bpf_dispatch_vtime(p, dsq.id, slice, vtime, enq_flags);
	return true;
}

/*
 * From ops.dispatch: moves the first task of DSQ to this CPU's local DSQ with ENQ_FLAGS. False
 * if there was none. 7.1: scx_bpf_dsq_move_to_local___v2; before, the kernel takes no flags and
 * ENQ_FLAGS is ignored (6.13: scx_bpf_dsq_move_to_local; 6.12: scx_bpf_consume).
 */
static __always_inline bool scxx_dsq_move_to_local_flags(scxx_dsq_t dsq, u64 enq_flags)
{
	if (scxx_kfunc_usable(scx_bpf_dsq_move_to_local___v2___scxx))
		return scx_bpf_dsq_move_to_local___v2___scxx(dsq.id, enq_flags);
	if (scxx_kfunc_usable(scx_bpf_dsq_move_to_local))
		return scx_bpf_dsq_move_to_local(dsq.id);
	return scx_bpf_consume(dsq.id);
}

/* The same without enqueue flags. */
static __always_inline bool scxx_dsq_move_to_local(scxx_dsq_t dsq)
{
	return scxx_dsq_move_to_local_flags(dsq, 0);
}

/* Sets the slice a task moved by the next scxx_dsq_move*() through IT gets. */
static __always_inline void scxx_dsq_move_set_slice(struct bpf_iter_scx_dsq *it, u64 slice)
{
	if (scxx_kfunc_usable(scx_bpf_dsq_move_set_slice))
		scx_bpf_dsq_move_set_slice(it, slice);
	else if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_slice))
		scx_bpf_dispatch_from_dsq_set_slice(it, slice);
}

/* Sets the vtime a task moved by the next scxx_dsq_move_vtime() through IT gets. */
static __always_inline void scxx_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it, u64 vtime)
{
	if (scxx_kfunc_usable(scx_bpf_dsq_move_set_vtime))
		scx_bpf_dsq_move_set_vtime(it, vtime);
	else if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq_set_vtime))
		scx_bpf_dispatch_from_dsq_set_vtime(it, vtime);
}

/* Moves P, found by iterating a DSQ with IT, to DSQ (6.12: scx_bpf_dispatch_from_dsq). */
static __always_inline bool scxx_dsq_move(struct bpf_iter_scx_dsq *it, struct task_struct *p, scxx_dsq_t dsq,
					  u64 enq_flags)
{
	if (scxx_kfunc_usable(scx_bpf_dsq_move))
		return scx_bpf_dsq_move(it, p, dsq.id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dispatch_from_dsq))
		return scx_bpf_dispatch_from_dsq(it, p, dsq.id, enq_flags);
	return false;
}

/* The same into a vtime-ordered DSQ (6.12: scx_bpf_dispatch_vtime_from_dsq). */
static __always_inline bool scxx_dsq_move_vtime(struct bpf_iter_scx_dsq *it, struct task_struct *p, scxx_dsq_t dsq,
						u64 enq_flags)
{
	if (scxx_kfunc_usable(scx_bpf_dsq_move_vtime))
		return scx_bpf_dsq_move_vtime(it, p, dsq.id, enq_flags);
	if (bpf_ksym_exists(scx_bpf_dispatch_vtime_from_dsq))
		return scx_bpf_dispatch_vtime_from_dsq(it, p, dsq.id, enq_flags);
	return false;
}

/* Creates DSQ, a user DSQ, on NUMA node NODE (-1: any). 0 or a negative errno. */
static __always_inline s32 scxx_dsq_create(scxx_dsq_t dsq, s32 node)
{
	return scx_bpf_create_dsq(dsq.id, node);
}

static __always_inline void scxx_dsq_destroy(scxx_dsq_t dsq)
{
	scx_bpf_destroy_dsq(dsq.id);
}

/* Tasks queued on DSQ, or -ENOENT if there is no such DSQ. */
static __always_inline s32 scxx_dsq_nr_queued(scxx_dsq_t dsq)
{
	return scx_bpf_dsq_nr_queued(dsq.id);
}

/* Kicks CPU: flags SCX_KICK_IDLE (only if idle), SCX_KICK_PREEMPT, SCX_KICK_WAIT. */
static __always_inline void scxx_kick_cpu(s32 cpu, u64 flags)
{
	scx_bpf_kick_cpu(cpu, flags);
}

/* The default CPU choice for a waking task; *is_idle tells whether that CPU was idle (and is now claimed). */
static __always_inline s32 scxx_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle)
{
	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, is_idle);
}

/*
 * The common ops.select_cpu: the default CPU choice, and when that CPU was idle P goes straight to
 * its local DSQ with SLICE (ops.enqueue is then skipped). Returns the CPU; *DIRECT says whether P
 * was dispatched directly.
 */
static __always_inline s32 scxx_select_cpu_direct(struct task_struct *p, s32 prev_cpu, u64 wake_flags, u64 slice,
						  bool *direct)
{
	s32 cpu = scxx_select_cpu_dfl(p, prev_cpu, wake_flags, direct);

	if (*direct)
		scxx_dsq_insert(p, scxx_dsq_local(), slice, 0);
	return cpu;
}

/*
 * Picks an idle CPU for P within CPUS_ALLOWED, preferring PREV_CPU; a negative errno if none is
 * idle. 7.x: __scx_bpf_select_cpu_and with its argument struct; 6.16: scx_bpf_select_cpu_and;
 * before: prev_cpu if it is allowed and idle, else scx_bpf_pick_idle_cpu over CPUS_ALLOWED.
 */
static __always_inline s32 scxx_select_cpu_and(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
					       const struct cpumask *cpus_allowed, u64 flags)
{
	s32 cpu;

	if (scxx_kfunc_usable(__scx_bpf_select_cpu_and)) {
		struct scx_bpf_select_cpu_and_args args = {
			.prev_cpu = prev_cpu, .wake_flags = wake_flags, .flags = flags,
		};

		return __scx_bpf_select_cpu_and(p, cpus_allowed, &args);
	}
	if (scxx_kfunc_usable(scx_bpf_select_cpu_and))
		return scx_bpf_select_cpu_and(p, prev_cpu, wake_flags, cpus_allowed, flags);
	if (bpf_cpumask_test_cpu(prev_cpu, cpus_allowed) && bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) &&
	    scx_bpf_test_and_clear_cpu_idle(prev_cpu))
		return prev_cpu;
	cpu = scx_bpf_pick_idle_cpu(cpus_allowed, flags);
	if (cpu >= 0 && !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		return -EBUSY;
	return cpu;
}

/* An idle CPU of CPUS_ALLOWED, claimed for the caller; -EBUSY if none. */
static __always_inline s32 scxx_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags)
{
	return scx_bpf_pick_idle_cpu(cpus_allowed, flags);
}

/* An idle CPU of CPUS_ALLOWED if there is one, else any CPU of it. */
static __always_inline s32 scxx_pick_any_cpu(const struct cpumask *cpus_allowed, u64 flags)
{
	return scx_bpf_pick_any_cpu(cpus_allowed, flags);
}

/*
 * The CPU P is on or last ran on (the kernel's task_cpu()): a plain read where the task holds it in
 * its thread_info (x86-64, arm64 and most others: CONFIG_THREAD_INFO_IN_TASK), else the kfunc. On
 * the hot paths of a scheduler the difference is a call per use.
 */
static __always_inline s32 scxx_task_cpu(const struct task_struct *p)
{
	if (bpf_core_field_exists(p->thread_info.cpu))
		return p->thread_info.cpu;
	return scx_bpf_task_cpu(p);
}

/* The current time in ns, cheap and per-CPU monotonic (6.14: scx_bpf_now; before: bpf_ktime_get_ns). */
static __always_inline u64 scxx_now(void)
{
	if (scxx_kfunc_usable(scx_bpf_now))
		return scx_bpf_now();
	return bpf_ktime_get_ns();
}

/* Fills EVENTS with sched_ext's event counters (6.15); false, with EVENTS zeroed, before. */
static __always_inline bool scxx_events(struct scx_event_stats *events, size_t size)
{
	if (scxx_kfunc_usable(scx_bpf_events)) {
		scx_bpf_events(events, size);
		return true;
	}
	__builtin_memset(events, 0, size);
	return false;
}

/* Sets P's remaining slice (scx_bpf_task_set_slice where the kernel has it; before, the field). */
static __always_inline void scxx_task_set_slice(struct task_struct *p, u64 slice)
{
	if (scxx_kfunc_usable(scx_bpf_task_set_slice))
		scx_bpf_task_set_slice(p, slice);
	else
		p->scx.slice = slice;
}

/* Sets P's vtime for vtime-ordered DSQs (scx_bpf_task_set_dsq_vtime, or the field before). */
static __always_inline void scxx_task_set_vtime(struct task_struct *p, u64 vtime)
{
	if (scxx_kfunc_usable(scx_bpf_task_set_dsq_vtime))
		scx_bpf_task_set_dsq_vtime(p, vtime);
	else
		p->scx.dsq_vtime = vtime;
}

/*
 * From ops.cpu_release: puts the tasks queued on this CPU's local DSQ through ops.enqueue again.
 * Returns how many; 0 on a kernel that no longer counts them (scx_bpf_reenqueue_local gained the
 * void scx_bpf_reenqueue_local___v2 in 6.19, and scx_bpf_dsq_reenq came in 7.1).
 */
static __always_inline u32 scxx_reenqueue_local(void)
{
	if (bpf_ksym_exists(scx_bpf_reenqueue_local))
		return scx_bpf_reenqueue_local();
	if (bpf_ksym_exists(scx_bpf_dsq_reenq))
		scx_bpf_dsq_reenq(SCX_DSQ_LOCAL, 0);
	else
		scx_bpf_reenqueue_local___v2___scxx();
	return 0;
}

/*
 * Puts the tasks queued on DSQ (a local DSQ or a user DSQ) through ops.enqueue again, from any
 * callback. 7.1: scx_bpf_dsq_reenq; 6.19: this CPU's local DSQ only (scx_bpf_reenqueue_local___v2);
 * on earlier kernels the scheduler is ejected with an error saying so.
 */
static __always_inline void scxx_dsq_reenq(scxx_dsq_t dsq, u64 reenq_flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_reenq))
		scx_bpf_dsq_reenq(dsq.id, reenq_flags);
	else if (bpf_ksym_exists(scx_bpf_reenqueue_local___v2___scxx) && dsq.id == SCX_DSQ_LOCAL && !reenq_flags)
		scx_bpf_reenqueue_local___v2___scxx();
	else
		scxx_error("scxx_dsq_reenq(0x%llx): this kernel re-enqueues only from ops.cpu_release", dsq.id);
}

/*
 * The first task of DSQ, left on the DSQ; NULL if it is empty. scx_bpf_dsq_peek where it is
 * reliable (7.1; in 6.19 and 7.0 it could miss the head of a FIFO DSQ), else through an iterator,
 * after a look at the DSQ's count: an empty DSQ then costs one kfunc call instead of three.
 * The version test is the same in every ABI level's build (the builds must have the same maps,
 * and it brings the .kconfig map); the verifier folds it.
 */
static __always_inline struct task_struct *scxx_dsq_peek(scxx_dsq_t dsq)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p = NULL;

	if (bpf_ksym_exists(scx_bpf_dsq_peek) && LINUX_KERNEL_VERSION >= KERNEL_VERSION(7, 1, 0))
		return scx_bpf_dsq_peek(dsq.id);
	if (scx_bpf_dsq_nr_queued(dsq.id) <= 0)
		return NULL;
	if (bpf_iter_scx_dsq_new(&it, dsq.id, 0) == 0)
		p = bpf_iter_scx_dsq_next(&it);
	bpf_iter_scx_dsq_destroy(&it);
	return p;
}

/* The task running on CPU (6.18: scx_bpf_cpu_curr; before, the current task of its runqueue). */
static __always_inline struct task_struct *scxx_cpu_curr(s32 cpu)
{
	struct rq *rq;

	if (bpf_ksym_exists(scx_bpf_cpu_curr))
		return scx_bpf_cpu_curr(cpu);
	rq = scx_bpf_cpu_rq(cpu);
	return rq ? rq->curr : NULL;
}

/* The cgroup P belongs to, referenced: release it with bpf_cgroup_release(). */
static __always_inline struct cgroup *scxx_task_cgroup(struct task_struct *p)
{
	return bpf_ksym_exists(scx_bpf_task_cgroup) ? scx_bpf_task_cgroup(p) : NULL;
}

/* NUMA (6.15): node ids, a CPU's node, per-node idle masks and picks; one node 0 before. */
static __always_inline u32 scxx_nr_node_ids(void)
{
	return bpf_ksym_exists(scx_bpf_nr_node_ids) ? scx_bpf_nr_node_ids() : 1;
}

static __always_inline s32 scxx_cpu_node(s32 cpu)
{
	return bpf_ksym_exists(scx_bpf_cpu_node) ? scx_bpf_cpu_node(cpu) : 0;
}

static __always_inline const struct cpumask *scxx_get_idle_cpumask_node(s32 node)
{
	return bpf_ksym_exists(scx_bpf_get_idle_cpumask_node) ? scx_bpf_get_idle_cpumask_node(node)
							       : scx_bpf_get_idle_cpumask();
}

static __always_inline const struct cpumask *scxx_get_idle_smtmask_node(s32 node)
{
	return bpf_ksym_exists(scx_bpf_get_idle_smtmask_node) ? scx_bpf_get_idle_smtmask_node(node)
							       : scx_bpf_get_idle_smtmask();
}

static __always_inline s32 scxx_pick_idle_cpu_node(const struct cpumask *cpus_allowed, s32 node, u64 flags)
{
	return bpf_ksym_exists(scx_bpf_pick_idle_cpu_node) ? scx_bpf_pick_idle_cpu_node(cpus_allowed, node, flags)
							    : scx_bpf_pick_idle_cpu(cpus_allowed, flags);
}

static __always_inline s32 scxx_pick_any_cpu_node(const struct cpumask *cpus_allowed, s32 node, u64 flags)
{
	return bpf_ksym_exists(scx_bpf_pick_any_cpu_node) ? scx_bpf_pick_any_cpu_node(cpus_allowed, node, flags)
							   : scx_bpf_pick_any_cpu(cpus_allowed, flags);
}

/*
 * BPF objects and graphs (bpf_obj_new, rbtrees, lists): the kernel's kfuncs take hidden
 * arguments the caller passes as NULL/0; 7.x dropped them from bpf_rbtree_add and
 * bpf_list_push_*. One call for both forms.
 */
#define scxx_obj_new(type) ((type *)bpf_obj_new_impl(bpf_core_type_id_local(type), NULL))
#define scxx_obj_drop(kptr) bpf_obj_drop_impl((kptr), NULL)
#define scxx_refcount_acquire(kptr) bpf_refcount_acquire_impl((kptr), NULL)
#define scxx_rbtree_add(root, node, less)                                          \
	(bpf_ksym_exists(bpf_rbtree_add) ? bpf_rbtree_add((root), (node), (less)) \
					 : bpf_rbtree_add_impl((root), (node), (less), NULL, 0))
#define scxx_list_push_front(head, node)                                            \
	(bpf_ksym_exists(bpf_list_push_front) ? bpf_list_push_front((head), (node)) \
					      : bpf_list_push_front_impl((head), (node), NULL, 0))
#define scxx_list_push_back(head, node)                                           \
	(bpf_ksym_exists(bpf_list_push_back) ? bpf_list_push_back((head), (node)) \
					     : bpf_list_push_back_impl((head), (node), NULL, 0))

/* The original names, mapped to whatever the running kernel has (they are gone since 6.17). */
#define scx_bpf_dispatch(p, dsq_id, slice, enq_flags) \
	((void)scxx_dsq_insert((p), scxx_dsq_from_id(dsq_id), (slice), (enq_flags)))
#define scx_bpf_dispatch_vtime(p, dsq_id, slice, vtime, enq_flags) \
	((void)scxx_dsq_insert_vtime((p), scxx_dsq_from_id(dsq_id), (slice), (vtime), (enq_flags)))
#define scx_bpf_consume(dsq_id) scxx_dsq_move_to_local(scxx_dsq_from_id(dsq_id))
#define scx_bpf_dispatch_from_dsq_set_slice(it, slice) scxx_dsq_move_set_slice((it), (slice))
#define scx_bpf_dispatch_from_dsq_set_vtime(it, vtime) scxx_dsq_move_set_vtime((it), (vtime))
#define scx_bpf_dispatch_from_dsq(it, p, dsq_id, enq_flags) \
	scxx_dsq_move((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))
#define scx_bpf_dispatch_vtime_from_dsq(it, p, dsq_id, enq_flags) \
	scxx_dsq_move_vtime((it), (p), scxx_dsq_from_id(dsq_id), (enq_flags))

#endif /* SCXX_PORTABLE_BPF_H */
