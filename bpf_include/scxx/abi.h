/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The kernel ABI levels a scheduler's BPF object is built for. scxx_add_bpf_skeleton compiles the
 * object once per level (-DSCXX_ABI=<level>, the levels in SCXX_ABI_LEVELS) and embeds every
 * build; at open the loader picks the highest level whose kfuncs the running kernel has
 * (include/scxx/abi.hpp). Shared by the BPF side (portable.bpf.h) and the C++ side.
 *
 *   SCXX_ABI_ANY (0)   any kernel from 6.12 on: a portable call tests at load time which kfunc the
 *                      kernel has (bpf_ksym_exists); the verifier folds the test but keeps the
 *                      constant load that fed it
 *   SCXX_ABI_6_16      kernels with every kfunc of level 616 below (6.16, 6.17 ...): the portable
 *                      calls compile to those kfuncs, with no test left
 *   SCXX_ABI_7_3       the same with the 7.x kfuncs (level 703)
 *
 * A level is a kernel release written major * 100 + minor; a build at level L may call each kfunc
 * listed below with a level <= L without testing for it.
 */
#ifndef SCXX_ABI_H
#define SCXX_ABI_H

#define SCXX_ABI_ANY 0
#define SCXX_ABI_6_16 616
#define SCXX_ABI_7_3 703

/* X(kfunc as the BPF source names it, level): the kfuncs the portable calls use untested from LEVEL. */
#define SCXX_ABI_KFUNCS(X)                          \
	X(scx_bpf_dsq_insert, 616)                  \
	X(scx_bpf_dsq_insert_vtime, 616)            \
	X(scx_bpf_dsq_move_to_local, 616)           \
	X(scx_bpf_dsq_move, 616)                    \
	X(scx_bpf_dsq_move_vtime, 616)              \
	X(scx_bpf_dsq_move_set_slice, 616)          \
	X(scx_bpf_dsq_move_set_vtime, 616)          \
	X(scx_bpf_select_cpu_and, 616)              \
	X(scx_bpf_now, 616)                         \
	X(scx_bpf_events, 616)                      \
	X(scx_bpf_dsq_insert___v2___scxx, 703)      \
	X(__scx_bpf_dsq_insert_vtime, 703)          \
	X(scx_bpf_dsq_move_to_local___v2___scxx, 703) \
	X(__scx_bpf_select_cpu_and, 703)            \
	X(scx_bpf_task_set_slice, 703)              \
	X(scx_bpf_task_set_dsq_vtime, 703)

#endif /* SCXX_ABI_H */
