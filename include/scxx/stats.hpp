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
//   scxx::Snapshot s;
//   scxx::BpfStats<simple_stats>(sched.maps().simple_stats).add_to(s);
//   s.gauge("queued", "tasks waiting in userspace", policy.queued());

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
        std::variant<std::uint64_t, double> v;
        if constexpr (std::is_integral_v<T>)
            v = static_cast<std::uint64_t>(value);
        else
            v = static_cast<double>(value);
        return add({std::move(name), std::move(description), StatKind::gauge, v, std::move(label)});
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

// The stats S a BPF object declared with SCXX_STATS and stores with SCXX_STATS_MAP: read from
// MAP (one S per CPU), summed over CPUs.
template <class S>
    requires requires(const S* s) { scxx_stat_fields(s); }
class BpfStats {
public:
    explicit BpfStats(const bpf_map* map) : cpus_(map) {}

    // Adds every field to OUT, summed over CPUs.
    void add_to(Snapshot& out) const
    {
        std::vector<S> cpus = cpus_.values(0);
        for (const scxx_stat_field& f : fields()) {
            std::uint64_t total = 0;
            for (const S& cpu : cpus)
                total += field(cpu, f);
            if (f.kind == SCXX_STAT_COUNTER)
                out.counter(f.name, f.description, total);
            else
                out.gauge(f.name, f.description, total);
        }
    }

    static std::span<const scxx_stat_field> fields() { return scxx_stat_fields(static_cast<const S*>(nullptr)); }

private:
    static const std::uint64_t& field(const S& s, const scxx_stat_field& f)
    {
        return *reinterpret_cast<const std::uint64_t*>(reinterpret_cast<const unsigned char*>(&s) + f.offset);
    }
    PerCpuArray<S> cpus_;
};

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
        out.counter("kernel_events", "sched_ext's own event counters for this scheduler (root/events in sysfs)",
                    static_cast<std::uint64_t>(e.value < 0 ? 0 : e.value), StatLabel{"event", name});
    }
}

} // namespace scxx
