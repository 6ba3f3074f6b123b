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
 * listed below whose level is <= L without testing for it. A kfunc's level is not written here:
 * kfunc_levels.h, generated from the test kernels' BTF, gives the release from which on every test
 * kernel has it (SCXX_KFUNC_SINCE_<kfunc>).
 */
#ifndef SCXX_ABI_H
#define SCXX_ABI_H

#define SCXX_ABI_ANY 0
#define SCXX_ABI_6_16 616
#define SCXX_ABI_7_3 703

#include <scxx/kfunc_levels.h>

/* X(kfunc as kfuncs.bpf.h declares it, its level): the kfuncs the portable calls use untested from
 * their level on. */
#define SCXX_ABI_KFUNC(X, kfunc) X(kfunc, SCXX_KFUNC_SINCE_##kfunc)
#define SCXX_ABI_KFUNCS(X)                                      \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_insert)                   \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_insert_vtime)             \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_move_to_local)            \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_move)                     \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_move_vtime)               \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_move_set_slice)           \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_move_set_vtime)           \
	SCXX_ABI_KFUNC(X, scx_bpf_select_cpu_and)               \
	SCXX_ABI_KFUNC(X, scx_bpf_now)                          \
	SCXX_ABI_KFUNC(X, scx_bpf_events)                       \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_insert___v2___scxx)       \
	SCXX_ABI_KFUNC(X, __scx_bpf_dsq_insert_vtime)           \
	SCXX_ABI_KFUNC(X, scx_bpf_dsq_move_to_local___v2___scxx) \
	SCXX_ABI_KFUNC(X, __scx_bpf_select_cpu_and)             \
	SCXX_ABI_KFUNC(X, scx_bpf_task_set_slice)               \
	SCXX_ABI_KFUNC(X, scx_bpf_task_set_dsq_vtime)

#endif /* SCXX_ABI_H */
