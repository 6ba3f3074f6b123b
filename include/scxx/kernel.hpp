// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// What a kernel offers a sched_ext scheduler, from its BTF: the running kernel's, or any BTF file
// (so tools and tests can ask about kernels other than the one they run on).
//
//   const auto& k = scxx::KernelInfo::running();   // parsed once per process
//   if (k.has_kfunc("scx_bpf_dsq_peek")) ...
//   k.enum_value("SCX_ENQ_HEAD")      // 0x10 on 6.16, 0x10000 on 7.3

#include <scxx/btf.hpp>
#include <scxx/system.hpp>

#include <sys/utsname.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace scxx {

class KernelInfo {
public:
    // The running kernel, read from /sys/kernel/btf/vmlinux on first use and kept for the process.
    static const KernelInfo& running()
    {
        static const KernelInfo info(btf_read::running_kernel(), "this kernel (" + release() + ")", release());
        return info;
    }
    static KernelInfo from_btf_file(const std::string& path)
    {
        return KernelInfo(btf_read::parse(path), "the kernel of " + path, std::nullopt);
    }

    // The running kernel's release (uname -r); nullopt for a BTF file, which does not record it.
    const std::optional<std::string>& release_name() const noexcept { return release_; }

    // sched_ext's state on the running kernel ("disabled", "enabled", ...; see scxx/system.hpp);
    // nullopt for a BTF file, or a running kernel without sched_ext.
    std::optional<std::string> sched_ext_state() const { return release_ ? system::state() : std::nullopt; }

    // For messages: "this kernel (6.17.13+deb13-amd64)" or "the kernel of <file>".
    const std::string& description() const noexcept { return description_; }
    const btf* types() const noexcept { return types_.get(); }

    // The kernel was built with sched_ext (its BTF has struct sched_ext_ops).
    bool has_sched_ext() const noexcept { return ops_ >= 0; }

    bool has_kfunc(std::string_view name) const { return kfuncs_.count(std::string(name)) != 0; }

    // A member of struct sched_ext_ops (a callback such as "cgroup_set_bandwidth", or a field).
    bool has_ops_field(std::string_view name) const { return has_member(ops_, name); }
    // Struct TYPE (e.g. "sched_ext_ops_cid", 7.3's cid-form ops).
    bool has_struct(std::string_view type) const { return struct_id(type) >= 0; }
    // A member of struct TYPE; false if the kernel lacks the struct.
    bool has_struct_member(std::string_view type, std::string_view member) const
    {
        return has_member(struct_id(type), member);
    }

    // The value of a sched_ext enumerator (SCX_*), or nullopt where this kernel lacks it.
    std::optional<std::uint64_t> enum_value(std::string_view name) const
    {
        auto it = enums_.find(std::string(name));
        if (it == enums_.end())
            return std::nullopt;
        return it->second;
    }

private:
    __s32 struct_id(std::string_view type) const
    {
        if (type == "sched_ext_ops")
            return ops_;
        return btf__find_by_name_kind(types_.get(), std::string(type).c_str(), BTF_KIND_STRUCT);
    }
    bool has_member(__s32 struct_id, std::string_view name) const
    {
        if (struct_id < 0)
            return false;
        const btf_type* t = btf__type_by_id(types_.get(), static_cast<__u32>(struct_id));
        const btf_member* m = btf_members(t);
        for (int i = 0; i < btf_vlen(t); ++i)
            if (name == btf__name_by_offset(types_.get(), m[i].name_off))
                return true;
        return false;
    }

    static std::string release()
    {
        utsname u{};
        return uname(&u) == 0 ? u.release : "unknown release";
    }

    KernelInfo(btf_read::Ptr types, std::string description, std::optional<std::string> release)
        : description_(std::move(description)),
          release_(std::move(release)),
          types_(std::move(types)),
          ops_(btf__find_by_name_kind(types_.get(), "sched_ext_ops", BTF_KIND_STRUCT)),
          enums_(btf_read::enumerators(types_.get(), "SCX_"))
    {
        for (const auto& [name, id] : btf_read::kfuncs(types_.get()))
            kfuncs_.insert(name);
    }

    std::string description_;
    std::optional<std::string> release_;
    btf_read::Ptr types_;
    __s32 ops_;
    std::unordered_map<std::string, std::uint64_t> enums_;
    std::unordered_set<std::string> kfuncs_;
};

} // namespace scxx
