// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// sched_ext's flag sets as enum classes: KickFlags (scx_bpf_kick_cpu), EnqFlags (enqueue and DSQ
// inserts) and OpsFlags (sched_ext_ops.flags).
//
//   auto f = scxx::KickFlags::preempt | scxx::KickFlags::wait;
//   scxx::to_string(f)                         // "PREEMPT|WAIT"
//   scxx::kernel_value(f)                      // the running kernel's SCX_KICK_PREEMPT|SCX_KICK_WAIT
//
// The enumerators are scxx's own bit numbering, stable across kernels. The kernel's values come from
// its BTF when a flag set is handed to the kernel (kernel_value) or read back (from_kernel): they
// differ between kernels (SCX_ENQ_HEAD is 0x10 on 6.16 and 0x10000 on 7.3), and some flags exist
// only on some kernels, which kernel_value reports as an error naming the flag and the kernel.

#include <scxx/error.hpp>
#include <scxx/kernel.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace scxx {

enum class KickFlags : std::uint32_t {
    none = 0,
    idle = 1u << 0,    // only if the CPU is idle: wake it to run a scheduling cycle
    preempt = 1u << 1, // preempt the task running there
    wait = 1u << 2,    // return once the CPU has gone through a scheduling cycle
};

enum class EnqFlags : std::uint32_t {
    none = 0,
    wakeup = 1u << 0,       // the task is waking up
    head = 1u << 1,         // queue at the head of the DSQ
    cpu_selected = 1u << 2, // ops.select_cpu ran for this enqueue
    preempt = 1u << 3,      // preempt the task running on the target CPU (local DSQs)
    reenq = 1u << 4,        // the kernel re-enqueues the task (e.g. after a CPU was taken)
    last = 1u << 5,         // the CPU would otherwise go idle (SCX_OPS_ENQ_LAST)
};

enum class OpsFlags : std::uint32_t {
    none = 0,
    keep_builtin_idle = 1u << 0,       // keep the built-in idle tracking with ops.update_idle
    enq_last = 1u << 1,                // call ops.enqueue for the last runnable task of a CPU
    enq_exiting = 1u << 2,             // call ops.enqueue for exiting tasks
    switch_partial = 1u << 3,          // schedule only SCHED_EXT tasks, not every fair task
    enq_migration_disabled = 1u << 4,  // call ops.enqueue for migration-disabled tasks
    allow_queued_wakeup = 1u << 5,     // allow wakeups queued to the target CPU (6.15)
    builtin_idle_per_node = 1u << 6,   // per-NUMA-node idle cpumasks (6.15)
    has_cgroup_weight = 1u << 7,       // up to 6.17; gone in 7.x
};

// A flag set's names: the kernel's enumerator of each bit, in bit order, and the set's prefix.
template <class F>
struct FlagNames;

template <>
struct FlagNames<KickFlags> {
    static constexpr std::string_view prefix = "SCX_KICK_";
    static constexpr std::array<std::string_view, 3> names = {"IDLE", "PREEMPT", "WAIT"};
};
template <>
struct FlagNames<EnqFlags> {
    static constexpr std::string_view prefix = "SCX_ENQ_";
    static constexpr std::array<std::string_view, 6> names = {"WAKEUP", "HEAD", "CPU_SELECTED",
                                                              "PREEMPT", "REENQ", "LAST"};
};
template <>
struct FlagNames<OpsFlags> {
    static constexpr std::string_view prefix = "SCX_OPS_";
    static constexpr std::array<std::string_view, 8> names = {
        "KEEP_BUILTIN_IDLE",      "ENQ_LAST",            "ENQ_EXITING",           "SWITCH_PARTIAL",
        "ENQ_MIGRATION_DISABLED", "ALLOW_QUEUED_WAKEUP", "BUILTIN_IDLE_PER_NODE", "HAS_CGROUP_WEIGHT"};
};

template <class F>
concept FlagSet = std::is_enum_v<F> && requires { FlagNames<F>::names; };

template <FlagSet F>
constexpr F operator|(F a, F b) noexcept
{
    using U = std::underlying_type_t<F>;
    return static_cast<F>(static_cast<U>(a) | static_cast<U>(b));
}
template <FlagSet F>
constexpr F operator&(F a, F b) noexcept
{
    using U = std::underlying_type_t<F>;
    return static_cast<F>(static_cast<U>(a) & static_cast<U>(b));
}
template <FlagSet F>
constexpr F operator~(F a) noexcept
{
    using U = std::underlying_type_t<F>;
    constexpr U all = (U(1) << FlagNames<F>::names.size()) - 1;
    return static_cast<F>(~static_cast<U>(a) & all);
}
template <FlagSet F>
constexpr F& operator|=(F& a, F b) noexcept
{
    return a = a | b;
}
template <FlagSet F>
constexpr F& operator&=(F& a, F b) noexcept
{
    return a = a & b;
}
// True if every flag of WHICH is set in FLAGS.
template <FlagSet F>
constexpr bool has(F flags, F which) noexcept
{
    return (flags & which) == which;
}

// "IDLE|PREEMPT"; "none" for the empty set.
template <FlagSet F>
std::string to_string(F flags)
{
    std::string out;
    const auto bits = static_cast<std::underlying_type_t<F>>(flags);
    for (std::size_t i = 0; i < FlagNames<F>::names.size(); ++i) {
        if (bits & (1u << i)) {
            if (!out.empty())
                out += '|';
            out += FlagNames<F>::names[i];
        }
    }
    return out.empty() ? "none" : out;
}

// The value KERNEL gives FLAGS. Throws EOPNOTSUPP naming the first flag that kernel lacks.
template <FlagSet F>
std::uint64_t kernel_value(F flags, const KernelInfo& kernel = KernelInfo::running())
{
    std::uint64_t value = 0;
    const auto bits = static_cast<std::underlying_type_t<F>>(flags);
    for (std::size_t i = 0; i < FlagNames<F>::names.size(); ++i) {
        if (!(bits & (1u << i)))
            continue;
        std::string name = std::string(FlagNames<F>::prefix) + std::string(FlagNames<F>::names[i]);
        auto v = kernel.enum_value(name);
        if (!v)
            throw Error("use flag", name, EOPNOTSUPP,
                        kernel.description() + " has no " + name + "; leave it out on this kernel");
        value |= *v;
    }
    return value;
}

// The flags of a kernel value, e.g. the enq_flags ops.enqueue received. Bits scxx does not name are
// dropped.
template <FlagSet F>
F from_kernel(std::uint64_t value, const KernelInfo& kernel = KernelInfo::running())
{
    std::underlying_type_t<F> bits = 0;
    for (std::size_t i = 0; i < FlagNames<F>::names.size(); ++i) {
        auto v = kernel.enum_value(std::string(FlagNames<F>::prefix) + std::string(FlagNames<F>::names[i]));
        if (v && *v != 0 && (value & *v) == *v)
            bits |= 1u << i;
    }
    return static_cast<F>(bits);
}

// Throws EINVAL, saying why, for kick flags that contradict each other: IDLE acts only on an idle
// CPU, which has no task to preempt and no scheduling cycle in progress to wait for.
inline void validate(KickFlags flags)
{
    if (has(flags, KickFlags::idle) && (flags & (KickFlags::preempt | KickFlags::wait)) != KickFlags::none)
        throw Error("kick with flags", to_string(flags), EINVAL,
                    "IDLE cannot be combined with PREEMPT or WAIT: an idle CPU has no task to preempt or "
                    "wait for; kick with IDLE alone, or with PREEMPT and/or WAIT");
}

} // namespace scxx
