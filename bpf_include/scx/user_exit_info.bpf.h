/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * UEI_DEFINE / UEI_RECORD of the kernel's example headers. scxx keeps one exit record per object
 * (scxx_exit_info, <scxx/runtime.bpf.h>), which the scxx loader reports: UEI_DEFINE declares
 * nothing of its own and UEI_RECORD fills that record, once.
 */
#ifndef SCXX_SCX_USER_EXIT_INFO_BPF_H
#define SCXX_SCX_USER_EXIT_INFO_BPF_H

#include <scxx/scxx.bpf.h>

#define UEI_DEFINE(name) _Static_assert(1, "UEI_DEFINE(" #name "): the exit info goes to scxx_exit_info")

#define UEI_RECORD(name, ei) scxx_record_exit(ei)

#endif /* SCXX_SCX_USER_EXIT_INFO_BPF_H */
