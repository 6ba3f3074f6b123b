// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Acting on an attached scheduler from userspace: the runtime's syscall programs
// (bpf_include/scxx/runtime.bpf.h, scxx_sys_*) run with BPF_PROG_RUN. Enable them with
// OpenScheduler::enable_control() before load; they are not loaded otherwise.

#include <scxx/error.hpp>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstdint>
#include <string>

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
} // namespace detail

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

private:
    std::int32_t run(const char* prog_name, detail::SysArgs& a) const
    {
        bpf_program* prog = bpf_object__find_program_by_name(obj_, prog_name);
        if (!prog || bpf_program__fd(prog) < 0)
            throw Error("run control program", prog_name, ENOENT,
                        "not loaded: call enable_control() on the OpenScheduler before load()");
        LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));
        if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0)
            throw Error("run control program", prog_name, errno);
        return a.ret;
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
