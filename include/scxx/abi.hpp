// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Which build of a BPF object runs. scxx_add_bpf_skeleton builds a scheduler's BPF object once per
// kernel ABI level (bpf_include/scxx/abi.h): the build for any kernel tests at load time which
// kfunc each portable call uses; the builds for 6.16 and 7.3 call them directly. scxx::open()
// picks the highest level whose kfuncs the running kernel has, so a portable call costs exactly
// what the direct kfunc call costs wherever such a build fits.
//
// SCXX_ABI=<level> in the environment (any, 6.16, 7.3) makes open() use that build instead, e.g.
// to run the build for any kernel on a new one; a build the kernel lacks kfuncs for then fails to
// load with the missing kfunc named.

#include <scxx/abi.h>
#include <scxx/error.hpp>
#include <scxx/kernel.hpp>

#include <cstddef>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace scxx {

// "any" for SCXX_ABI_ANY, else the kernel release the level stands for ("6.16", "7.3").
inline std::string abi_level_name(int level)
{
    if (level == SCXX_ABI_ANY)
        return "any";
    return std::to_string(level / 100) + "." + std::to_string(level % 100);
}

// The kfuncs a build at LEVEL calls untested that KERNEL lacks (kernel BTF names).
inline std::vector<std::string> abi_missing_kfuncs(int level, const KernelInfo& kernel)
{
    struct Entry {
        std::string_view name;
        int level;
    };
#define SCXX_ABI_ENTRY(kfunc, since) Entry{#kfunc, since},
    static constexpr Entry entries[] = {SCXX_ABI_KFUNCS(SCXX_ABI_ENTRY)};
#undef SCXX_ABI_ENTRY
    constexpr std::string_view bpf_only_suffix = "___scxx";  // see kfuncs.bpf.h
    std::vector<std::string> missing;
    for (const Entry& e : entries) {
        if (e.level > level)
            continue;
        std::string_view name = e.name;
        if (name.ends_with(bpf_only_suffix))
            name.remove_suffix(bpf_only_suffix.size());
        if (!kernel.has_kfunc(name))
            missing.emplace_back(name);
    }
    return missing;
}

namespace detail {

// One build of a BPF object, as the generated NAME.skel-data.cpp lists them (highest level first).
struct AbiBuild {
    int level;
    const void* (*bytes)(std::size_t* size);
};

// The running kernel, or nullptr if its BTF cannot be read (open() then says so).
inline const KernelInfo* running_kernel_if_readable()
{
    try {
        return &KernelInfo::running();
    } catch (const Error&) {
        return nullptr;
    }
}

// The highest level KERNEL has every kfunc for; the lowest build if none fits (it then fails to
// load, naming what is missing).
inline const AbiBuild& abi_best(std::span<const AbiBuild> builds, const KernelInfo* kernel)
{
    for (const AbiBuild& b : builds)
        if (b.level == SCXX_ABI_ANY || (kernel && abi_missing_kfuncs(b.level, *kernel).empty()))
            return b;
    return builds.back();
}

// The build SCXX_ABI names (by level name or number), or nullptr if it names none of BUILDS.
inline const AbiBuild* abi_named(std::span<const AbiBuild> builds, std::string_view forced)
{
    for (const AbiBuild& b : builds)
        if (abi_level_name(b.level) == forced || std::to_string(b.level) == forced)
            return &b;
    return nullptr;
}

// The build to open: the one SCXX_ABI names, else the best for the running kernel. Throws if
// SCXX_ABI names no build of OBJECT.
inline const AbiBuild& abi_choose(std::span<const AbiBuild> builds, const std::string& object)
{
    const char* forced = std::getenv("SCXX_ABI");
    if (!forced || !*forced)
        return abi_best(builds, running_kernel_if_readable());
    if (const AbiBuild* b = abi_named(builds, forced))
        return *b;
    std::string built;
    for (const AbiBuild& b : builds)
        built += (built.empty() ? "" : ", ") + abi_level_name(b.level);
    throw Error("open", object, EINVAL,
                "SCXX_ABI=" + std::string(forced) + " names no build of this object; it was built for: " + built +
                    " (scxx_add_bpf_skeleton builds the levels in the CMake variable SCXX_ABI_LEVELS)");
}

// NAME__elf_bytes() of a generated skeleton, which the skeleton's open calls: the bytes of the
// build abi_choose picks. The choice depends only on SCXX_ABI and the running kernel, so
// scxx::open() makes it first (refusing a bad SCXX_ABI with an error) and then checks that the
// skeleton opened that build. Called from C (bpftool's code), so it does not throw: a skeleton
// opened without scxx::open() under a bad SCXX_ABI gets the best build.
inline const void* abi_bytes(std::span<const AbiBuild> builds, std::size_t* size) noexcept
{
    const AbiBuild* b = nullptr;
    try {
        b = &abi_choose(builds, "");
    } catch (...) {
        b = &abi_best(builds, running_kernel_if_readable());
    }
    return b->bytes(size);
}

// Why a build at LEVEL failed to load, if the running kernel lacks kfuncs that build calls (it was
// forced with SCXX_ABI, or no build fits this kernel); "" otherwise.
inline std::string abi_load_hint(int level)
{
    const KernelInfo* kernel = running_kernel_if_readable();
    if (level == SCXX_ABI_ANY || !kernel)
        return {};
    std::string missing;
    for (const std::string& kfunc : abi_missing_kfuncs(level, *kernel))
        missing += (missing.empty() ? "" : ", ") + kfunc;
    if (missing.empty())
        return {};
    return "this is the build for ABI level " + abi_level_name(level) + ", which calls kfuncs " +
           kernel->description() + " lacks (" + missing +
           "); let scxx pick the build (unset SCXX_ABI) or build for level 0 too (SCXX_ABI_LEVELS)";
}

} // namespace detail
} // namespace scxx
