/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A scheduler's statistics, declared once in a header its BPF source and its loader share:
 *
 *   #define SIMPLE_STATS(X)                                              \
 *           X(counter, enqueued, "tasks queued on the shared queue")     \
 *           X(gauge, waiting, "tasks waiting on the shared queue")
 *   SCXX_STATS(simple_stats, SIMPLE_STATS)
 *
 * X(kind, field, description): a counter only goes up (the outputs show its rate too); a gauge is
 * a level; counter_by_cpu and gauge_by_cpu are shown per CPU (labelled cpu="N") instead of summed.
 * SCXX_STATS(name, LIST) declares struct name, one __u64 per field, for both sides.
 *
 * BPF: SCXX_STATS_MAP(name) in one source defines the storage, one struct name per CPU;
 * scxx_stat_add(name, field, v) and scxx_stat_inc(name, field) change this CPU's copy (no atomics:
 * each CPU writes only its own).
 *
 * C++: scxx_stat_fields(const struct name *) lists the fields with their kinds, descriptions and
 * offsets, from the same LIST; scxx::BpfStats<struct name> (include/scxx/stats.hpp) reads the map
 * with it, and every output (--stats text, JSON lines, the scx_stats socket, OpenMetrics) follows.
 */
#ifndef SCXX_STATS_H
#define SCXX_STATS_H

#ifdef __bpf__
#include <scxx/base.bpf.h>
#else
#include <linux/types.h>
#endif

enum scxx_stat_kind { SCXX_STAT_COUNTER, SCXX_STAT_GAUGE };
#define SCXX_STAT_KIND_counter SCXX_STAT_COUNTER
#define SCXX_STAT_KIND_gauge SCXX_STAT_GAUGE
#define SCXX_STAT_KIND_counter_by_cpu SCXX_STAT_COUNTER
#define SCXX_STAT_KIND_gauge_by_cpu SCXX_STAT_GAUGE
#define SCXX_STAT_BY_CPU_counter false
#define SCXX_STAT_BY_CPU_gauge false
#define SCXX_STAT_BY_CPU_counter_by_cpu true
#define SCXX_STAT_BY_CPU_gauge_by_cpu true

#define SCXX_STAT_MEMBER(kind, field, description) __u64 field;

#ifdef __cplusplus
#include <cstddef>
#include <span>

/* One field of a stats struct. */
struct scxx_stat_field {
	const char *name;
	const char *description;
	enum scxx_stat_kind kind;
	bool by_cpu; /* shown per CPU, not summed */
	std::size_t offset;
};

#define SCXX_STAT_ENTRY(kind, field, description)                                    \
	scxx_stat_field{#field, description, SCXX_STAT_KIND_##kind, SCXX_STAT_BY_CPU_##kind, \
			offsetof(scxx_stats_struct, field)},

#define SCXX_STATS(name, list)                                                        \
	struct name {                                                                 \
		list(SCXX_STAT_MEMBER)                                                \
	};                                                                            \
	inline std::span<const scxx_stat_field> scxx_stat_fields(const struct name *) \
	{                                                                             \
		using scxx_stats_struct = struct name;                                \
		static constexpr scxx_stat_field fields[] = {list(SCXX_STAT_ENTRY)};  \
		return fields;                                                        \
	}
#else
#define SCXX_STATS(name, list)         \
	struct name {                  \
		list(SCXX_STAT_MEMBER) \
	};
#endif

#ifdef __bpf__
#define SCXX_STATS_MAP(name)                            \
	struct {                                        \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, 1);                 \
		__type(key, u32);                       \
		__type(value, struct name);             \
	} name SEC(".maps")

/* This CPU's copy of the stats NAME (SCXX_STATS_MAP), or NULL (never, for a valid map). */
#define scxx_stats_this_cpu(name)                                  \
	({                                                         \
		u32 __scxx_zero = 0;                               \
		(struct name *)bpf_map_lookup_elem(&name, &__scxx_zero); \
	})

#define scxx_stat_add(name, field, v)                               \
	({                                                          \
		struct name *__scxx_stats = scxx_stats_this_cpu(name); \
		if (__scxx_stats)                                   \
			__scxx_stats->field += (v);                 \
	})
#define scxx_stat_inc(name, field) scxx_stat_add(name, field, 1)
/* Sets gauge FIELD of this CPU's copy to V (the C++ side sums the CPUs' copies). */
#define scxx_stat_set(name, field, v)                               \
	({                                                          \
		struct name *__scxx_stats = scxx_stats_this_cpu(name); \
		if (__scxx_stats)                                   \
			__scxx_stats->field = (v);                  \
	})
#endif

#endif /* SCXX_STATS_H */
