// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Why a scheduler stopped, as the kernel reported it to ops.exit: a value to print, test and act on
// (restart or not), never an exception.

#include <cstdint>
#include <string>

namespace scxx {

// enum scx_exit_kind. Kinds this header does not know are kept as their number.
enum class ExitKind : std::int32_t {
    unknown = -1,        // stopped by the kernel, but the object's ops.exit recorded no exit info
    none = 0,            // still running
    done = 1,
    unreg = 64,          // detached from userspace (the loader closed the link)
    unreg_bpf = 65,      // the BPF program asked to exit (scx_bpf_exit)
    unreg_kern = 66,     // the kernel unregistered it
    sysrq = 67,          // SysRq-S
    error = 1024,        // runtime error detected by the kernel (e.g. an invalid DSQ)
    error_bpf = 1025,    // the BPF program called scx_bpf_error()
    error_stall = 1026,  // a runnable task was not scheduled in time (watchdog)
};

inline std::string to_string(ExitKind kind)
{
    switch (kind) {
    case ExitKind::unknown: return "UNKNOWN";
    case ExitKind::none: return "NONE";
    case ExitKind::done: return "DONE";
    case ExitKind::unreg: return "UNREG";
    case ExitKind::unreg_bpf: return "UNREG_BPF";
    case ExitKind::unreg_kern: return "UNREG_KERN";
    case ExitKind::sysrq: return "SYSRQ";
    case ExitKind::error: return "ERROR";
    case ExitKind::error_bpf: return "ERROR_BPF";
    case ExitKind::error_stall: return "ERROR_STALL";
    }
    return "KIND_" + std::to_string(static_cast<std::int32_t>(kind));
}

struct ExitInfo {
    ExitKind kind = ExitKind::none;
    // Bits 63..48: action, 47..32: reason, 31..0: the scheduler's own code.
    std::int64_t exit_code = 0;
    std::string reason;   // the kernel's summary, e.g. "unregistered from user space"
    std::string message;  // details, e.g. the scx_bpf_error() text
    std::string dump;     // the kernel's debug dump on error exits (with ops.dump's lines), else empty

    static constexpr std::uint64_t ecode_action_restart = 1ULL << 48;
    static constexpr std::uint64_t ecode_reason_hotplug = 1ULL << 32;

    bool exited() const noexcept { return kind != ExitKind::none; }
    // Kinds 1024 and up are errors; below are orderly exits. A stop by the kernel that the object
    // did not record counts as an error: nothing says it was orderly.
    bool is_error() const noexcept { return kind == ExitKind::unknown || static_cast<std::int32_t>(kind) >= 1024; }
    std::uint32_t user_code() const noexcept { return static_cast<std::uint32_t>(exit_code & 0xffffffff); }
    bool should_restart() const noexcept
    {
        return (static_cast<std::uint64_t>(exit_code) & ecode_action_restart) != 0;
    }

    std::string to_string() const
    {
        std::string s = "kind=" + scxx::to_string(kind) + " (" + std::to_string(static_cast<std::int32_t>(kind)) + ")";
        if (exit_code != 0)
            s += " exit_code=" + std::to_string(exit_code);
        if (!reason.empty())
            s += " reason=\"" + reason + "\"";
        if (!message.empty())
            s += " message=\"" + message + "\"";
        return s;
    }
};

} // namespace scxx
