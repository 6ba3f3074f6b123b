/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * scxx: what a sched_ext scheduler's BPF source includes.
 *
 *   base.bpf.h      kernel types (vmlinux.h), libbpf's helpers, every kfunc (kfuncs.bpf.h), the
 *                   sched_ext enumerators as load-time values (enums.bpf.h)
 *   helpers.bpf.h   scxx_error/exit/dump, time, weight and bit helpers, self-releasing cpumasks
 *   cpu.bpf.h       loops over the possible/online CPUs, run-queue clocks
 *   portable.bpf.h  scxx_dsq_insert() and friends: one call for every kernel from 6.12 on
 *   dsq.bpf.h       typed DSQ ids
 *   runtime.bpf.h   exit info, counters and the programs the C++ side runs
 * and, included on their own where wanted: context.bpf.h (per-task and per-CPU context),
 * topology.bpf.h (cores, LLCs and nodes, their cpumasks, idle-core-first selection), arena.bpf.h
 * (BPF arenas, bounded loops) and cmask.bpf.h (cid bitmaps in an arena, 7.1 and later).
 *
 * Kernel types come from the vmlinux.h scxx generates from the newest test kernel (or the one you
 * pass as VMLINUX_H); field accesses are CO-RE-relocated at load time, so one object loads on every
 * kernel whose BTF has the fields it touches.
 */
#ifndef SCXX_SCXX_BPF_H
#define SCXX_SCXX_BPF_H

#include <scxx/base.bpf.h>
#include <scxx/helpers.bpf.h>
#include <scxx/cpu.bpf.h>
#include <scxx/portable.bpf.h>
#include <scxx/dsq.bpf.h>
#include <scxx/runtime.bpf.h>

/* Defines a struct_ops callback NAME taking ARGS, e.g. SCXX_OP(my_enqueue, struct task_struct *p, u64 enq_flags). */
#define SCXX_OP(name, args...) \
	SEC("struct_ops/" #name) BPF_PROG(name, ##args)

/* The same for callbacks that may sleep (ops.init, ops.init_task, cgroup_init ...). */
#define SCXX_OP_SLEEPABLE(name, args...) \
	SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/*
 * Defines the scheduler: a struct sched_ext_ops named VAR, attached through a BPF link (so the kernel
 * detaches it when the loader exits, however it exits). The remaining arguments are designated
 * initializers: .enqueue = (void *)my_enqueue, ..., .name = "my_sched".
 * Unless you set .exit yourself, the SDK's exit callback records the kernel's exit info for the
 * loader; if you do set it, call scxx_record_exit(ei) from it.
 */
#define SCXX_SCHEDULER(var, ...) __SCXX_OPS_DEFINE(sched_ext_ops, var, __VA_ARGS__)

/* An ops map of struct_ops TYPE (sched_ext_ops, or 7.3's sched_ext_ops_cid) with scxx's ops.exit. */
#define __SCXX_OPS_DEFINE(type, var, ...)                                                \
	_Pragma("clang diagnostic push")                                                \
	_Pragma("clang diagnostic ignored \"-Winitializer-overrides\"")                \
	SEC(".struct_ops.link") struct type var = {                                     \
		.exit = (void *)scxx_default_exit, __VA_ARGS__                          \
	};                                                                              \
	_Pragma("clang diagnostic pop")

#endif /* SCXX_SCXX_BPF_H */
