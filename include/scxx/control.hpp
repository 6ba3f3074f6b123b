// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Acting on an attached scheduler from userspace: the runtime's syscall programs
// (bpf_include/scxx/runtime.bpf.h, scxx_sys_*) run with BPF_PROG_RUN. Enable them with
// OpenScheduler::enable_control() before load; they are not loaded otherwise.

#include <scxx/error.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace scxx {

namespace detail {
// Layout shared with struct scxx_sys_args in runtime.bpf.h.
struct SysArgs {
    std::uint64_t dsq_id = 0;
    std::uint64_t arg = 0;
    std::int32_t cpu = 0;
    std::int32_t ret = 0;
};
inline constexpr const char* control_prefix = "scxx_sys_";

// struct scxx_sys_events: ret, then the kernel's struct scx_event_stats (room for any kernel's).
struct SysEvents {
    std::int32_t ret = 0;
    std::int32_t reserved = 0;
    unsigned char stats[4096] = {};
};
} // namespace detail

// One of sched_ext's event counters (SCX_EV_*), as the running kernel names it.
struct Event {
    std::string name;
    std::int64_t value;
};

class Control {
public:
    explicit Control(bpf_object* obj) : obj_(obj) {}

    // Creates user DSQ ID on NUMA node NODE (-1: any).
    void create_dsq(std::uint64_t id, int node = -1) const
    {
        detail::SysArgs a;
        a.dsq_id = id;
        a.arg = static_cast<std::uint64_t>(static_cast<std::int64_t>(node));
        check(run("scxx_sys_create_dsq", a), "create DSQ " + std::to_string(id));
    }

    void destroy_dsq(std::uint64_t id) const
    {
        detail::SysArgs a;
        a.dsq_id = id;
        run("scxx_sys_destroy_dsq", a);
    }

    // Tasks queued on DSQ ID; throws (ENOENT) if there is no such DSQ.
    std::int32_t nr_queued(std::uint64_t id) const
    {
        detail::SysArgs a;
        a.dsq_id = id;
        return check(run("scxx_sys_nr_queued", a), "read nr_queued of DSQ " + std::to_string(id));
    }

    // Kicks CPU with the kernel's SCX_KICK_* flags.
    void kick_cpu(int cpu, std::uint64_t flags) const
    {
        detail::SysArgs a;
        a.cpu = cpu;
        a.arg = flags;
        run("scxx_sys_kick_cpu", a);
    }

    // Moves every task queued on FROM to TO; returns how many moved.
    std::int32_t move_all(std::uint64_t from, std::uint64_t to) const
    {
        detail::SysArgs a;
        a.dsq_id = from;
        a.arg = to;
        return check(run("scxx_sys_move_all", a), "move tasks from DSQ " + std::to_string(from));
    }

    // sched_ext's event counters, named and laid out as the running kernel's BTF says.
    // Throws EOPNOTSUPP on kernels before 6.15, which have none.
    std::vector<Event> events() const
    {
        detail::SysEvents ev;
        run_raw("scxx_sys_events", &ev, sizeof(ev));
        check(ev.ret, "read sched_ext events");
        btf* vmlinux = btf__load_vmlinux_btf();
        if (!vmlinux)
            throw Error("read the kernel's BTF", "/sys/kernel/btf/vmlinux", errno);
        std::vector<Event> out;
        __s32 id = btf__find_by_name_kind(vmlinux, "scx_event_stats", BTF_KIND_STRUCT);
        if (id > 0) {
            const btf_type* t = btf__type_by_id(vmlinux, static_cast<__u32>(id));
            const btf_member* m = btf_members(t);
            for (int i = 0; i < btf_vlen(t); ++i) {
                std::size_t off = btf_member_bit_offset(t, static_cast<__u32>(i)) / 8;
                if (off + sizeof(std::int64_t) > sizeof(ev.stats))
                    break;
                std::int64_t v;
                std::memcpy(&v, ev.stats + off, sizeof(v));
                out.push_back({btf__name_by_offset(vmlinux, m[i].name_off), v});
            }
        }
        btf__free(vmlinux);
        return out;
    }

private:
    std::int32_t run(const char* prog_name, detail::SysArgs& a) const
    {
        run_raw(prog_name, &a, sizeof(a));
        return a.ret;
    }

    void run_raw(const char* prog_name, void* ctx, std::size_t size) const
    {
        bpf_program* prog = bpf_object__find_program_by_name(obj_, prog_name);
        if (!prog || bpf_program__fd(prog) < 0)
            throw Error("run control program", prog_name, ENOENT,
                        "not loaded: call enable_control() on the OpenScheduler before load()");
        LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx, .ctx_size_in = static_cast<__u32>(size));
        if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0)
            throw Error("run control program", prog_name, errno);
    }

    static std::int32_t check(std::int32_t ret, const std::string& what)
    {
        if (ret < 0)
            throw Error(what, "", -ret);
        return ret;
    }

    bpf_object* obj_;
};

} // namespace scxx
