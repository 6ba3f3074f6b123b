// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The kernel's sched_ext state as /sys/kernel/sched_ext shows it. Every reader returns nullopt
// (or an empty list) where the kernel has no sched_ext or not that file.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace scxx::system {

inline const std::filesystem::path sysfs_root = "/sys/kernel/sched_ext";

// True if the running kernel was built with sched_ext (CONFIG_SCHED_CLASS_EXT).
inline bool available()
{
    std::error_code ec;
    return std::filesystem::is_directory(sysfs_root, ec);
}

namespace detail {
inline std::optional<std::string> read_line(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
        return std::nullopt;
    return line;
}

inline std::optional<std::uint64_t> read_u64(const std::filesystem::path& path)
{
    auto line = read_line(path);
    if (!line || line->empty())
        return std::nullopt;
    char* end = nullptr;
    std::uint64_t v = std::strtoull(line->c_str(), &end, 10);
    if (*end != '\0')
        return std::nullopt;
    return v;
}
} // namespace detail

// One of sched_ext's event counters (SCX_EV_*), as the running kernel names it.
struct Event {
    std::string name;
    std::int64_t value;
};

// "disabled", "enabling", "enabled", "disabling"; nullopt without sched_ext.
inline std::optional<std::string> state()
{
    return detail::read_line(sysfs_root / "state");
}

// The name of the attached scheduler (its ops.name), or nullopt when none is attached.
inline std::optional<std::string> root_ops()
{
    return detail::read_line(sysfs_root / "root" / "ops");
}

// True when the attached scheduler runs every task (not only SCHED_EXT ones).
inline std::optional<bool> switch_all()
{
    auto v = detail::read_u64(sysfs_root / "switch_all");
    return v ? std::optional<bool>(*v != 0) : std::nullopt;
}

// How many schedulers have been enabled since boot.
inline std::optional<std::uint64_t> enable_seq()
{
    return detail::read_u64(sysfs_root / "enable_seq");
}

// Tasks that asked for SCHED_EXT while the attached scheduler refused them (SCX_OPS_SWITCH_PARTIAL).
inline std::optional<std::uint64_t> nr_rejected()
{
    return detail::read_u64(sysfs_root / "nr_rejected");
}

// Bumped on every CPU hotplug; the loader puts it in sched_ext_ops.hotplug_seq.
inline std::optional<std::uint64_t> hotplug_seq()
{
    return detail::read_u64(sysfs_root / "hotplug_seq");
}

// The attached scheduler's event counters from root/events (kernels from 6.15); empty otherwise.
inline std::vector<Event> events()
{
    std::ifstream in(sysfs_root / "root" / "events");
    std::vector<Event> out;
    std::string name;
    std::int64_t value;
    while (in >> name >> value)
        out.push_back({name, value});
    return out;
}

// Everything above at once.
struct Status {
    std::optional<std::string> state;
    std::optional<std::string> root_ops;
    std::optional<bool> switch_all;
    std::optional<std::uint64_t> enable_seq, nr_rejected, hotplug_seq;
};
inline Status status()
{
    return {state(), root_ops(), switch_all(), enable_seq(), nr_rejected(), hotplug_seq()};
}

} // namespace scxx::system
