// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Reading kernel BTF: the one place that knows what counts as a kfunc and how to read enumerators.
// Used by the loader (load-time enum values), scxx::KernelInfo and the header generator.

#include <scxx/error.hpp>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace scxx::btf_read {

struct Free {
    void operator()(btf* b) const noexcept { btf__free(b); }
};
using Ptr = std::unique_ptr<btf, Free>;

// A BTF file: raw BTF (/sys/kernel/btf/vmlinux) or an ELF file with a .BTF section.
inline Ptr parse(const std::string& path)
{
    btf* b = btf__parse(path.c_str(), nullptr);
    if (!b)
        throw Error("read BTF", path, detail::positive_errno(-errno),
                    "not a BTF file or an ELF file with BTF (a kernel built with CONFIG_DEBUG_INFO_BTF)");
    return Ptr(b);
}

// The running kernel's BTF.
inline Ptr running_kernel()
{
    btf* b = btf__load_vmlinux_btf();
    if (!b)
        throw Error("read BTF", "/sys/kernel/btf/vmlinux", detail::positive_errno(-errno),
                    "the running kernel exposes no BTF (it needs CONFIG_DEBUG_INFO_BTF)");
    return Ptr(b);
}

// Every enumerator whose name starts with PREFIX, by name (64-bit and signed values as u64).
inline std::unordered_map<std::string, std::uint64_t> enumerators(const btf* types, std::string_view prefix)
{
    std::unordered_map<std::string, std::uint64_t> out;
    for (__u32 id = 1, n = btf__type_cnt(types); id < n; ++id) {
        const btf_type* t = btf__type_by_id(types, id);
        if (!btf_is_any_enum(t))
            continue;
        for (int i = 0; i < btf_vlen(t); ++i) {
            std::uint64_t value;
            const char* name;
            if (btf_is_enum(t)) {
                const struct btf_enum& e = btf_enum(t)[i];
                name = btf__name_by_offset(types, e.name_off);
                value = btf_kflag(t) ? static_cast<std::uint64_t>(static_cast<std::int64_t>(e.val))
                                     : static_cast<std::uint32_t>(e.val);
            } else {
                const struct btf_enum64& e = btf_enum64(t)[i];
                name = btf__name_by_offset(types, e.name_off);
                value = btf_enum64_value(&e);
            }
            if (std::string_view(name).starts_with(prefix))
                out.emplace(name, value);
        }
    }
    return out;
}

// sched_ext's own namespace: every kernel function named so is a kfunc. (Some kernels' BTF lacks the
// "bpf_kfunc" tag on a few of them, e.g. 6.16's deprecated scx_bpf_dispatch.)
inline bool sched_ext_kfunc_name(std::string_view n)
{
    return n.starts_with("scx_bpf_") || n.starts_with("__scx_bpf_") || n.starts_with("bpf_iter_scx_dsq_");
}

// The kernel's kfuncs, by name: functions tagged "bpf_kfunc", and those of sched_ext's namespace.
inline std::map<std::string, __u32> kfuncs(const btf* types)
{
    std::map<std::string, __u32> out;
    for (__u32 id = 1, n = btf__type_cnt(types); id < n; ++id) {
        const btf_type* t = btf__type_by_id(types, id);
        __u32 func_id = 0;
        if (btf_is_decl_tag(t) && std::string_view(btf__name_by_offset(types, t->name_off)) == "bpf_kfunc")
            func_id = t->type;
        else if (btf_is_func(t) && sched_ext_kfunc_name(btf__name_by_offset(types, t->name_off)))
            func_id = id;
        const btf_type* f = func_id ? btf__type_by_id(types, func_id) : nullptr;
        if (f && btf_is_func(f))
            out.emplace(btf__name_by_offset(types, f->name_off), func_id);
    }
    return out;
}

} // namespace scxx::btf_read
