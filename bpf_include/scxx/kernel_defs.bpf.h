/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Kernel constants that are preprocessor macros in the kernel's own headers, so neither BTF nor
 * vmlinux.h carries them: errno values, task_struct.flags bits, clock ids, NUMA_NO_NODE and the
 * kernel's configuration as __kconfig externs. Values are the kernel's (include/linux/sched.h,
 * include/uapi/linux/time.h); each is left alone if the including source defined it first.
 */
#ifndef SCXX_KERNEL_DEFS_BPF_H
#define SCXX_KERNEL_DEFS_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

/* EINVAL, ENOENT, ESRCH ...: the kernel's UAPI errno header (Debian: linux-libc-dev). */
#include <asm-generic/errno.h>

/* task_struct.flags */
#ifndef PF_IDLE
#define PF_IDLE 0x00000002 /* an idle thread */
#endif
#ifndef PF_EXITING
#define PF_EXITING 0x00000004 /* being torn down */
#endif
#ifndef PF_IO_WORKER
#define PF_IO_WORKER 0x00000010 /* an io_uring worker */
#endif
#ifndef PF_WQ_WORKER
#define PF_WQ_WORKER 0x00000020 /* a workqueue worker */
#endif
#ifndef PF_USER_WORKER
#define PF_USER_WORKER 0x00004000 /* a kernel thread cloned from a user process */
#endif
#ifndef PF_KCOMPACTD
#define PF_KCOMPACTD 0x00010000
#endif
#ifndef PF_KSWAPD
#define PF_KSWAPD 0x00020000
#endif
#ifndef PF_KTHREAD
#define PF_KTHREAD 0x00200000 /* a kernel thread */
#endif
#ifndef PF_NO_SETAFFINITY
#define PF_NO_SETAFFINITY 0x04000000 /* userspace may not change its CPU affinity */
#endif

/* Clock ids, e.g. for bpf_timer_init(). */
#ifndef CLOCK_REALTIME
#define CLOCK_REALTIME 0
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC 1
#endif
#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME 7
#endif

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

/*
 * The running kernel's version and configuration, filled in by libbpf at load. A scheduler that
 * reads a CONFIG_* extern needs the kernel's config; the scxx loader hands it to libbpf where the
 * distribution keeps it only in /usr/lib/modules/<release>/config (Debian's 7.x packages).
 */
extern int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_PREEMPT_RCU __kconfig __weak;
extern const char CONFIG_LOCALVERSION[64] __kconfig __weak;
extern const char CONFIG_CC_VERSION_TEXT[64] __kconfig __weak;

#endif /* SCXX_KERNEL_DEFS_BPF_H */
