/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * cmasks: bitmaps over cids (the kernel's compact CPU ids, 7.1 and later), kept in a BPF arena.
 *
 * struct scx_cmask (the kernel's type) covers the active range [base, base + nr_cids). Its words
 * are aligned to cid 0: bits[0] holds cids base & ~63 up to that plus 63, so a range that does not
 * start on a multiple of 64 needs one word more than nr_cids / 64 rounded up (SCXX_CMASK_WORDS).
 * Bits of the first and last word outside the range stay zero; every helper here keeps them so.
 *
 * Two masks with different ranges combine over the cids both cover: the operations below change
 * only those bits of the destination, and the searches and tests look only at those cids.
 * Searches return the end of the first mask's range (base + nr_cids) when nothing is found.
 *
 * The kernel's own names (cmask_set, CMASK_NR_WORDS ...) are in <scx/cid.bpf.h>. Arena pointers
 * need clang 19 or later; with an older clang these helpers are not defined.
 */
#ifndef SCXX_CMASK_BPF_H
#define SCXX_CMASK_BPF_H

#include <scxx/arena.bpf.h>
#include <scxx/helpers.bpf.h>

#ifdef __BPF_FEATURE_ADDR_SPACE_CAST

/* Words a mask of NR_CIDS cids needs at any base (the sum is 64-bit: huge counts do not wrap). */
#define SCXX_CMASK_WORDS(nr_cids) ((u32)(((u64)(nr_cids) + 63) / 64 + 1))

/* Attempts of a compare-and-swap loop before it gives up and ejects the scheduler. */
#define SCXX_CMASK_CAS_ATTEMPTS (1U << 23)

static __always_inline u32 scxx_cmask_end(const struct scx_cmask __arena *m)
{
	return m->base + m->nr_cids;
}

static __always_inline bool scxx_cmask_covers(const struct scx_cmask __arena *m, u32 cid)
{
	return cid >= m->base && cid < scxx_cmask_end(m);
}

/* Word W of cid space (cids W*64 to W*64+63) in M's storage; M must cover some of it. */
static __always_inline u64 __arena *__scxx_cmask_word(const struct scx_cmask __arena *m, u32 w)
{
	return (u64 __arena *)&m->bits[w - m->base / 64];
}

/* The bits of word W that stand for cids in [lo, hi) (hi > lo). */
static __always_inline u64 __scxx_cmask_span(u32 w, u32 lo, u32 hi)
{
	u64 bits = ~0ULL;

	if (w == lo / 64)
		bits &= ~0ULL << (lo & 63);
	if (w == (hi - 1) / 64)
		bits &= ~0ULL >> (63 - ((hi - 1) & 63));
	return bits;
}

/* The words M's range touches (0 for an empty mask). */
static __always_inline u32 __scxx_cmask_used_words(const struct scx_cmask __arena *m)
{
	return m->nr_cids ? (scxx_cmask_end(m) - 1) / 64 - m->base / 64 + 1 : 0;
}

/*
 * Makes M an empty mask over [BASE, BASE + NR_CIDS) whose storage holds CAPACITY cids (at least
 * NR_CIDS, so that scxx_cmask_reframe can widen it later). All of the storage is zeroed.
 */
static __always_inline void scxx_cmask_init_capacity(struct scx_cmask __arena *m, u32 base,
						     u32 nr_cids, u32 capacity)
{
	u32 words = SCXX_CMASK_WORDS(capacity);
	int i;

	if (nr_cids > capacity) {
		scxx_error("cmask: %u cids do not fit a mask sized for %u", nr_cids, capacity);
		return;
	}
	m->base = base;
	m->nr_cids = nr_cids;
	m->alloc_words = words;
	bpf_for(i, 0, words)
		m->bits[i] = 0;
}

static __always_inline void scxx_cmask_init(struct scx_cmask __arena *m, u32 base, u32 nr_cids)
{
	scxx_cmask_init_capacity(m, base, nr_cids, nr_cids);
}

/*
 * Moves M's range to [BASE, BASE + NR_CIDS) within its storage. Only the first and last word are
 * cleared (to keep bits outside the range zero); the bits inside are left as they were.
 */
static __always_inline void scxx_cmask_reframe(struct scx_cmask __arena *m, u32 base, u32 nr_cids)
{
	if (SCXX_CMASK_WORDS(nr_cids) > m->alloc_words) {
		scxx_error("cmask: %u cids do not fit a mask of %u words", nr_cids, m->alloc_words);
		return;
	}
	if (nr_cids) {
		m->bits[0] = 0;
		m->bits[((base & 63) + nr_cids - 1) / 64] = 0;
	}
	m->base = base;
	m->nr_cids = nr_cids;
}

static __always_inline void scxx_cmask_zero(struct scx_cmask __arena *m)
{
	int i;

	bpf_for(i, 0, SCXX_CMASK_WORDS(m->nr_cids))
		m->bits[i] = 0;
}

static __always_inline bool scxx_cmask_test(const struct scx_cmask __arena *m, u32 cid)
{
	return scxx_cmask_covers(m, cid) && (*__scxx_cmask_word(m, cid / 64) >> (cid & 63) & 1);
}

/*
 * Sets (SET true) or clears CID's bit atomically and returns whether it was set before. The arena
 * JIT takes compare-and-swap but not fetch-or/fetch-and, hence the loop; a word so contended that
 * it never succeeds ejects the scheduler. A cid outside M's range is left alone (returns false).
 */
static __always_inline bool __scxx_cmask_update(struct scx_cmask __arena *m, u32 cid, bool set)
{
	u64 bit = 1ULL << (cid & 63), seen, want;
	u64 __arena *word;
	int i;

	if (!scxx_cmask_covers(m, cid))
		return false;
	word = __scxx_cmask_word(m, cid / 64);
	bpf_for(i, 0, SCXX_CMASK_CAS_ATTEMPTS) {
		seen = *word;
		if (!(seen & bit) == !set)
			return set;
		want = set ? seen | bit : seen & ~bit;
		if (__sync_val_compare_and_swap(word, seen, want) == seen)
			return !set;
	}
	scxx_error("cmask: cid %u's word stayed contended for %u attempts", cid,
		   SCXX_CMASK_CAS_ATTEMPTS);
	return false;
}

static __always_inline bool scxx_cmask_test_and_set(struct scx_cmask __arena *m, u32 cid)
{
	return __scxx_cmask_update(m, cid, true);
}

static __always_inline bool scxx_cmask_test_and_clear(struct scx_cmask __arena *m, u32 cid)
{
	return __scxx_cmask_update(m, cid, false);
}

static __always_inline void scxx_cmask_set(struct scx_cmask __arena *m, u32 cid)
{
	__scxx_cmask_update(m, cid, true);
}

static __always_inline void scxx_cmask_clear(struct scx_cmask __arena *m, u32 cid)
{
	__scxx_cmask_update(m, cid, false);
}

/* Non-atomic forms, for masks no other CPU writes at the same time. */
static __always_inline bool scxx_cmask_test_and_set_plain(struct scx_cmask __arena *m, u32 cid)
{
	bool was = scxx_cmask_test(m, cid);

	if (scxx_cmask_covers(m, cid))
		*__scxx_cmask_word(m, cid / 64) |= 1ULL << (cid & 63);
	return was;
}

static __always_inline bool scxx_cmask_test_and_clear_plain(struct scx_cmask __arena *m, u32 cid)
{
	bool was = scxx_cmask_test(m, cid);

	if (was)
		*__scxx_cmask_word(m, cid / 64) &= ~(1ULL << (cid & 63));
	return was;
}

enum scxx_cmask_op {
	SCXX_CMASK_AND,
	SCXX_CMASK_OR,
	SCXX_CMASK_ANDNOT,
	SCXX_CMASK_COPY,
};

/* DST = DST op SRC over the cids both cover; DST's other bits keep their values. */
static __always_inline void scxx_cmask_apply(struct scx_cmask __arena *dst,
					     const struct scx_cmask __arena *src,
					     enum scxx_cmask_op op)
{
	u32 lo = dst->base > src->base ? dst->base : src->base;
	u32 dst_end = scxx_cmask_end(dst), src_end = scxx_cmask_end(src);
	u32 hi = dst_end < src_end ? dst_end : src_end;
	int w;

	if (lo >= hi)
		return;
	bpf_for(w, lo / 64, (hi - 1) / 64 + 1) {
		u64 __arena *d = __scxx_cmask_word(dst, w);
		u64 s = *__scxx_cmask_word(src, w), span = __scxx_cmask_span(w, lo, hi), result;

		switch (op) {
		case SCXX_CMASK_AND: result = *d & s; break;
		case SCXX_CMASK_OR: result = *d | s; break;
		case SCXX_CMASK_ANDNOT: result = *d & ~s; break;
		default: result = s; break;
		}
		*d = (*d & ~span) | (result & span);
	}
}

/*
 * The first cid at or after FROM set in A, B and C alike (pass A again for fewer masks), looking
 * only at cids all three cover; A's end if there is none.
 */
static __always_inline u32 scxx_cmask_next_common(const struct scx_cmask __arena *a,
						  const struct scx_cmask __arena *b,
						  const struct scx_cmask __arena *c, u32 from)
{
	u32 lo = a->base, hi = scxx_cmask_end(a);
	int w;

	lo = b->base > lo ? b->base : lo;
	lo = c->base > lo ? c->base : lo;
	hi = scxx_cmask_end(b) < hi ? scxx_cmask_end(b) : hi;
	hi = scxx_cmask_end(c) < hi ? scxx_cmask_end(c) : hi;
	if (from < lo)
		from = lo;
	if (from >= hi)
		return scxx_cmask_end(a);
	bpf_for(w, from / 64, (hi - 1) / 64 + 1) {
		u64 bits = *__scxx_cmask_word(a, w) & *__scxx_cmask_word(b, w) &
			   *__scxx_cmask_word(c, w) & __scxx_cmask_span(w, from, hi);

		if (bits)
			return w * 64 + scxx_ctz_u64(bits);
	}
	return scxx_cmask_end(a);
}

/*
 * Round robin: the first common cid at or after FROM, else the first one before it (searching
 * again from A's base); A's end if the masks share no cid.
 */
static __always_inline u32 scxx_cmask_next_common_wrap(const struct scx_cmask __arena *a,
						       const struct scx_cmask __arena *b,
						       const struct scx_cmask __arena *c, u32 from)
{
	u32 found = scxx_cmask_next_common(a, b, c, from);

	if (found < scxx_cmask_end(a) || from <= a->base)
		return found;
	found = scxx_cmask_next_common(a, b, c, a->base);
	return found < from ? found : scxx_cmask_end(a);
}

static __always_inline u32 scxx_cmask_next(const struct scx_cmask __arena *m, u32 from)
{
	return scxx_cmask_next_common(m, m, m, from);
}

#define scxx_cmask_for_each(cid, m) \
	for ((cid) = scxx_cmask_next((m), 0); (cid) < scxx_cmask_end(m); \
	     (cid) = scxx_cmask_next((m), (cid) + 1))

static __always_inline bool scxx_cmask_intersects(const struct scx_cmask __arena *a,
						  const struct scx_cmask __arena *b)
{
	return scxx_cmask_next_common(a, b, b, 0) < scxx_cmask_end(a);
}

static __always_inline u32 scxx_cmask_weight(const struct scx_cmask __arena *m)
{
	u32 count = 0;
	int i;

	bpf_for(i, 0, __scxx_cmask_used_words(m))
		count += scxx_popcount_u64(m->bits[i]);
	return count;
}

/* Same range and same bits. */
static __always_inline bool scxx_cmask_equal(const struct scx_cmask __arena *a,
					     const struct scx_cmask __arena *b)
{
	int i;

	if (a->base != b->base || a->nr_cids != b->nr_cids)
		return false;
	bpf_for(i, 0, __scxx_cmask_used_words(a))
		if (a->bits[i] != b->bits[i])
			return false;
	return true;
}

/* Every cid set in A is set in B (a set cid of A that B does not cover fails). */
static __always_inline bool scxx_cmask_subset(const struct scx_cmask __arena *a,
					      const struct scx_cmask __arena *b)
{
	u32 cid = scxx_cmask_next(a, 0);
	int w;

	if (cid < scxx_cmask_end(a) && cid < b->base)
		return false;
	if (scxx_cmask_next(a, scxx_cmask_end(b)) < scxx_cmask_end(a))
		return false;
	/* What is left of A lies within B's range: compare word by word. */
	bpf_for(w, a->base / 64, a->base / 64 + __scxx_cmask_used_words(a)) {
		u32 first = w * 64 > b->base ? w * 64 : b->base, last = w * 64 + 63;

		if (first >= scxx_cmask_end(b))
			break;
		if (last < b->base)
			continue;
		if (*__scxx_cmask_word(a, w) & ~*__scxx_cmask_word(b, w))
			return false;
	}
	return true;
}

/* M (zeroed first) with the cid of every CPU in CPUMASK that M's range covers. */
static __always_inline void scxx_cmask_from_cpumask(struct scx_cmask __arena *m,
						    const struct cpumask *cpumask)
{
	s32 cpu, cid;

	scxx_cmask_zero(m);
	bpf_for(cpu, 0, scx_bpf_nr_cpu_ids()) {
		if (!bpf_cpumask_test_cpu(cpu, cpumask))
			continue;
		cid = scx_bpf_cpu_to_cid(cpu);
		if (cid >= 0)
			scxx_cmask_test_and_set_plain(m, cid);
	}
}

#endif /* __BPF_FEATURE_ADDR_SPACE_CAST */
#endif /* SCXX_CMASK_BPF_H */
