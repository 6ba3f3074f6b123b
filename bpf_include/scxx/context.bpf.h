/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Per-task and per-CPU context: what a scheduler remembers about each task and each CPU.
 *
 *   struct task_ctx { u64 started_at, avg_runtime; };
 *   SCXX_TASK_CTX(tasks, struct task_ctx);          task local storage: the kernel frees it with the task
 *   ops.init_task:  if (!scxx_task_ctx_create(tasks, p)) return -ENOMEM;
 *   elsewhere:      struct task_ctx *t = scxx_task_ctx(tasks, p);   NULL only for a task not
 *                   initialised by this scheduler
 *
 *   struct cpu_ctx { u64 idle_since; };
 *   SCXX_CPU_CTX(cpus, struct cpu_ctx);             one per possible CPU
 *   scxx_cpu_ctx(cpus)                              this CPU's
 *   scxx_cpu_ctx_of(cpus, cpu)                      another's (NULL for a CPU that does not exist)
 *
 *   The CPU a callback runs on is not always the one it is about: ops.running and ops.stopping
 *   also run on a CPU that changes another CPU's running task (its affinity, class or weight).
 *   There, the task's CPU is scxx_task_cpu(p), and its context scxx_cpu_ctx_of(cpus, that CPU).
 *
 * The lookups return a pointer of the declared type: assigning it to another type is a compile
 * error, not a silent reinterpretation.
 */
#ifndef SCXX_CONTEXT_BPF_H
#define SCXX_CONTEXT_BPF_H

#include <scxx/base.bpf.h>

#define SCXX_TASK_CTX(name, ctx_type)                    \
	struct {                                         \
		__uint(type, BPF_MAP_TYPE_TASK_STORAGE); \
		__uint(map_flags, BPF_F_NO_PREALLOC);    \
		__type(key, int);                        \
		__type(value, ctx_type);                 \
	} name SEC(".maps")

/* P's context in NAME, created zeroed if P has none; NULL if the kernel is out of memory. */
#define scxx_task_ctx_create(name, p) \
	((__typeof__(name.value))bpf_task_storage_get(&name, (p), NULL, BPF_LOCAL_STORAGE_GET_F_CREATE))
/* P's context in NAME, or NULL if it was never created. */
#define scxx_task_ctx(name, p) ((__typeof__(name.value))bpf_task_storage_get(&name, (p), NULL, 0))

#define SCXX_CPU_CTX(name, ctx_type)                    \
	struct {                                        \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, 1);                 \
		__type(key, u32);                       \
		__type(value, ctx_type);                \
	} name SEC(".maps")

/* This CPU's context in NAME (never NULL in practice; check it for the verifier). */
#define scxx_cpu_ctx(name)                                                \
	({                                                                \
		u32 __scxx_key = 0;                                       \
		(__typeof__(name.value))bpf_map_lookup_elem(&name, &__scxx_key); \
	})
/*
 * CPU's context in NAME, or NULL if CPU is not a possible CPU. This CPU's takes the inlined lookup
 * of scxx_cpu_ctx(), so a callback that is usually about its own CPU (ops.running) pays a helper
 * call only when it is not.
 */
#define scxx_cpu_ctx_of(name, cpu)                                                               \
	({                                                                                       \
		u32 __scxx_key = 0;                                                              \
		s32 __scxx_cpu = (cpu);                                                          \
		(__typeof__(name.value))(__scxx_cpu == (s32)bpf_get_smp_processor_id() ?        \
						 bpf_map_lookup_elem(&name, &__scxx_key) :       \
						 bpf_map_lookup_percpu_elem(&name, &__scxx_key,  \
									    __scxx_cpu)); \
	})

#endif /* SCXX_CONTEXT_BPF_H */
