/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The machine's topology inside BPF: which core, last-level cache (LLC) and NUMA node each CPU
 * belongs to, the cpumasks of each, and the idle-CPU choice cache-aware schedulers make.
 *
 * The loader fills it in: scxx::open() reads scxx::Topology (include/scxx/topology.hpp) from sysfs
 * and writes it into this object's read-only data before load, so the values below are constants
 * to the verifier and cost one load each. Cores, LLCs and nodes are numbered 0, 1, ... in the order
 * of their first CPU, as scxx::Topology numbers them; offline CPUs belong to none.
 *
 *   scxx_topo_nr_cores(), scxx_topo_nr_llcs(), scxx_topo_nr_nodes(), scxx_topo_smt()
 *   scxx_topo_core_of(cpu), scxx_topo_llc_of(cpu), scxx_topo_node_of(cpu)
 *                       SCXX_TOPO_NONE for an offline CPU or one beyond SCXX_TOPO_MAX_CPUS
 *   scxx_topo_capacity(cpu)  1024 for the biggest CPUs, less for smaller ones
 *   scxx_topo_node_of_llc(llc)
 *
 * The cpumasks are built by scxx_topo_init(), which ops.init must call (it may sleep):
 *
 *   s32 SCXX_OP_SLEEPABLE(my_init) { return scxx_topo_init(); }
 *   scxx_topo_core_mask(core), scxx_topo_llc_mask(llc), scxx_topo_node_mask(node)
 *                       the online CPUs of each, NULL for an index that does not exist; valid in an
 *                       RCU read section, which every non-sleepable callback is (sleepable ones take
 *                       bpf_rcu_read_lock() around the use)
 *
 * A DSQ per LLC: scxx_topo_create_llc_dsqs() (ops.init, after scxx_topo_init()), then
 * scxx_topo_llc_dsq(llc), the user DSQ of id LLC; other DSQs take ids from SCXX_TOPO_MAX_CPUS up.
 *
 * Per-LLC context, like context.bpf.h's per-CPU one:
 *
 *   struct llc_ctx { u64 vtime_now; };
 *   SCXX_LLC_CTX(llcs, struct llc_ctx);
 *   struct llc_ctx *l = scxx_llc_ctx(llcs, scxx_topo_llc_of(cpu));   NULL for SCXX_TOPO_NONE
 *
 * Idle-CPU selection (needs the kernel's built-in idle tracking: no ops.update_idle unless
 * SCX_OPS_KEEP_BUILTIN_IDLE; not with SCX_OPS_BUILTIN_IDLE_PER_NODE):
 *
 *   enum scxx_idle_level level;
 *   s32 cpu = scxx_topo_pick_idle(p, prev_cpu, wake_flags, &level);
 *
 * claims (clears the idle state of) and returns the first idle CPU of: PREV's whole core (every
 * SMT sibling idle), an idle core in PREV's LLC, PREV itself, any idle CPU in the LLC, an idle
 * core then CPU in PREV's node, an idle core then CPU anywhere. It picks only CPUs in p->cpus_ptr
 * (only PREV for a task that may not migrate) and returns -EBUSY, level SCXX_IDLE_NONE, if none is
 * idle. LEVEL tells which step found it, for placement statistics.
 * A synchronous wakeup (SCX_WAKE_SYNC in WAKE_FLAGS, select_cpu's argument; 0 elsewhere: the
 * waker is about to sleep, as a pipe's writer that goes on to read) keeps the pair on one cache:
 * first PREV if idle and in the waker's LLC (its sibling may be busy), then after PREV's whole
 * core the waker's own CPU, not idle, level SCXX_IDLE_WAKER, when nothing waits in its local DSQ
 * and some CPU is idle (the machine is not saturated, so stacking costs no one a CPU). The
 * kernel's default selection does the same, so a scheduler using this one does not lose that to
 * one that uses the kernel's. Each step costs one kfunc call at most.
 *
 *   scxx_topo_pick_idle_in(scxx_topo_llc_mask(llc), p, 0)   one step of it: an idle CPU of a
 *                       domain that P may run on (a whole idle core first), claimed
 *   scxx_topo_sync_waker_cpu(p)   another: the synchronous waker's CPU, busy but about to free
 *                       up, if P may run there and nothing waits in its local DSQ (select_cpu only)
 *
 * Define SCXX_TOPO_MAX_CPUS before including this header for machines with more than 1024 CPU
 * ids; scxx::open() refuses a machine with more than the object has room for.
 */
#ifndef SCXX_TOPOLOGY_BPF_H
#define SCXX_TOPOLOGY_BPF_H

#include <scxx/helpers.bpf.h>
#include <scxx/portable.bpf.h>

#ifndef SCXX_TOPO_MAX_CPUS
#define SCXX_TOPO_MAX_CPUS 1024
#endif
#define SCXX_TOPO_NONE ((u32)-1)

/* Written by the loader (scxx::OpenScheduler::topology); nr_cpu_ids 0 means it was not. */
const volatile u32 scxx_topo_nr_cpu_ids;
const volatile u32 scxx_topo_nr_core_ids;
const volatile u32 scxx_topo_nr_llc_ids;
const volatile u32 scxx_topo_nr_node_ids;
const volatile u32 scxx_topo_smt_on;
const volatile u32 scxx_topo_core_ids[SCXX_TOPO_MAX_CPUS];
const volatile u32 scxx_topo_llc_ids[SCXX_TOPO_MAX_CPUS];
const volatile u32 scxx_topo_node_ids[SCXX_TOPO_MAX_CPUS];
const volatile u32 scxx_topo_capacities[SCXX_TOPO_MAX_CPUS];
const volatile u32 scxx_topo_llc_node_ids[SCXX_TOPO_MAX_CPUS]; /* by LLC */

static __always_inline u32 scxx_topo_nr_cores(void)
{
	return scxx_topo_nr_core_ids;
}
static __always_inline u32 scxx_topo_nr_llcs(void)
{
	return scxx_topo_nr_llc_ids;
}
static __always_inline u32 scxx_topo_nr_nodes(void)
{
	return scxx_topo_nr_node_ids;
}
/* True if some core has more than one hardware thread online. */
static __always_inline bool scxx_topo_smt(void)
{
	return scxx_topo_smt_on;
}

/*
 * ARRAY[CPU], or MISSING beyond the array. The empty asm pins the index to one register, so the
 * compiler cannot check one copy and index with another the verifier knows nothing about.
 */
static __always_inline u32 __scxx_topo_read(const volatile u32 *array, s32 cpu, u32 missing)
{
	u32 i = (u32)cpu;

	asm volatile("" : "+r"(i));
	if (i >= SCXX_TOPO_MAX_CPUS)
		return missing;
	return array[i];
}

static __always_inline u32 scxx_topo_core_of(s32 cpu)
{
	return __scxx_topo_read(scxx_topo_core_ids, cpu, SCXX_TOPO_NONE);
}
static __always_inline u32 scxx_topo_llc_of(s32 cpu)
{
	return __scxx_topo_read(scxx_topo_llc_ids, cpu, SCXX_TOPO_NONE);
}
static __always_inline u32 scxx_topo_node_of(s32 cpu)
{
	return __scxx_topo_read(scxx_topo_node_ids, cpu, SCXX_TOPO_NONE);
}
static __always_inline u32 scxx_topo_capacity(s32 cpu)
{
	return __scxx_topo_read(scxx_topo_capacities, cpu, 0);
}
/* The node an LLC is in. */
static __always_inline u32 scxx_topo_node_of_llc(u32 llc)
{
	return __scxx_topo_read(scxx_topo_llc_node_ids, (s32)llc, SCXX_TOPO_NONE);
}

/*
 * The masks: one region of SCXX_TOPO_MAX_CPUS slots per kind. CPU holds each CPU on its own (so
 * one kfunc asks whether a CPU's whole core is idle); SCRATCH is each CPU's scratch mask.
 */
enum {
	__SCXX_TOPO_CORE,
	__SCXX_TOPO_LLC,
	__SCXX_TOPO_NODE,
	__SCXX_TOPO_CPU,
	__SCXX_TOPO_SCRATCH,
	__SCXX_TOPO_KINDS,
};

struct __scxx_topo_mask {
	struct bpf_cpumask __kptr *mask;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCXX_TOPO_MAX_CPUS * __SCXX_TOPO_KINDS);
	__type(key, u32);
	__type(value, struct __scxx_topo_mask);
} scxx_topo_masks SEC(".maps");

static __always_inline struct bpf_cpumask *__scxx_topo_slot(u32 kind, u32 index)
{
	struct __scxx_topo_mask *slot;
	u32 key;

	if (index >= SCXX_TOPO_MAX_CPUS)
		return NULL;
	key = kind * SCXX_TOPO_MAX_CPUS + index;
	slot = bpf_map_lookup_elem(&scxx_topo_masks, &key);
	return slot ? slot->mask : NULL;
}

static __always_inline const struct cpumask *scxx_topo_core_mask(u32 core)
{
	return scxx_cast_mask(__scxx_topo_slot(__SCXX_TOPO_CORE, core));
}
static __always_inline const struct cpumask *scxx_topo_llc_mask(u32 llc)
{
	return scxx_cast_mask(__scxx_topo_slot(__SCXX_TOPO_LLC, llc));
}
static __always_inline const struct cpumask *scxx_topo_node_mask(u32 node)
{
	return scxx_cast_mask(__scxx_topo_slot(__SCXX_TOPO_NODE, node));
}

/* How many masks of KIND there are. */
static __always_inline u32 __scxx_topo_count(u32 kind)
{
	switch (kind) {
	case __SCXX_TOPO_CORE:
		return scxx_topo_nr_core_ids;
	case __SCXX_TOPO_LLC:
		return scxx_topo_nr_llc_ids;
	case __SCXX_TOPO_NODE:
		return scxx_topo_nr_node_ids;
	default:
		return scxx_topo_nr_cpu_ids;
	}
}

/* Sets CPU in mask INDEX of KIND (nothing for SCXX_TOPO_NONE). In an RCU read section. */
static __always_inline void __scxx_topo_add(u32 kind, u32 index, s32 cpu)
{
	struct bpf_cpumask *mask = __scxx_topo_slot(kind, index);

	if (mask)
		bpf_cpumask_set_cpu(cpu, mask);
}

/*
 * Builds the core, LLC and node cpumasks (and the per-CPU scratch masks scxx_topo_pick_idle uses)
 * from the loader's topology. Call it from ops.init; 0, -ENOMEM, or -EINVAL (with the scheduler
 * ejected, saying why) if the loader did not fill the topology in.
 */
static __always_inline s32 scxx_topo_init(void)
{
	s32 i, cpu;

	if (!scxx_topo_nr_cpu_ids) {
		scxx_error("scxx_topo_init(): no topology: load this object with scxx::open(), which fills it in");
		return -EINVAL;
	}
	bpf_for(i, 0, SCXX_TOPO_MAX_CPUS * __SCXX_TOPO_KINDS) {
		u32 kind = (u32)i / SCXX_TOPO_MAX_CPUS, key = (u32)i;
		struct __scxx_topo_mask *slot;
		struct bpf_cpumask *mask;

		if ((u32)i % SCXX_TOPO_MAX_CPUS >= __scxx_topo_count(kind))
			continue;
		slot = bpf_map_lookup_elem(&scxx_topo_masks, &key);
		if (!slot)
			return -EINVAL;
		mask = bpf_cpumask_create();
		if (!mask)
			return -ENOMEM;
		mask = bpf_kptr_xchg(&slot->mask, mask);
		if (mask)
			bpf_cpumask_release(mask);
	}
	bpf_rcu_read_lock();
	bpf_for(cpu, 0, scxx_topo_nr_cpu_ids) {
		__scxx_topo_add(__SCXX_TOPO_CPU, cpu, cpu);
		__scxx_topo_add(__SCXX_TOPO_CORE, scxx_topo_core_of(cpu), cpu);
		__scxx_topo_add(__SCXX_TOPO_LLC, scxx_topo_llc_of(cpu), cpu);
		__scxx_topo_add(__SCXX_TOPO_NODE, scxx_topo_node_of(cpu), cpu);
	}
	bpf_rcu_read_unlock();
	return 0;
}

/*
 * A user DSQ per LLC: scxx_topo_llc_dsq(llc) is LLC's (user DSQ id LLC, so a scheduler's other DSQs
 * take ids from SCXX_TOPO_MAX_CPUS up). scxx_topo_create_llc_dsqs(), from ops.init after
 * scxx_topo_init(), creates them, each on its LLC's NUMA node; 0 or the first negative errno.
 */
static __always_inline scxx_dsq_t scxx_topo_llc_dsq(u32 llc)
{
	return scxx_dsq_from_id(llc); /* a u32 never has bit 63: no run-time check on the hot path */
}

static __always_inline s32 scxx_topo_create_llc_dsqs(void)
{
	u32 llc;

	bpf_for(llc, 0, scxx_topo_nr_llcs()) {
		u32 node = scxx_topo_node_of_llc(llc);
		s32 ret = scxx_dsq_create(scxx_topo_llc_dsq(llc), node == SCXX_TOPO_NONE ? -1 : (s32)node);

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Per-LLC context: one CTX_TYPE per LLC, zeroed at load, in an array map (lookups the verifier
 * inlines). scxx_llc_ctx(NAME, llc) is LLC's, or NULL for SCXX_TOPO_NONE and beyond.
 */
#define SCXX_LLC_CTX(name, ctx_type)                     \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_ARRAY);        \
		__uint(max_entries, SCXX_TOPO_MAX_CPUS); \
		__type(key, u32);                        \
		__type(value, ctx_type);                 \
	} name SEC(".maps")

#define scxx_llc_ctx(name, llc)                                                   \
	({                                                                        \
		u32 __scxx_llc = (llc);                                           \
		(__typeof__(name.value))bpf_map_lookup_elem(&name, &__scxx_llc); \
	})

/* Which step of scxx_topo_pick_idle found the CPU. */
enum scxx_idle_level {
	SCXX_IDLE_NONE,      /* nothing idle where the task may run */
	SCXX_IDLE_PREV_CORE, /* PREV, with its whole core idle */
	SCXX_IDLE_LLC_CORE,  /* a whole idle core in PREV's LLC */
	SCXX_IDLE_PREV,      /* PREV, its core partly busy */
	SCXX_IDLE_WAKER,     /* a synchronous waker's CPU, which it is about to leave (not idle) */
	SCXX_IDLE_LLC,       /* another CPU in PREV's LLC */
	SCXX_IDLE_NODE,      /* in PREV's node, another LLC */
	SCXX_IDLE_ANY,       /* in another node */
	SCXX_IDLE_NR_LEVELS,
};

/*
 * Whether P may run on every CPU: its mask has as many CPUs as there are CPU ids, and it can hold
 * none beyond them. Saves a cpumask call on most wakeups.
 */
static __always_inline bool __scxx_topo_runs_anywhere(const struct task_struct *p)
{
	return (u32)p->nr_cpus_allowed >= scxx_topo_nr_cpu_ids;
}

/* DOMAIN, or DOMAIN & p->cpus_ptr in this CPU's scratch mask where P may not run on all of it. */
static __always_inline const struct cpumask *__scxx_topo_allowed(const struct cpumask *domain,
								 const struct task_struct *p)
{
	struct bpf_cpumask *scratch;

	if (!domain || __scxx_topo_runs_anywhere(p) || bpf_cpumask_subset(domain, p->cpus_ptr))
		return domain;
	scratch = __scxx_topo_slot(__SCXX_TOPO_SCRATCH, bpf_get_smp_processor_id());
	if (!scratch)
		return NULL;
	bpf_cpumask_and(scratch, domain, p->cpus_ptr);
	return scxx_cast_mask(scratch);
}

/*
 * An idle CPU of DOMAIN that P may run on (a whole idle core first; only one with
 * SCX_PICK_IDLE_CORE in FLAGS), claimed; -EBUSY if none.
 */
static __always_inline s32 scxx_topo_pick_idle_in(const struct cpumask *domain, const struct task_struct *p,
					       u64 flags)
{
	const struct cpumask *allowed = __scxx_topo_allowed(domain, p);

	return allowed ? scx_bpf_pick_idle_cpu(allowed, flags) : -EBUSY;
}

/*
 * The CPU of a synchronous waker (SCX_WAKE_SYNC: it is about to sleep), for P to run on once it
 * does: the current CPU, if P may run there, nothing waits in its local DSQ and the waker is not
 * exiting; -EBUSY otherwise. Only from ops.select_cpu, which runs on the waker's CPU.
 */
static __always_inline s32 scxx_topo_sync_waker_cpu(const struct task_struct *p)
{
	struct task_struct *waker = bpf_get_current_task_btf();
	s32 cpu = bpf_get_smp_processor_id();

	if ((waker->flags & PF_EXITING) || (!__scxx_topo_runs_anywhere(p) && !bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) ||
	    scxx_dsq_nr_queued(scxx_dsq_local()) > 0)
		return -EBUSY;
	return cpu;
}

static __always_inline s32 scxx_topo_pick_idle(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
					       enum scxx_idle_level *level)
{
	bool prev_allowed = __scxx_topo_runs_anywhere(p) || bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr);
	bool sync = wake_flags & SCX_WAKE_SYNC;
	s32 this_cpu = bpf_get_smp_processor_id(), cpu;
	u32 llc = scxx_topo_llc_of(prev_cpu);
	bool try_prev;

	*level = SCXX_IDLE_NONE;
	if (p->nr_cpus_allowed == 1 || scxx_task_migration_disabled(p)) {
		if (prev_allowed && scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
			*level = SCXX_IDLE_PREV;
			return prev_cpu;
		}
		return -EBUSY;
	}
	/*
	 * PREV is worth a look unless it is a synchronous waker's CPU (the two take turns on it),
	 * which that waker keeps busy.
	 */
	try_prev = prev_allowed && !(sync && prev_cpu == this_cpu);
	/* A synchronous wakeup: PREV if idle and sharing the waker's LLC, whatever its sibling does. */
	if (sync && try_prev && scxx_topo_llc_of(this_cpu) == llc && scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
		*level = SCXX_IDLE_PREV;
		return prev_cpu;
	}
	if (try_prev) {
		/* One kfunc: PREV alone in the mask, claimed only if its whole core is idle. */
		const struct cpumask *prev_only = scxx_cast_mask(__scxx_topo_slot(__SCXX_TOPO_CPU, prev_cpu));

		if (prev_only && scx_bpf_pick_idle_cpu(prev_only, SCX_PICK_IDLE_CORE) == prev_cpu) {
			*level = scxx_topo_smt() ? SCXX_IDLE_PREV_CORE : SCXX_IDLE_PREV;
			return prev_cpu;
		}
	}
	/* A busy machine (the common case under load) answers here rather than after five searches. */
	if (!scxx_any_cpu_idle())
		return -EBUSY;
	if (sync) {
		cpu = scxx_topo_sync_waker_cpu(p);
		if (cpu >= 0) {
			*level = SCXX_IDLE_WAKER;
			return cpu;
		}
	}
	if (scxx_topo_smt()) {
		cpu = scxx_topo_pick_idle_in(scxx_topo_llc_mask(llc), p, SCX_PICK_IDLE_CORE);
		if (cpu >= 0) {
			*level = SCXX_IDLE_LLC_CORE;
			return cpu;
		}
		if (try_prev && scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
			*level = SCXX_IDLE_PREV;
			return prev_cpu;
		}
	}
	cpu = scxx_topo_pick_idle_in(scxx_topo_llc_mask(llc), p, 0);
	if (cpu >= 0) {
		*level = SCXX_IDLE_LLC;
		return cpu;
	}
	if (scxx_topo_nr_llcs() > scxx_topo_nr_nodes()) {
		cpu = scxx_topo_pick_idle_in(scxx_topo_node_mask(scxx_topo_node_of(prev_cpu)), p, 0);
		if (cpu >= 0) {
			*level = SCXX_IDLE_NODE;
			return cpu;
		}
	}
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu < 0)
		return -EBUSY;
	*level = scxx_topo_node_of(cpu) == scxx_topo_node_of(prev_cpu) ?
			 (scxx_topo_llc_of(cpu) == llc ? SCXX_IDLE_LLC : SCXX_IDLE_NODE) :
			 SCXX_IDLE_ANY;
	return cpu;
}

#endif /* SCXX_TOPOLOGY_BPF_H */
