// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Acting on an attached scheduler from userspace: the runtime's syscall programs
// (bpf_include/scxx/runtime.bpf.h, scxx_sys_*) run with BPF_PROG_RUN. Enable them with
// OpenScheduler::enable_control() before load; they are not loaded otherwise.

#include <scxx/dsq.hpp>
#include <scxx/error.hpp>
#include <scxx/flags.hpp>
#include <scxx/kernel.hpp>
#include <scxx/system.hpp>

#include <linux/types.h>
#include <scxx/runtime.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace scxx {

namespace detail {
inline constexpr const char* control_prefix = "scxx_sys_";

// NUMA nodes the kernel may bring up: one more than the last of /sys/devices/system/node/possible
// ("0", "0-3"); 1 where the file is missing (CONFIG_NUMA off).
inline int nr_possible_nodes()
{
    std::ifstream in("/sys/devices/system/node/possible");
    std::string list;
    if (!(in >> list) || list.empty())
        return 1;
    std::string_view last(list);
    if (auto sep = last.find_last_of("-,"); sep != std::string_view::npos)
        last.remove_prefix(sep + 1);
    int n = 0;
    auto [ptr, ec] = std::from_chars(last.data(), last.data() + last.size(), n);
    return ec == std::errc() ? n + 1 : 1;
}

// Runs a SEC("syscall") program once with BPF_PROG_RUN; CTX is its argument, which the program may
// write to (the kernel copies it back). Returns 0 or the errno of the run itself.
inline int run_syscall_program(int prog_fd, void* ctx, std::size_t size) noexcept
{
    bpf_test_run_opts opts{}; // LIBBPF_OPTS is a GNU statement expression: not in pedantic C++
    opts.sz = sizeof(opts);
    opts.ctx_in = ctx;
    opts.ctx_size_in = static_cast<__u32>(size);
    return bpf_prog_test_run_opts(prog_fd, &opts) != 0 ? errno : 0;
}
} // namespace detail

class Control {
public:
    // For OBJ, which must outlive it; AttachedScheduler::control() ties it to the scheduler's life.
    explicit Control(bpf_object* obj, const KernelInfo& kernel = KernelInfo::running()) : obj_(obj), kernel_(&kernel) {}
    // For OBJ while ALIVE has not expired; after that every call throws ESTALE.
    Control(bpf_object* obj, std::weak_ptr<const bool> alive, const KernelInfo& kernel = KernelInfo::running())
        : obj_(obj), kernel_(&kernel), alive_(std::move(alive)), tied_(true)
    {
    }

    // Creates the user DSQ on NUMA node NODE (-1: any). Throws EEXIST if it exists, EINVAL for a
    // node the machine does not have.
    void create_dsq(const Dsq& dsq, int node = -1) const
    {
        require_user(dsq, "create");
        const int nodes = detail::nr_possible_nodes();
        if (node < -1 || node >= nodes)
            throw Error("create DSQ", dsq.to_string(), EINVAL,
                        "no NUMA node " + std::to_string(node) + ": this machine has " +
                            (nodes == 1 ? "node 0" : "nodes 0 to " + std::to_string(nodes - 1)) + "; -1 means any");
        scxx_sys_args a{};
        a.dsq_id = dsq.id();
        a.arg = static_cast<__u64>(static_cast<__s64>(node));
        check(run("scxx_sys_create_dsq", a), "create DSQ", dsq);
    }

    // Destroys the user DSQ; throws ENOENT if there is no such DSQ.
    void destroy_dsq(const Dsq& dsq) const
    {
        require_user(dsq, "destroy");
        scxx_sys_args a{};
        a.dsq_id = dsq.id();
        check(run("scxx_sys_destroy_dsq", a), "destroy DSQ", dsq);
    }

    // Tasks queued on a user or LOCAL_ON DSQ; throws ENOENT if there is no such user DSQ.
    std::int32_t nr_queued(const Dsq& dsq) const
    {
        if (dsq.kind() != Dsq::Kind::user && dsq.kind() != Dsq::Kind::local_on)
            throw Error("read nr_queued of DSQ", dsq.to_string(), EINVAL,
                        "the kernel counts only user and LOCAL_ON DSQs from here; use Dsq::local_on(cpu)");
        scxx_sys_args a{};
        a.dsq_id = dsq.id();
        return check(run("scxx_sys_nr_queued", a), "read nr_queued of DSQ", dsq);
    }

    // Kicks CPU. Contradictory flags (IDLE with PREEMPT or WAIT) throw EINVAL; see validate().
    void kick_cpu(int cpu, KickFlags flags = KickFlags::none) const
    {
        validate(flags);
        detail::check_cpu(cpu, "kick");
        scxx_sys_args a{};
        a.cpu = cpu;
        a.arg = kernel_value(flags, *kernel_);
        run("scxx_sys_kick_cpu", a);
    }

    // Moves every task queued on FROM (a user DSQ) to TO (a user DSQ, the global DSQ or a CPU's
    // LOCAL_ON DSQ); returns how many moved. Throws ENOENT if FROM or TO is a user DSQ that does
    // not exist.
    std::int32_t move_all(const Dsq& from, const Dsq& to) const
    {
        if (from.kind() != Dsq::Kind::user)
            throw Error("move tasks from DSQ", from.to_string(), EINVAL,
                        "only a user DSQ's tasks can be moved from here (sched_ext iterates user DSQs only)");
        if (to.kind() == Dsq::Kind::local)
            throw Error("move tasks to DSQ", to.to_string(), EINVAL,
                        "LOCAL means the running CPU's, and the control programs run on no CPU of the "
                        "scheduler's: use Dsq::local_on(cpu)");
        if (to.kind() == Dsq::Kind::user) {
            scxx_sys_args q{};
            q.dsq_id = to.id();
            check(run("scxx_sys_nr_queued", q), "move tasks to DSQ", to);
        }
        scxx_sys_args a{};
        a.dsq_id = from.id();
        a.arg = to.id();
        return check(run("scxx_sys_move_all", a), "move tasks from DSQ", from);
    }

    // sched_ext's event counters, named and laid out as the running kernel's BTF says.
    // Throws EOPNOTSUPP on kernels before 6.15, which have none.
    std::vector<system::Event> events() const
    {
        scxx_sys_events ev{};
        run_raw("scxx_sys_events", &ev, sizeof(ev));
        if (ev.ret < 0)
            throw Error("read sched_ext events", "", -ev.ret);
        const btf* types = kernel_->types();
        std::vector<system::Event> out;
        __s32 id = btf__find_by_name_kind(types, "scx_event_stats", BTF_KIND_STRUCT);
        if (id > 0) {
            const btf_type* t = btf__type_by_id(types, static_cast<__u32>(id));
            const btf_member* m = btf_members(t);
            for (int i = 0; i < btf_vlen(t); ++i) {
                std::size_t off = btf_member_bit_offset(t, static_cast<__u32>(i)) / 8;
                if (off + sizeof(std::int64_t) > sizeof(ev.stats))
                    break;
                std::int64_t v;
                std::memcpy(&v, ev.stats + off, sizeof(v));
                out.push_back({btf__name_by_offset(types, m[i].name_off), v});
            }
        }
        return out;
    }

private:
    std::int32_t run(const char* prog_name, scxx_sys_args& a) const
    {
        run_raw(prog_name, &a, sizeof(a));
        return a.ret;
    }

    void run_raw(const char* prog_name, void* ctx, std::size_t size) const
    {
        if (tied_ && alive_.expired())
            throw Error("run control program", prog_name, ESTALE,
                        "the scheduler this Control came from has been destroyed; keep it alive while you use its "
                        "control()");
        bpf_program* prog = bpf_object__find_program_by_name(obj_, prog_name);
        if (!prog || bpf_program__fd(prog) < 0)
            throw Error("run control program", prog_name, ENOENT,
                        "not loaded: call enable_control() on the OpenScheduler before load()");
        if (int e = detail::run_syscall_program(bpf_program__fd(prog), ctx, size))
            throw Error("run control program", prog_name, e);
    }

    static std::int32_t check(std::int32_t ret, const char* what, const Dsq& dsq)
    {
        if (ret < 0)
            throw Error(what, dsq.to_string(), -ret,
                        -ret == ENOENT ? "there is no such DSQ: create it first (Control::create_dsq, or "
                                         "scxx_dsq_create() in BPF)"
                                       : "");
        return ret;
    }

    static void require_user(const Dsq& dsq, const char* what)
    {
        if (dsq.is_builtin())
            throw Error(std::string(what) + " DSQ", dsq.to_string(), EINVAL,
                        "built-in DSQs always exist; only user DSQs (Dsq::user(id)) are created and destroyed");
    }

    bpf_object* obj_;
    const KernelInfo* kernel_;
    std::weak_ptr<const bool> alive_;
    bool tied_ = false;
};

} // namespace scxx
