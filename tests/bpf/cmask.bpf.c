/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Differential test of <scxx/cmask.bpf.h>: masks with ranges that start inside words, span words,
 * overlap partly or not at all get pseudo-random bits, and every helper's answer is compared with
 * a per-cid model kept in plain arrays. BPF_PROG_RUN of run_checks (cmask.cpp) leaves the number
 * of comparisons in `checks` and of wrong answers in `failures`, the first one in `first_failure`
 * (check kind * 100000 + mask * 1000 + cid).
 */
#include <scxx/scxx.bpf.h>
#include <scxx/cmask.bpf.h>

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

#define NR_CIDS 256 /* the cid space the model covers */
#define NR_MASKS 8  /* five test masks, a scratch one and two unused, for cheap bounds (& 7) */
#define SCRATCH 5

/* Ranges [base, base + nr): from 0, inside a word, on a word, one cid; the scratch mask's vary. */
static u32 bases[NR_MASKS] = {0, 5, 70, 64, 130};
static u32 sizes[NR_MASKS] = {200, 130, 100, 64, 1};

static bool model[NR_MASKS][NR_CIDS];
static void __arena *page;
u64 checks, failures, first_failure;

enum { K_TEST = 1, K_WEIGHT, K_NEXT, K_COMMON, K_WRAP, K_INTERSECTS, K_SUBSET, K_EQUAL, K_APPLY,
       K_UPDATE, K_REFRAME };

static struct scx_cmask __arena *mask(u32 i)
{
	return (struct scx_cmask __arena *)(page + (i & 7) * 256);
}

static bool in(u32 i, u32 cid)
{
	return cid >= bases[i & 7] && cid < bases[i & 7] + sizes[i & 7] && cid < NR_CIDS;
}

static bool bit(u32 i, u32 cid)
{
	return in(i, cid) && model[i & 7][cid & (NR_CIDS - 1)];
}

static void expect(bool ok, u32 kind, u32 i, u32 cid)
{
	checks++;
	if (ok)
		return;
	if (!failures)
		first_failure = kind * 100000ULL + i * 1000 + cid;
	failures++;
}

/* The model's first cid at or after FROM, below LIMIT, set in masks A, B and C. */
static u32 model_next(u32 a, u32 b, u32 c, u32 from, u32 limit)
{
	u32 cid;

	bpf_for(cid, from, limit)
		if (bit(a, cid) && bit(b, cid) && bit(c, cid))
			return cid;
	return bases[a & 7] + sizes[a & 7];
}

static u32 model_wrap(u32 a, u32 b, u32 c, u32 from)
{
	u32 end = bases[a & 7] + sizes[a & 7], found = model_next(a, b, c, from, NR_CIDS);

	if (found < end || from <= bases[a & 7])
		return found;
	found = model_next(a, b, c, 0, from);
	return found < from ? found : end;
}

static void fill(u32 i, u64 *seed)
{
	u32 cid;

	scxx_cmask_init(mask(i), bases[i], sizes[i]);
	bpf_for(cid, 0, NR_CIDS) {
		*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
		model[i & 7][cid & (NR_CIDS - 1)] = in(i, cid) && (*seed >> 61) < 3;
		if (bit(i, cid))
			scxx_cmask_set(mask(i), cid);
	}
}

/* Copies mask I's range and bits into the scratch mask (and its model). */
static void to_scratch(u32 i)
{
	u32 cid;

	bases[SCRATCH] = bases[i & 7];
	sizes[SCRATCH] = sizes[i & 7];
	scxx_cmask_init(mask(SCRATCH), bases[SCRATCH], sizes[SCRATCH]);
	bpf_for(cid, 0, NR_CIDS) {
		model[SCRATCH][cid & (NR_CIDS - 1)] = bit(i, cid);
		if (bit(i, cid))
			scxx_cmask_set(mask(SCRATCH), cid);
	}
}

static void check_apply(u32 dst, u32 src, enum scxx_cmask_op op)
{
	u32 cid;

	to_scratch(dst);
	scxx_cmask_apply(mask(SCRATCH), mask(src), op);
	bpf_for(cid, 0, NR_CIDS) {
		bool d = bit(dst, cid), s = bit(src, cid), want = d;

		if (in(dst, cid) && in(src, cid))
			want = op == SCXX_CMASK_AND ? d && s : op == SCXX_CMASK_OR ? d || s
			     : op == SCXX_CMASK_ANDNOT ? d && !s : s;
		expect(scxx_cmask_test(mask(SCRATCH), cid) == want, K_APPLY, dst * 10 + src, cid);
	}
}

SEC("syscall")
int run_checks(void *ctx)
{
	u64 seed = 42;
	u32 i, j, cid, count;

	page = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!page)
		return 1;
	bpf_for(i, 0, SCRATCH)
		fill(i, &seed);

	bpf_for(i, 0, SCRATCH) {
		count = 0;
		bpf_for(cid, 0, NR_CIDS + 8) {
			expect(scxx_cmask_test(mask(i), cid) == bit(i, cid), K_TEST, i, cid);
			count += bit(i, cid);
		}
		expect(scxx_cmask_weight(mask(i)) == count, K_WEIGHT, i, 0);
		bpf_for(cid, 0, NR_CIDS)
			expect(scxx_cmask_next(mask(i), cid) == model_next(i, i, i, cid, NR_CIDS), K_NEXT, i, cid);
		bpf_for(j, 0, SCRATCH) {
			u32 k = (i + j + 1) % SCRATCH;
			bool any = false, sub = true, same = bases[i] == bases[j] && sizes[i] == sizes[j];

			bpf_for(cid, 0, NR_CIDS) {
				any = any || (bit(i, cid) && bit(j, cid));
				sub = sub && (!bit(i, cid) || bit(j, cid));
				same = same && bit(i, cid) == bit(j, cid);
			}
			expect(scxx_cmask_intersects(mask(i), mask(j)) == any, K_INTERSECTS, i * 10 + j, 0);
			expect(scxx_cmask_subset(mask(i), mask(j)) == sub, K_SUBSET, i * 10 + j, 0);
			expect(scxx_cmask_equal(mask(i), mask(j)) == same, K_EQUAL, i * 10 + j, 0);
			u32 step;

			bpf_for(step, 0, NR_CIDS / 7 + 1) {
				cid = step * 7;
				expect(scxx_cmask_next_common(mask(i), mask(j), mask(k), cid) ==
					       model_next(i, j, k, cid, NR_CIDS), K_COMMON, i * 10 + j, cid);
				expect(scxx_cmask_next_common_wrap(mask(i), mask(j), mask(k), cid) ==
					       model_wrap(i, j, k, cid), K_WRAP, i * 10 + j, cid);
			}
			check_apply(i, j, SCXX_CMASK_AND);
			check_apply(i, j, SCXX_CMASK_OR);
			check_apply(i, j, SCXX_CMASK_ANDNOT);
			check_apply(i, j, SCXX_CMASK_COPY);
		}
	}

	/* Atomic and plain updates report the bit's previous value and change only that bit. */
	to_scratch(1);
	bpf_for(cid, 0, NR_CIDS) {
		bool was = bit(SCRATCH, cid), set = cid % 3 == 0;

		if (cid % 2)
			expect((set ? scxx_cmask_test_and_set(mask(SCRATCH), cid)
				    : scxx_cmask_test_and_clear(mask(SCRATCH), cid)) == was, K_UPDATE, 0, cid);
		else
			expect((set ? scxx_cmask_test_and_set_plain(mask(SCRATCH), cid)
				    : scxx_cmask_test_and_clear_plain(mask(SCRATCH), cid)) == was, K_UPDATE, 1, cid);
		model[SCRATCH][cid & (NR_CIDS - 1)] = in(SCRATCH, cid) && set;
	}
	count = 0;
	bpf_for(cid, 0, NR_CIDS) {
		expect(scxx_cmask_test(mask(SCRATCH), cid) == bit(SCRATCH, cid), K_UPDATE, 2, cid);
		count += bit(SCRATCH, cid);
	}
	expect(scxx_cmask_weight(mask(SCRATCH)) == count, K_UPDATE, 3, 0);

	/* A wider range within the capacity: its first and last word start empty. */
	scxx_cmask_init_capacity(mask(SCRATCH), 0, 10, 200);
	bpf_for(cid, 0, 10)
		scxx_cmask_set(mask(SCRATCH), cid);
	scxx_cmask_reframe(mask(SCRATCH), 3, 150);
	expect(mask(SCRATCH)->base == 3 && mask(SCRATCH)->nr_cids == 150, K_REFRAME, 0, 0);
	expect(scxx_cmask_weight(mask(SCRATCH)) == 0, K_REFRAME, 1, 0);
	expect(scxx_cmask_next(mask(SCRATCH), 0) == 153, K_REFRAME, 2, 0);
	return 0;
}

/* A scheduler that is never attached: scxx::open() loads only sched_ext objects. */
SCXX_SCHEDULER(cmask_checks, .name = "cmask_checks");
