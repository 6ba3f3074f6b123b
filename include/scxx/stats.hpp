// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// A scheduler's statistics at one moment: a Snapshot of named counters and gauges, each with its
// description, and at most one label for breakdowns (per CPU, per DSQ, per kernel event). The
// sources fill it: BpfStats<S> reads the stats a BPF source declared with SCXX_STATS
// (bpf_include/scxx/stats.h), add_kernel_events() the kernel's own sched_ext event counters, and a
// loader adds its userspace numbers with counter()/gauge(). Every output is made from snapshots
// (scxx/stats_output.hpp: text, JSON lines, Prometheus; scxx/stats_server.hpp: the scx_stats
// socket), so a number declared once shows up in all of them.
//
//   constexpr scxx::StatInfo queued{"queued", "tasks waiting in userspace", scxx::StatKind::gauge};
//   scxx::Snapshot s;
//   scxx::BpfStats<simple_stats>(sched.maps().simple_stats).add_to(s);
//   s.add(queued, policy.queued());
//
// A StatInfo (or an SCXX_STATS field) is the one declaration of a stat: Cli::describe_stats takes
// the same ones for --help-stats.

#include <scxx/error.hpp>
#include <scxx/maps.hpp>
#include <scxx/stats.h>
#include <scxx/system.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace scxx {

enum class StatKind { counter, gauge };

// A breakdown's key and value, e.g. {"cpu", "3"}.
struct StatLabel {
    std::string key, value;
    bool operator==(const StatLabel&) const = default;
};

// What a stat is, apart from its value: declared once, used to add it and to describe it.
struct StatInfo {
    std::string_view name;        // lower_snake_case
    std::string_view description; // what it counts
    StatKind kind = StatKind::counter;
    std::string_view label_key = {}; // for a breakdown (one value per label value), e.g. "cpu"
};

struct Stat {
    std::string name;        // lower_snake_case, unique in a snapshot (with its label)
    std::string description; // what it counts, for --help-stats, stats_meta and # HELP
    StatKind kind = StatKind::counter;
    std::variant<std::uint64_t, double> value; // counters are whole; gauges may be either
    std::optional<StatLabel> label;

    double as_double() const
    {
        return std::visit([](auto v) { return static_cast<double>(v); }, value);
    }
};

class Snapshot {
public:
    Snapshot() : at_(std::chrono::steady_clock::now()), wall_(std::chrono::system_clock::now()) {}
    // A snapshot taken at TAKEN elsewhere (e.g. by the scheduler a stats client reads): rates
    // between such snapshots span the times they were taken, not when they arrived.
    explicit Snapshot(std::chrono::system_clock::time_point taken)
        : at_(std::chrono::steady_clock::now() -
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::system_clock::now() - taken)),
          wall_(taken)
    {
    }

    // Adds a counter (a number that only grows) or a gauge (a level). NAME must be
    // lower_snake_case: it becomes a JSON key and part of a Prometheus metric name.
    Snapshot& counter(std::string name, std::string description, std::uint64_t value,
                      std::optional<StatLabel> label = {})
    {
        return add({std::move(name), std::move(description), StatKind::counter, value, std::move(label)});
    }
    template <class T>
        requires std::is_arithmetic_v<T>
    Snapshot& gauge(std::string name, std::string description, T value, std::optional<StatLabel> label = {})
    {
        std::variant<std::uint64_t, double> v = static_cast<double>(value);
        if constexpr (std::is_unsigned_v<T>)
            v = static_cast<std::uint64_t>(value);
        else if constexpr (std::is_integral_v<T>)
            if (value >= 0) // a negative level stays a (signed) double
                v = static_cast<std::uint64_t>(value);
        return add({std::move(name), std::move(description), StatKind::gauge, v, std::move(label)});
    }

    // Adds the stat INFO declares, with VALUE; LABEL_VALUE for a breakdown (INFO.label_key set).
    template <class T>
        requires std::is_arithmetic_v<T>
    Snapshot& add(const StatInfo& info, T value, std::string label_value = {})
    {
        std::optional<StatLabel> label;
        if (!info.label_key.empty())
            label = StatLabel{std::string(info.label_key), std::move(label_value)};
        else if (!label_value.empty())
            throw Error("add stat", std::string(info.name), EINVAL,
                        "a label value was given for a stat declared without a label key");
        if (info.kind == StatKind::counter)
            return counter(std::string(info.name), std::string(info.description), static_cast<std::uint64_t>(value),
                           std::move(label));
        return gauge(std::string(info.name), std::string(info.description), value, std::move(label));
    }

    const std::vector<Stat>& stats() const noexcept { return stats_; }
    // The stat NAME (with LABEL), or nullptr.
    const Stat* find(std::string_view name, const std::optional<StatLabel>& label = {}) const
    {
        for (const Stat& s : stats_)
            if (s.name == name && s.label == label)
                return &s;
        return nullptr;
    }
    std::chrono::steady_clock::time_point at() const noexcept { return at_; }
    std::chrono::system_clock::time_point wall_time() const noexcept { return wall_; }

private:
    Snapshot& add(Stat s)
    {
        check_name(s.name);
        if (s.label)
            check_name(s.label->key);
        if (find(s.name, s.label))
            throw Error("add stat", s.name, EEXIST,
                        "the snapshot has a stat of that name" +
                            (s.label ? " and label " + s.label->key + "=" + s.label->value : std::string()) +
                            " already");
        for (const Stat& other : stats_)
            if (other.name == s.name && (other.kind != s.kind || other.description != s.description ||
                                         other.label.has_value() != s.label.has_value() ||
                                         (s.label && other.label->key != s.label->key)))
                throw Error("add stat", s.name, EINVAL,
                            "every stat of one name needs the same kind, description and label key");
        stats_.push_back(std::move(s));
        return *this;
    }
    static void check_name(std::string_view name)
    {
        bool ok = !name.empty() && name[0] >= 'a' && name[0] <= 'z';
        for (char c : name)
            ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        if (!ok)
            throw Error("add stat", std::string(name), EINVAL,
                        "stat names and label keys are lower_snake_case: a-z, 0-9 and '_', starting with a letter");
    }

    std::chrono::steady_clock::time_point at_;
    std::chrono::system_clock::time_point wall_;
    std::vector<Stat> stats_;
};

// A struct declared with SCXX_STATS (bpf_include/scxx/stats.h).
template <class S>
concept DeclaredStats = requires(const S* s) { scxx_stat_fields(s); };

namespace detail {
// Field F as a StatInfo; BY_CPU: a _by_cpu field is a breakdown labelled "cpu".
inline StatInfo info_of(const scxx_stat_field& f, bool by_cpu)
{
    return {f.name, f.description, f.kind == SCXX_STAT_COUNTER ? StatKind::counter : StatKind::gauge,
            by_cpu && f.by_cpu ? "cpu" : ""};
}
// The value of field F in S.
template <DeclaredStats S>
std::uint64_t field_value(const S& s, const scxx_stat_field& f)
{
    std::uint64_t v;
    std::memcpy(&v, reinterpret_cast<const unsigned char*>(&s) + f.offset, sizeof(v));
    return v;
}
} // namespace detail

// What the fields of S are, as StatInfo: a _by_cpu field is a breakdown labelled "cpu".
template <DeclaredStats S>
std::vector<StatInfo> stat_infos()
{
    std::vector<StatInfo> out;
    for (const scxx_stat_field& f : scxx_stat_fields(static_cast<const S*>(nullptr)))
        out.push_back(detail::info_of(f, true));
    return out;
}

// Adds every field of VALUES, stats a loader keeps itself in a struct declared with SCXX_STATS
// (a _by_cpu kind has no CPUs here and is added as a plain counter or gauge).
template <DeclaredStats S>
void add_stats(Snapshot& out, const S& values)
{
    for (const scxx_stat_field& f : scxx_stat_fields(&values))
        out.add(detail::info_of(f, false), detail::field_value(values, f));
}

// The stats S a BPF object declared with SCXX_STATS and stores with SCXX_STATS_MAP: read from
// MAP (one S per CPU), each field summed over CPUs or, for a _by_cpu kind, one value per CPU.
template <DeclaredStats S>
class BpfStats {
public:
    explicit BpfStats(const bpf_map* map) : cpus_(map) {}

    void add_to(Snapshot& out) const
    {
        std::vector<S> cpus = cpus_.values(0);
        std::vector<StatInfo> infos = stat_infos<S>();
        std::span<const scxx_stat_field> fields = scxx_stat_fields(static_cast<const S*>(nullptr));
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (fields[i].by_cpu) {
                for (std::size_t cpu = 0; cpu < cpus.size(); ++cpu)
                    out.add(infos[i], detail::field_value(cpus[cpu], fields[i]), std::to_string(cpu));
                continue;
            }
            std::uint64_t total = 0;
            for (const S& cpu : cpus)
                total += detail::field_value(cpu, fields[i]);
            out.add(infos[i], total);
        }
    }

    // Every field summed over CPUs.
    S total() const
    {
        S sum{};
        for (const S& cpu : cpus_.values(0))
            for (const scxx_stat_field& f : scxx_stat_fields(&sum)) {
                std::uint64_t v = detail::field_value(sum, f) + detail::field_value(cpu, f);
                std::memcpy(reinterpret_cast<unsigned char*>(&sum) + f.offset, &v, sizeof(v));
            }
        return sum;
    }

private:
    PerCpuArray<S> cpus_;
};

// The kernel's sched_ext event counters, as add_kernel_events adds them.
inline constexpr StatInfo kernel_events_info{
    "kernel_events", "sched_ext's own event counters for this scheduler (root/events in sysfs)", StatKind::counter,
    "event"};

// Adds the kernel's sched_ext event counters of the attached scheduler (kernels from 6.15) as
// "kernel_events", one per event, labelled event=<name without SCX_EV_, lower case>.
inline void add_kernel_events(Snapshot& out)
{
    for (const system::Event& e : system::events()) {
        std::string name = e.name;
        if (name.starts_with("SCX_EV_"))
            name.erase(0, 7);
        for (char& c : name)
            c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        out.add(kernel_events_info, static_cast<std::uint64_t>(e.value < 0 ? 0 : e.value), std::move(name));
    }
}

} // namespace scxx
