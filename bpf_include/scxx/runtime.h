/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The records the BPF runtime (scxx/runtime.bpf.h) and the C++ side (include/scxx) share: the exit
 * record, the debug dump and the control programs' arguments. Written once, here, in plain C with
 * fixed-width types (BPF gets __u32 and friends from vmlinux.h, C++ from <linux/types.h>); the
 * assertions below make both compilers agree on every size and offset, so a change on one side
 * cannot silently leave the other reading garbage.
 */
#ifndef SCXX_RUNTIME_H
#define SCXX_RUNTIME_H

#ifdef __cplusplus
#define SCXX_LAYOUT(cond, what) static_assert(cond, what)
#else
#define SCXX_LAYOUT(cond, what) _Static_assert(cond, what)
#endif

#define SCXX_EXIT_REASON_LEN 128
#define SCXX_EXIT_MSG_LEN 1024
#define SCXX_EXIT_DUMP_LEN 32768
/* Room for any kernel's struct scx_event_stats (userspace reads it with that kernel's BTF). */
#define SCXX_EVENTS_LEN 4096

/* The kernel's exit info, copied out when the scheduler exits; the loader reads it after detach. */
struct scxx_exit_record {
	__s32 kind; /* enum scx_exit_kind; written last, so non-zero means the record is whole */
	__u32 reserved;
	__s64 exit_code;
	char reason[SCXX_EXIT_REASON_LEN];
	char msg[SCXX_EXIT_MSG_LEN];
};
SCXX_LAYOUT(sizeof(struct scxx_exit_record) == 1168, "struct scxx_exit_record: 1168 bytes");
SCXX_LAYOUT(__builtin_offsetof(struct scxx_exit_record, exit_code) == 8, "scxx_exit_record.exit_code at 8");
SCXX_LAYOUT(__builtin_offsetof(struct scxx_exit_record, reason) == 16, "scxx_exit_record.reason at 16");
SCXX_LAYOUT(__builtin_offsetof(struct scxx_exit_record, msg) == 144, "scxx_exit_record.msg at 144");

/* The debug dump the kernel builds on an error exit (ops.dump output included), kept apart. */
struct scxx_exit_dump {
	char text[SCXX_EXIT_DUMP_LEN];
};

/* The control programs' argument (scxx_sys_*, run with BPF_PROG_RUN); ret is written back. */
struct scxx_sys_args {
	__u64 dsq_id; /* DSQ to act on */
	__u64 arg;    /* node (create), flags (kick), destination DSQ (move) */
	__s32 cpu;    /* CPU to kick */
	__s32 ret;    /* result: >= 0 or a negative errno */
};
SCXX_LAYOUT(sizeof(struct scxx_sys_args) == 24, "struct scxx_sys_args: 24 bytes");
SCXX_LAYOUT(__builtin_offsetof(struct scxx_sys_args, cpu) == 16, "scxx_sys_args.cpu at 16");
SCXX_LAYOUT(__builtin_offsetof(struct scxx_sys_args, ret) == 20, "scxx_sys_args.ret at 20");

/* scxx_sys_events' argument: ret, then the running kernel's struct scx_event_stats. */
struct scxx_sys_events {
	__s32 ret;
	__s32 reserved;
	unsigned char stats[SCXX_EVENTS_LEN];
};
SCXX_LAYOUT(__builtin_offsetof(struct scxx_sys_events, stats) == 8, "scxx_sys_events.stats at 8");

#undef SCXX_LAYOUT

#endif /* SCXX_RUNTIME_H */
