/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * scxx: what a sched_ext scheduler's BPF source includes.
 *
 * Kernel types come from vmlinux.h (found through the include path that scxx_add_bpf_skeleton sets
 * up, or the one you pass as VMLINUX_H); field accesses are CO-RE-relocated at load time, so one
 * object loads on every kernel whose BTF has the fields it touches.
 */
#ifndef SCXX_SCXX_BPF_H
#define SCXX_SCXX_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* Defines a struct_ops callback NAME taking ARGS, e.g. SCXX_OP(my_enqueue, struct task_struct *p, u64 enq_flags). */
#define SCXX_OP(name, args...) \
	SEC("struct_ops/" #name) BPF_PROG(name, ##args)

/* The same for callbacks that may sleep (ops.init, ops.init_task, cgroup_init ...). */
#define SCXX_OP_SLEEPABLE(name, args...) \
	SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

#include <scxx/runtime.bpf.h>

/*
 * Defines the scheduler: a struct sched_ext_ops named VAR, attached through a BPF link (so the kernel
 * detaches it when the loader exits, however it exits). The remaining arguments are designated
 * initializers: .enqueue = (void *)my_enqueue, ..., .name = "my_sched".
 * Unless you set .exit yourself, the SDK's exit callback records the kernel's exit info for the
 * loader; if you do set it, call scxx_record_exit(ei) from it.
 */
#define SCXX_SCHEDULER(var, ...)                                                        \
	_Pragma("clang diagnostic push")                                                \
	_Pragma("clang diagnostic ignored \"-Winitializer-overrides\"")                \
	SEC(".struct_ops.link") struct sched_ext_ops var = {                          \
		.exit = (void *)scxx_exit, __VA_ARGS__                                  \
	};                                                                              \
	_Pragma("clang diagnostic pop")

#endif /* SCXX_SCXX_BPF_H */
