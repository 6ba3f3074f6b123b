/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Differential test of the bit and arithmetic helpers (scxx's and the kernel headers' names for
 * them) on pseudo-random values of every magnitude: each answer is compared with a plain loop over
 * the bits, or with the defining inequality. Then the CPU loops against the cpumasks they walk,
 * and the run-queue clocks. run_checks (BPF_PROG_RUN, checks.cpp) leaves the
 * number of comparisons in `checks`, of wrong answers in `failures`, the first in `first_failure`
 * (check kind * 1000 + iteration).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

u64 checks, failures, first_failure;
/* In .data, so that the verifier does not follow the generator's values iteration by iteration. */
u64 seed = 7;
enum { IN_ONLINE, IN_POSSIBLE, ONLINE, POSSIBLE, LAST, NR_COUNTS };
s64 cpu_counts[NR_COUNTS];

enum { K_LOG2_32 = 1, K_LOG2_64, K_WIDTH, K_CTZ, K_CTZLL, K_POPCOUNT, K_SQRT, K_EWMA, K_EWMA_KNOWN,
       K_CPUS, K_CLOCK };

static void expect(bool ok, u32 kind, u32 i)
{
	checks++;
	if (!ok && !failures++)
		first_failure = kind * 1000 + i;
}

/*
 * Highest set bit, trailing zeros and set bits of V, one bit at a time (a global function, which
 * the verifier checks once on its own rather than at every call).
 */
__noinline int model_bits(u64 v, u32 *high, u32 *trailing, u32 *ones)
{
	int b;

	if (!high || !trailing || !ones)
		return 1;
	*high = 0;
	*trailing = 64;
	*ones = 0;
	bpf_for(b, 0, 64) {
		if (!(v >> b & 1))
			continue;
		*high = b;
		if (*trailing == 64)
			*trailing = b;
		(*ones)++;
	}
	return 0;
}

SEC("syscall")
int run_checks(void *ctx)
{
	u64 v, w, r;
	u32 i, high, trailing, ones, high32, t32, o32;

	bpf_for(i, 0, 200) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		v = seed >> (i % 64); /* every magnitude */
		w = (seed * 31) >> ((i * 7) % 64);
		model_bits(v, &high, &trailing, &ones);
		model_bits((u32)v, &high32, &t32, &o32);

		expect(scxx_log2_u32((u32)v) == ((u32)v ? high32 : 0), K_LOG2_32, i);
		expect(scxx_log2_u64(v) == (v ? high : 0), K_LOG2_64, i);
		expect(log2_u64(v) == (v ? high : 0) + 1, K_WIDTH, i);
		expect(scxx_ctz_u64(v) == trailing, K_CTZ, i);
		expect(!v || ctzll(v) == (int)trailing, K_CTZLL, i);
		expect(scxx_popcount_u64(v) == ones, K_POPCOUNT, i);

		r = __sqrt_u64(v);
		expect(r < (1ULL << 32) && r * r <= v && (r + 1 == (1ULL << 32) || (r + 1) * (r + 1) > v), K_SQRT, i);

		/* An average moves from OLD towards NEW and stays between them. */
		r = __calc_avg(v >> 4, w >> 4, 3);
		expect((v >> 4 <= w >> 4) ? (r >= v >> 4 && r <= w >> 4) : (r <= v >> 4 && r >= w >> 4),
		       K_EWMA, i);
	}
	expect(scxx_ewma(100, 200, 3) == 113, K_EWMA_KNOWN, 0);   /* 100 - 100/8 + 200/8 */
	expect(scxx_ewma(5, 9, 3) == 7, K_EWMA_KNOWN, 1);         /* below 2^3: halfway, 5 - 2 + 4 */
	expect(scxx_ewma(1, 0, 3) == 0, K_EWMA_KNOWN, 2);
	expect(scxx_ctz_u64(0) == 64 && scxx_log2_u64(0) == 0 && scxx_sqrt_u64(~0ULL) == 0xffffffffULL,
	       K_EWMA_KNOWN, 3);

	/*
	 * The loops visit each CPU of their mask once, in order; the masks agree with a plain scan.
	 * The counts live in globals: the verifier does not follow values in memory from one loop
	 * iteration to the next, so the loops' states converge.
	 */
	{
		const struct cpumask *online __scxx_free_cpumask = scx_bpf_get_online_cpumask();
		const struct cpumask *possible __scxx_free_cpumask = scx_bpf_get_possible_cpumask();
		s32 cpu;
		int *c;

		bpf_for(cpu, 0, scx_bpf_nr_cpu_ids()) {
			cpu_counts[IN_ONLINE] += bpf_cpumask_test_cpu(cpu, online);
			cpu_counts[IN_POSSIBLE] += bpf_cpumask_test_cpu(cpu, possible);
		}
		cpu_counts[LAST] = -1;
		for_each_online_cpu(c) {
			expect(*c > cpu_counts[LAST] && bpf_cpumask_test_cpu(*c, online), K_CPUS, 0);
			cpu_counts[LAST] = *c;
			cpu_counts[ONLINE]++;
		}
		cpu_counts[LAST] = -1;
		for_each_possible_cpu(c) {
			expect(*c > cpu_counts[LAST] && bpf_cpumask_test_cpu(*c, possible), K_CPUS, 1);
			cpu_counts[LAST] = *c;
			cpu_counts[POSSIBLE]++;
		}
		expect(cpu_counts[ONLINE] == cpu_counts[IN_ONLINE] && cpu_counts[ONLINE] > 0, K_CPUS, 2);
		expect(cpu_counts[POSSIBLE] == cpu_counts[IN_POSSIBLE] && cpu_counts[POSSIBLE] >= cpu_counts[ONLINE],
		       K_CPUS, 3);
	}

	/* The task clock of a CPU that runs tasks is under way and does not go back; PELT lags it. */
	{
		u64 first = scx_clock_task(0), pelt = scx_clock_pelt(0), second = scx_clock_task(0);

		expect(first > 0 && second >= first, K_CLOCK, 0);
		expect(pelt <= second, K_CLOCK, 1);
		expect(scx_clock_virt(0) < second && scx_clock_irq(0) < second, K_CLOCK, 2);
	}
	return 0;
}

/* A scheduler that is never attached: scxx::open() loads only sched_ext objects. */
SCX_OPS_DEFINE(mathcheck_ops, .name = "mathcheck");
