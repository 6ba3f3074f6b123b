// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Dispatch queue ids as a type: a Dsq is only ever a valid id of the kernel it was built for.
//
//   scxx::Dsq::global()          the global FIFO          scxx::Dsq::local()   this CPU's local DSQ
//   scxx::Dsq::local_on(3)       CPU 3's local DSQ        scxx::Dsq::user(42)  a DSQ the scheduler creates
//
// The built-in ids and flag bits come from the kernel's BTF (enum scx_dsq_id_flags). A user id with
// the built-in bit set, or a CPU that does not exist, is refused with an Error saying which.

#include <scxx/error.hpp>
#include <scxx/kernel.hpp>

#include <bpf/libbpf.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace scxx {

namespace detail {
// Throws EINVAL unless CPU is one of this machine's possible CPUs.
inline void check_cpu(int cpu, const char* operation)
{
    int possible = libbpf_num_possible_cpus();
    if (cpu < 0 || (possible > 0 && cpu >= possible))
        throw Error(operation, "CPU " + std::to_string(cpu), EINVAL,
                    "no such CPU: this machine's possible CPUs are 0-" + std::to_string(possible - 1));
}
} // namespace detail

class Dsq {
public:
    enum class Kind { global, local, local_on, user, other_builtin };

    static Dsq global(const KernelInfo& kernel = KernelInfo::running())
    {
        return Dsq(Kind::global, value(kernel, "SCX_DSQ_GLOBAL"));
    }
    static Dsq local(const KernelInfo& kernel = KernelInfo::running())
    {
        return Dsq(Kind::local, value(kernel, "SCX_DSQ_LOCAL"));
    }
    // CPU's local DSQ. Throws EINVAL if CPU is not one of this machine's possible CPUs.
    static Dsq local_on(int cpu, const KernelInfo& kernel = KernelInfo::running())
    {
        detail::check_cpu(cpu, "make local DSQ id");
        return Dsq(Kind::local_on, value(kernel, "SCX_DSQ_LOCAL_ON") | static_cast<std::uint64_t>(cpu));
    }
    // A user DSQ (created with create_dsq). Throws EINVAL if ID has the kernel's built-in bit set.
    static Dsq user(std::uint64_t id, const KernelInfo& kernel = KernelInfo::running())
    {
        if (id & value(kernel, "SCX_DSQ_FLAG_BUILTIN"))
            throw Error("make user DSQ id", hex(id), EINVAL,
                        "the built-in flag (bit 63, SCX_DSQ_FLAG_BUILTIN) is set; user DSQ ids are 0 to "
                        "0x7fffffffffffffff. For a built-in DSQ use Dsq::global(), local() or local_on(cpu)");
        return Dsq(Kind::user, id);
    }
    // Any id, e.g. one read from a map. Throws EINVAL for SCX_DSQ_INVALID.
    static Dsq from_id(std::uint64_t id, const KernelInfo& kernel = KernelInfo::running())
    {
        const std::uint64_t builtin = value(kernel, "SCX_DSQ_FLAG_BUILTIN");
        const std::uint64_t local_on = value(kernel, "SCX_DSQ_LOCAL_ON");
        if (!(id & builtin))
            return Dsq(Kind::user, id);
        if ((id & local_on) == local_on)
            return Dsq(Kind::local_on, id);
        if (id == value(kernel, "SCX_DSQ_GLOBAL"))
            return Dsq(Kind::global, id);
        if (id == value(kernel, "SCX_DSQ_LOCAL"))
            return Dsq(Kind::local, id);
        if (id == value(kernel, "SCX_DSQ_INVALID"))
            throw Error("decode DSQ id", hex(id), EINVAL, "this is SCX_DSQ_INVALID, not a queue");
        return Dsq(Kind::other_builtin, id);
    }

    std::uint64_t id() const noexcept { return id_; }
    Kind kind() const noexcept { return kind_; }
    bool is_builtin() const noexcept { return kind_ != Kind::user; }
    // The CPU of a local_on DSQ; -1 for other kinds.
    int cpu() const noexcept { return kind_ == Kind::local_on ? static_cast<int>(id_ & 0xffffffffu) : -1; }

    // "GLOBAL", "LOCAL", "LOCAL_ON(3)", "user 0x2a", "builtin 0x8000000000000003".
    std::string to_string() const
    {
        switch (kind_) {
        case Kind::global:
            return "GLOBAL";
        case Kind::local:
            return "LOCAL";
        case Kind::local_on:
            return "LOCAL_ON(" + std::to_string(cpu()) + ")";
        case Kind::user:
            return "user " + hex(id_);
        case Kind::other_builtin:
            break;
        }
        return "builtin " + hex(id_);
    }

    friend bool operator==(const Dsq&, const Dsq&) = default;

private:
    Dsq(Kind kind, std::uint64_t id) : kind_(kind), id_(id) {}

    static std::uint64_t value(const KernelInfo& kernel, const char* name)
    {
        auto v = kernel.enum_value(name);
        if (!v)
            throw Error("read DSQ encoding", name, EOPNOTSUPP,
                        kernel.description() + " does not define " + std::string(name) + ": it has no sched_ext");
        return *v;
    }
    static std::string hex(std::uint64_t v)
    {
        char buf[24];
        std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
        return buf;
    }

    Kind kind_;
    std::uint64_t id_;
};

} // namespace scxx
