// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The kernel's sched_ext state as /sys/kernel/sched_ext shows it.

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

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
} // namespace detail

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

} // namespace scxx::system
