/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * UEI_DEFINE / UEI_RECORD of the kernel's example headers. The record also lands in scxx's own
 * exit info, which the scxx loader reports.
 */
#ifndef SCXX_SCX_USER_EXIT_INFO_BPF_H
#define SCXX_SCX_USER_EXIT_INFO_BPF_H

#include <scxx/scxx.bpf.h>

#define UEI_DEFINE(name) struct scxx_exit_record name SEC(".data")

#define UEI_RECORD(name, ei)                          \
	({                                            \
		__scxx_fill_exit_record(&(name), (ei)); \
		scxx_record_exit(ei);                 \
	})

#endif /* SCXX_SCX_USER_EXIT_INFO_BPF_H */
