/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The kernel example headers' names for cmasks (7.1 and later), on <scxx/cmask.bpf.h>, which says
 * what they do. <scx/common.bpf.h> includes this; so can a source on its own.
 */
#ifndef SCXX_SCX_CID_BPF_H
#define SCXX_SCX_CID_BPF_H

#include <scxx/cmask.bpf.h>

#ifndef BIT_U64
#define BIT_U64(nr) (1ULL << (nr))
#endif
#ifndef GENMASK_U64
#define GENMASK_U64(high, low) ((~0ULL << (low)) & (~0ULL >> (63 - (high))))
#endif

#ifdef __BPF_FEATURE_ADDR_SPACE_CAST
#define CMASK_NR_WORDS(nr_cids) SCXX_CMASK_WORDS(nr_cids)
/* Words of a mask over 8192 CPUs, the largest NR_CPUS the example headers size for. */
#ifndef CMASK_MAX_WORDS
#define CMASK_MAX_WORDS SCXX_CMASK_WORDS(8192)
#endif

#define __cmask_init(m, base, nr_cids, capacity) \
	scxx_cmask_init_capacity((m), (base), (nr_cids), (capacity))
#define cmask_init(m, base, nr_cids) scxx_cmask_init((m), (base), (nr_cids))
#define cmask_reframe(m, base, nr_cids) scxx_cmask_reframe((m), (base), (nr_cids))
#define cmask_zero(m) scxx_cmask_zero(m)
#define cmask_test(cid, m) scxx_cmask_test((m), (cid))
#define cmask_set(cid, m) scxx_cmask_set((m), (cid))
#define cmask_clear(cid, m) scxx_cmask_clear((m), (cid))
#define cmask_test_and_set(cid, m) scxx_cmask_test_and_set((m), (cid))
#define cmask_test_and_clear(cid, m) scxx_cmask_test_and_clear((m), (cid))
#define __cmask_set(cid, m) ((void)scxx_cmask_test_and_set_plain((m), (cid)))
#define __cmask_clear(cid, m) ((void)scxx_cmask_test_and_clear_plain((m), (cid)))
#define __cmask_test_and_set(cid, m) scxx_cmask_test_and_set_plain((m), (cid))
#define __cmask_test_and_clear(cid, m) scxx_cmask_test_and_clear_plain((m), (cid))
#define CMASK_CAS_TRIES SCXX_CMASK_CAS_ATTEMPTS
#define __cmask_contains(cid, m) scxx_cmask_covers((m), (cid))
#define __cmask_word(cid, m) __scxx_cmask_word((m), (cid) / 64)
#define BPF_CMASK_OP_AND SCXX_CMASK_AND
#define BPF_CMASK_OP_OR SCXX_CMASK_OR
#define BPF_CMASK_OP_COPY SCXX_CMASK_COPY
#define BPF_CMASK_OP_ANDNOT SCXX_CMASK_ANDNOT
#define cmask_op(dst, src, op) scxx_cmask_apply((dst), (src), (op))
#define cmask_and(dst, src) scxx_cmask_apply((dst), (src), SCXX_CMASK_AND)
#define cmask_or(dst, src) scxx_cmask_apply((dst), (src), SCXX_CMASK_OR)
#define cmask_andnot(dst, src) scxx_cmask_apply((dst), (src), SCXX_CMASK_ANDNOT)
#define cmask_copy(dst, src) scxx_cmask_apply((dst), (src), SCXX_CMASK_COPY)
#define cmask_equal(a, b) scxx_cmask_equal((a), (b))
#define cmask_subset(a, b) scxx_cmask_subset((a), (b))
#define cmask_weight(m) scxx_cmask_weight(m)
#define cmask_intersects(a, b) scxx_cmask_intersects((a), (b))
#define cmask_next_set(m, cid) scxx_cmask_next((m), (cid))
#define cmask_first_set(m) scxx_cmask_next((m), 0)
#define cmask_for_each(cid, m) scxx_cmask_for_each(cid, m)
#define cmask_next_and_set(a, b, cid) scxx_cmask_next_common((a), (b), (b), (cid))
#define cmask_next_and2_set(a, b, c, cid) scxx_cmask_next_common((a), (b), (c), (cid))
#define cmask_next_set_wrap(m, cid) scxx_cmask_next_common_wrap((m), (m), (m), (cid))
#define cmask_next_and_set_wrap(a, b, cid) scxx_cmask_next_common_wrap((a), (b), (b), (cid))
#define cmask_next_and2_set_wrap(a, b, c, cid) scxx_cmask_next_common_wrap((a), (b), (c), (cid))
#define cmask_from_cpumask(m, cpumask) scxx_cmask_from_cpumask((m), (cpumask))
#endif

#endif /* SCXX_SCX_CID_BPF_H */
