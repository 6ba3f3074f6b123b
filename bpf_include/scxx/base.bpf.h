/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The foundation every scxx BPF header builds on: kernel types, libbpf's BPF helpers, the kernel's
 * macro constants (errno, task flags), the generated kfunc declarations and the sched_ext
 * enumerators.
 */
#ifndef SCXX_BASE_BPF_H
#define SCXX_BASE_BPF_H

/* A bpftool-generated vmlinux.h (VMLINUX_H) must not bring kfunc prototypes of its own. */
#ifndef BPF_NO_KFUNC_PROTOTYPES
#define BPF_NO_KFUNC_PROTOTYPES
#endif

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <scxx/kernel_defs.bpf.h>

#include <scxx/kfuncs.bpf.h>
#include <scxx/enums.bpf.h>

#endif /* SCXX_BASE_BPF_H */
