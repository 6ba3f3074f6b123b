// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// A sched_ext scheduler's lifecycle over a bpftool skeleton, as move-only types:
//
//   auto open = scxx::open<minimal_bpf>();          // parsed, nothing in the kernel yet
//   open.skel().rodata->fifo = true;                 // read-only data may be set only here
//   auto sched = std::move(open).load().attach();    // verified, then attached through a link
//   scxx::ExitInfo exit = sched.run({...});          // until SIGINT/SIGTERM or the kernel ejects it
//
// Each step consumes the previous owner, so nothing can be configured after load. The attached
// scheduler is detached by its destructor (noexcept); the kernel also detaches it if the process
// dies, because the attachment is a BPF link owned by the process.
//
// Beside it: ops.hpp (the object's ops before load, through BTF), run_options.hpp (what run()
// does and what stops it), restarts.hpp (run_with_restarts).

#include <scxx/abi.hpp>
#include <scxx/bpf_types.hpp>
#include <scxx/control.hpp>
#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/flags.hpp>
#include <scxx/kernel.hpp>
#include <scxx/log.hpp>
#include <scxx/ops.hpp>
#include <scxx/run_options.hpp>
#include <scxx/system.hpp>
#include <scxx/topology.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scxx {

namespace detail {
// Why a load failed, in words, from structured facts only: the errno, the program the verifier
// refused and its log (VerifierLog), and the kfuncs the object calls that the kernel lacks
// (missing_kfuncs). Nothing depends on how libbpf words its messages.
inline std::string load_hint(int err, const std::vector<std::string>& missing, const char* refused,
                             std::string_view verifier_log)
{
    auto no_kfunc = [](const std::string& kfunc) {
        return KernelInfo::running().description() + " has no kfunc '" + kfunc + "': guard the call with bpf_ksym_exists(" +
               kfunc + ") or use scxx's portable call (bpf_include/scxx/portable.bpf.h)";
    };
    if (refused) {
        // An unguarded call of a missing kfunc: libbpf turned it into an invalid call, which the
        // verifier's log (as libbpf completes it) names.
        for (const std::string& kfunc : missing)
            if (verifier_log.find("'" + kfunc + "'") != std::string_view::npos)
                return no_kfunc(kfunc);
        std::string hint = "the verifier rejected program '" + std::string(refused) + "'";
        // The kernel keeps a long log's end and then fails with ENOSPC, which libbpf reports in
        // place of the refusal's own errno.
        if (err == ENOSPC && verifier_log.size() + 1 >= VerifierLog::per_program)
            hint += " (its log outgrew the " + std::to_string(VerifierLog::per_program / 1024) +
                    " KiB kept, so the errno is the log's, not the refusal's: the reason is at the log's end)";
        return hint;
    }
    // Before any program: libbpf could not bind a kfunc the object declares strong (ESRCH).
    if (err == ESRCH && !missing.empty())
        return no_kfunc(missing.front());
    if ((err == EPERM || err == EACCES) && geteuid() != 0)
        return "loading a BPF scheduler needs root (CAP_BPF and CAP_SYS_ADMIN)";
    return {};
}

// 6.16 and 6.17 enable a scheduler in the attaching thread, switching tasks over one by one while the
// ones already switched run ahead of the rest; under full CPU load the attaching thread (still an
// ordinary task) and RCU's kthread can then starve for many seconds (seen with CPU hogs after a
// hotplug restart). 7.3 enables from a SCHED_FIFO kthread (scx_enable_helper); this gives the
// attaching thread that priority for the duration of the attach. Best effort: without
// CAP_SYS_NICE it stays as it is.
class RealtimeWhileEnabling {
public:
    RealtimeWhileEnabling()
    {
        policy_ = sched_getscheduler(0);
        if (policy_ < 0 || sched_getparam(0, &param_) != 0 || policy_ == SCHED_FIFO || policy_ == SCHED_RR)
            return;
        struct sched_param rt {};
        rt.sched_priority = 1;
        raised_ = sched_setscheduler(0, SCHED_FIFO, &rt) == 0;
    }
    ~RealtimeWhileEnabling()
    {
        if (raised_)
            sched_setscheduler(0, policy_, &param_);
    }
    RealtimeWhileEnabling(const RealtimeWhileEnabling&) = delete;
    RealtimeWhileEnabling& operator=(const RealtimeWhileEnabling&) = delete;

private:
    int policy_ = -1;
    struct sched_param param_ {};
    bool raised_ = false;
};
} // namespace detail

template <class Skel>
class LoadedScheduler;
template <class Skel>
class AttachedScheduler;

// Step 1: the object is parsed and its maps and programs can be configured. Nothing is in the kernel.
// Everything that only the load can fix (read-only data, ops fields, map sizes) is set here, and only
// here: the later steps have no way to change it.
template <class Skel>
class OpenScheduler {
public:
    // The skeleton: read-only data, map sizes, program autoload.
    Skel& skel() noexcept { return *skel_; }
    // The object's read-only data (const volatile globals), e.g. rodata().fifo = true.
    auto& rodata() noexcept
        requires requires(Skel& s) { *s.rodata; }
    {
        return *skel_->rodata;
    }
    const std::string& name() const noexcept { return name_; }
    // The kernel ABI level of the build that was opened (SCXX_ABI_ANY, SCXX_ABI_6_16 ...; scxx/abi.hpp).
    int abi_level() const noexcept { return abi_level_; }

    // Leaves the callback ops.MEMBER (e.g. "stopping") unset: the kernel will not call it, and its
    // program is not loaded. Throws if the object's ops have no such callback.
    OpenScheduler& unset_callback(std::string_view member)
    {
        bool found = false;
        detail::for_each_ops_field(skel_->obj, ops_, [&](std::string_view name, detail::OpsField field,
                                                         const btf_type* type) {
            if (name != member || !type || !btf_is_ptr(type))
                return false;
            detail::clear_ops_field(field, type);
            found = true;
            return true;
        });
        if (!found)
            throw Error("unset sched_ext_ops." + std::string(member), name_, EINVAL,
                        "the object's struct sched_ext_ops has no such callback");
        return *this;
    }

    // The topology an object that includes scxx/topology.bpf.h sees: open() gave it this machine's
    // (Topology::read()); pass another to test topology code against a machine you do not have.
    OpenScheduler& topology(const Topology& t)
        requires requires(Skel& s) { s.rodata->scxx_topo_nr_cpu_ids; }
    {
        detail::write_bpf_topology(*skel_->rodata, t, name_);
        return *this;
    }

    // Loads the runtime's control programs too, for AttachedScheduler::control().
    OpenScheduler& enable_control()
    {
        bpf_program* prog;
        bpf_object__for_each_program(prog, skel_->obj)
        {
            if (std::string_view(bpf_program__name(prog)).starts_with(detail::control_prefix))
                bpf_program__set_autoload(prog, true);
        }
        return *this;
    }

    // Sets sched_ext_ops.flags (replacing what the BPF side's SCXX_SCHEDULER(.flags = ...) set),
    // encoded for the running kernel. Throws for a flag this kernel lacks, and
    // for BUILTIN_IDLE_PER_NODE when ops.update_idle replaces the built-in idle tracking without
    // KEEP_BUILTIN_IDLE (the kernel would refuse the scheduler at attach).
    OpenScheduler& flags(OpsFlags flags)
    {
        if (has(flags, OpsFlags::builtin_idle_per_node) && !has(flags, OpsFlags::keep_builtin_idle) &&
            ops_callback_set("update_idle"))
            throw Error("set ops flags", name_, EINVAL,
                        "BUILTIN_IDLE_PER_NODE needs the built-in idle tracking, which ops.update_idle turns off: "
                        "add OpsFlags::keep_builtin_idle or drop update_idle");
        std::uint64_t value = kernel_value(flags);
        set_ops("flags", &value, sizeof(value));
        return *this;
    }

    // sched_ext_ops.timeout_ms: how long a runnable task may wait before the watchdog ejects the
    // scheduler. 1 ms to 30 s (the kernel's maximum, also its default).
    OpenScheduler& timeout(std::chrono::milliseconds timeout)
    {
        if (timeout.count() < 1 || timeout.count() > 30000)
            throw Error("set watchdog timeout", name_, EINVAL,
                        std::to_string(timeout.count()) + " ms is outside 1 ms to 30000 ms, the kernel's range");
        auto ms = static_cast<std::uint32_t>(timeout.count());
        set_ops("timeout_ms", &ms, sizeof(ms));
        return *this;
    }

    // sched_ext_ops.exit_dump_len: how much of the kernel's debug dump an error exit keeps (at most
    // the runtime's buffer, 32768 bytes).
    OpenScheduler& exit_dump_len(std::uint32_t bytes)
    {
        if (bytes == 0 || bytes > detail::exit_dump_len)
            throw Error("set exit_dump_len", name_, EINVAL,
                        std::to_string(bytes) + " is outside 1 to " + std::to_string(detail::exit_dump_len) +
                            " bytes (scxx's exit dump buffer)");
        set_ops("exit_dump_len", &bytes, sizeof(bytes));
        return *this;
    }

    // Appends SUFFIX to sched_ext_ops.name (what /sys/kernel/sched_ext/root/ops shows), e.g. to tell
    // two configurations apart. Letters, digits, '_' and '.' only; the whole name stays under 128.
    OpenScheduler& name_suffix(std::string_view suffix)
    {
        detail::OpsField field = detail::ops_field(skel_->obj, ops_, "name");
        if (!field.data)
            throw Error("set name suffix", name_, EINVAL, "the object's ops have no name field");
        for (char c : suffix)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.')
                throw Error("set name suffix", std::string(suffix), EINVAL,
                            "the kernel accepts only letters, digits, '_' and '.' in a scheduler's name");
        std::size_t used = strnlen(reinterpret_cast<const char*>(field.data), field.size);
        if (used + suffix.size() >= field.size)
            throw Error("set name suffix", std::string(suffix), ENAMETOOLONG,
                        "the name would be " + std::to_string(used + suffix.size()) + " characters; the limit is " +
                            std::to_string(field.size - 1));
        std::memcpy(field.data + used, suffix.data(), suffix.size());
        return *this;
    }

    // On an lvalue: refused at compile time, with the fix (each step consumes the previous owner).
    template <class Self = OpenScheduler>
    LoadedScheduler<Skel> load() &
    {
        static_assert(sizeof(Self) == 0, "load() consumes the OpenScheduler: call std::move(open).load()");
        return std::move(*this).load();
    }

    // Verifies and loads the programs and maps; the verifier's log is in the Error if it refuses.
    LoadedScheduler<Skel> load() &&
    {
        detail::LogCapture capture(name_);
        detail::VerifierLog verifier(skel_->obj);
        int err = Skel::load(skel_.get());
        if (err != 0) {
            int e = detail::positive_errno(err);
            const bpf_program* refused = verifier.refused();
            const char* refused_name = refused ? bpf_program__name(refused) : nullptr;
            std::string hint = detail::abi_load_hint(abi_level_);
            if (hint.empty())
                hint = detail::load_hint(e,
                                         detail::missing_kfuncs(skel_->obj, skel_->skeleton->data,
                                                                skel_->skeleton->data_sz, KernelInfo::running()),
                                         refused_name, verifier.text());
            // The verifier's account when it refused a program; else all libbpf said.
            std::string log = capture.take();
            if (refused)
                log = detail::verifier_excerpt(refused_name, verifier.text());
            throw Error("load", name_, e, hint, log);
        }
        return LoadedScheduler<Skel>(std::move(skel_), name_, ops_);
    }

private:
    template <class S>
    friend OpenScheduler<S> open(std::string_view);
    OpenScheduler(detail::SkelPtr<Skel> skel, std::string name, bpf_map* ops, int abi_level)
        : skel_(std::move(skel)), name_(std::move(name)), ops_(ops), abi_level_(abi_level)
    {
    }

    void set_ops(std::string_view member, const void* value, std::size_t size)
    {
        detail::OpsField field = detail::ops_field(skel_->obj, ops_, member);
        if (!field.data || field.size != size)
            throw Error("set sched_ext_ops." + std::string(member), name_, EINVAL,
                        "the object's struct sched_ext_ops has no such field of " + std::to_string(size) + " bytes");
        std::memcpy(field.data, value, size);
    }

    bool ops_callback_set(std::string_view member) const
    {
        detail::OpsField field = detail::ops_field(skel_->obj, ops_, member);
        for (std::size_t i = 0; i < field.size; ++i)
            if (field.data[i] != 0)
                return true;
        return false;
    }

    detail::SkelPtr<Skel> skel_;
    std::string name_;
    bpf_map* ops_;
    int abi_level_;
};

// What a loaded or attached scheduler shows of its skeleton: maps, programs and the writable
// globals (bss, data), which a const scheduler shows as const. Read-only data is const from here
// on: the kernel froze it at load.
template <class Skel, class Derived>
class LoadedView {
public:
    const auto& maps() const noexcept { return self().skel_->maps; }
    const auto& progs() const noexcept { return self().skel_->progs; }
    bpf_object* object() const noexcept { return self().skel_->obj; }
    const auto& rodata() const noexcept
        requires requires(Skel& s) { *s.rodata; }
    {
        return *self().skel_->rodata;
    }
    auto& bss() noexcept
        requires requires(Skel& s) { *s.bss; }
    {
        return *self().skel_->bss;
    }
    const auto& bss() const noexcept
        requires requires(Skel& s) { *s.bss; }
    {
        return *self().skel_->bss;
    }
    auto& data() noexcept
        requires requires(Skel& s) { *s.data; }
    {
        return *self().skel_->data;
    }
    const auto& data() const noexcept
        requires requires(Skel& s) { *s.data; }
    {
        return *self().skel_->data;
    }

private:
    const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
};

// Step 2: verified and in the kernel, not scheduling yet.
template <class Skel>
class LoadedScheduler : public LoadedView<Skel, LoadedScheduler<Skel>> {
public:
    const std::string& name() const noexcept { return name_; }

    // On an lvalue: refused at compile time, with the fix.
    template <class Self = LoadedScheduler>
    AttachedScheduler<Skel> attach() &
    {
        static_assert(sizeof(Self) == 0, "attach() consumes the LoadedScheduler: call std::move(loaded).attach()");
        return std::move(*this).attach();
    }

    // Makes it the system's scheduler. Fails (EBUSY) if another sched_ext scheduler is attached.
    AttachedScheduler<Skel> attach() &&
    {
        detail::LogCapture capture(name_);
        bpf_link* link = nullptr;
        {
            detail::RealtimeWhileEnabling boost;
            link = bpf_map__attach_struct_ops(ops_);
        }
        if (!link) {
            int e = detail::positive_errno(-errno);
            std::string hint;
            if (e == EBUSY || e == EEXIST) {
                auto other = system::root_ops();
                hint = "another sched_ext scheduler" + (other ? " ('" + *other + "')" : std::string()) +
                       " is attached; stop it first";
            } else if (e == EPERM || e == EACCES) {
                hint = "attaching a scheduler needs root (CAP_SYS_ADMIN)";
            }
            throw Error("attach", name_, e, hint, capture.take());
        }
        return AttachedScheduler<Skel>(std::move(skel_), name_, detail::LinkPtr(link));
    }

private:
    friend class OpenScheduler<Skel>;
    friend class LoadedView<Skel, LoadedScheduler>;
    LoadedScheduler(detail::SkelPtr<Skel> skel, std::string name, bpf_map* ops)
        : skel_(std::move(skel)), name_(std::move(name)), ops_(ops)
    {
    }

    detail::SkelPtr<Skel> skel_;
    std::string name_;
    bpf_map* ops_;
};

// Step 3: the system's scheduler until detach(), destruction, the process's death or the kernel's exit.
template <class Skel>
class AttachedScheduler : public LoadedView<Skel, AttachedScheduler<Skel>> {
public:
    AttachedScheduler(AttachedScheduler&& other) noexcept
        : skel_(std::move(other.skel_)),
          name_(std::move(other.name_)),
          link_(std::move(other.link_)),
          exit_map_(std::exchange(other.exit_map_, nullptr)),
          exit_dump_map_(std::exchange(other.exit_dump_map_, nullptr)),
          enable_seq_(other.enable_seq_),
          detached_(std::exchange(other.detached_, false)),
          stopped_by_kernel_(other.stopped_by_kernel_),
          alive_(std::move(other.alive_))
    {
    }
    AttachedScheduler& operator=(AttachedScheduler&& other) noexcept
    {
        if (this != &other) {
            detach(); // the link must go before the object it points into
            link_ = std::move(other.link_);
            skel_ = std::move(other.skel_);
            name_ = std::move(other.name_);
            exit_map_ = std::exchange(other.exit_map_, nullptr);
            exit_dump_map_ = std::exchange(other.exit_dump_map_, nullptr);
            enable_seq_ = other.enable_seq_;
            detached_ = std::exchange(other.detached_, false);
            stopped_by_kernel_ = other.stopped_by_kernel_;
            alive_ = std::move(other.alive_); // this one's old object is gone: its Controls see it
        }
        return *this;
    }
    ~AttachedScheduler() { detach(); }

    const std::string& name() const noexcept { return name_; }

    // Userspace control through the runtime's programs (see enable_control()). It may be kept,
    // but not used after this scheduler is gone: its calls then throw ESTALE.
    Control control() const { return Control(skel_->obj, alive_); }

    // True once the kernel stopped the scheduler (error, scx_bpf_exit, SysRq) or it was detached.
    // Seen in the exit record ops.exit fills, and, for an object whose own ops.exit records
    // nothing, in sched_ext's sysfs state: no longer enabled, or another scheduler enabled since.
    bool exited() const { return detail::read_exit(exit_map_, nullptr).exited() || ejected(); }

    // Detaches (if still attached) and returns why it stopped; UNREG if it was still running.
    ExitInfo detach() noexcept
    {
        if (link_) {
            stopped_by_kernel_ = ejected();
            // Unregisters synchronously: ops.exit has run when this returns.
            bpf_link__detach(link_.get());
            link_.reset();
            detached_ = true;
        }
        ExitInfo exit = detail::read_exit(exit_map_, exit_dump_map_);
        if (exit.exited() || !detached_)
            return exit;
        // The object's own ops.exit recorded nothing: say what scxx saw.
        exit.kind = stopped_by_kernel_ ? ExitKind::unknown : ExitKind::unreg;
        exit.reason = stopped_by_kernel_ ? "stopped by the kernel" : "unregistered from user space";
        exit.message = "the object's ops.exit records no exit info; call scxx_record_exit(ei) (or UEI_RECORD) from it";
        return exit;
    }

    // Runs until SIGINT/SIGTERM, the duration, or the kernel's exit; then detaches. Between
    // intervals the process sleeps (or serves, with options.wait): it wakes once per interval,
    // at the end of the duration and on a stop signal, and looks for the kernel's exit each
    // time, as the kernel's example loaders do once a second. A loader that woke more often
    // would take CPU time from the workload it schedules.
    ExitInfo run(const RunOptions& options = {})
    {
        using clock = std::chrono::steady_clock;
        std::unique_ptr<detail::StopSignals> signals;
        if (options.handle_signals)
            signals = std::make_unique<detail::StopSignals>();
        const detail::Wakeup wakeup;
        std::optional<detail::SignalWakeup> wake_on_signal;
        if (signals)
            wake_on_signal.emplace(wakeup);
        std::stop_callback on_stop(options.stop, [&wakeup] { wakeup.notify(); });
        auto stopped = [&] { return options.stop.stop_requested() || (signals && detail::StopSignals::caught()); };
        const auto interval = std::max(options.interval, std::chrono::milliseconds(1));
        const auto start = clock::now();
        const auto end = options.duration.count() > 0 ? start + options.duration : clock::time_point::max();
        auto next_interval = start + interval;
        while (!stopped() && !exited()) {
            auto now = clock::now();
            if (now >= end)
                break;
            if (now >= next_interval) {
                if (options.on_interval)
                    options.on_interval();
                next_interval = std::max(next_interval + interval, now);
                continue;
            }
            auto until = std::chrono::ceil<std::chrono::milliseconds>(std::min(next_interval, end) - now);
            if (options.wait)
                options.wait(until);
            else
                wakeup.sleep(until);
        }
        wake_on_signal.reset();
        ExitInfo exit = detach();
        if (options.on_exit)
            options.on_exit(exit);
        return exit;
    }

private:
    friend class LoadedScheduler<Skel>;
    friend class LoadedView<Skel, AttachedScheduler>;
    AttachedScheduler(detail::SkelPtr<Skel> skel, std::string name, detail::LinkPtr link)
        : skel_(std::move(skel)), name_(std::move(name)), link_(std::move(link))
    {
        exit_map_ = bpf_object__find_map_by_name(skel_->obj, detail::exit_map_name);
        exit_dump_map_ = bpf_object__find_map_by_name(skel_->obj, detail::exit_dump_map_name);
        enable_seq_ = system::enable_seq();
    }

    // Whether sched_ext no longer runs this scheduler although it is still linked: its state left
    // "enabled", or another scheduler was enabled since (enable_seq counts enables).
    bool ejected() const
    {
        if (!link_)
            return false;
        return system::state() != "enabled" || system::enable_seq() != enable_seq_;
    }

    detail::SkelPtr<Skel> skel_;
    std::string name_;
    detail::LinkPtr link_;
    const bpf_map* exit_map_ = nullptr;
    const bpf_map* exit_dump_map_ = nullptr;
    std::optional<std::uint64_t> enable_seq_;
    bool detached_ = false;           // detach() ended the link
    bool stopped_by_kernel_ = false;  // ... after the kernel had stopped the scheduler
    std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true); // expires with the object
};

// Opens a skeleton's object. Fails if this kernel has no sched_ext or the object is not a scheduler.
// An object that defines several schedulers (struct_ops maps) names the one to attach: OPS.
template <class Skel>
OpenScheduler<Skel> open(std::string_view ops = {})
{
    detail::LogCapture capture("scheduler");
    // Which build of the object (one per kernel ABI level, see scxx/abi.hpp); a skeleton not made
    // by scxx_add_bpf_skeleton has only the one.
    const detail::AbiBuild* build = nullptr;
    if constexpr (requires { scxx_abi_builds(static_cast<const Skel*>(nullptr)); })
        build = &detail::abi_choose(scxx_abi_builds(static_cast<const Skel*>(nullptr)), "scheduler");
    utsname uts{};
    const std::string kconfig = uname(&uts) == 0 ? detail::kernel_config_for_libbpf(uts.release) : std::string();
    bpf_object_open_opts opts{};
    opts.sz = sizeof(opts);
    opts.kconfig = kconfig.empty() ? nullptr : kconfig.c_str();
    Skel* raw = Skel::open(&opts);
    if (!raw)
        throw Error("open", "scheduler", detail::positive_errno(-errno), "libbpf could not open the BPF object",
                    capture.take());
    detail::SkelPtr<Skel> skel(raw);
    std::string name = bpf_object__name(skel->obj);
    if (std::size_t size = 0; build && skel->skeleton->data != build->bytes(&size))
        throw Error("open", name, EINVAL,
                    "the skeleton opened another build than the one for ABI level " + abi_level_name(build->level) +
                        " (was SCXX_ABI changed while it opened?)");
    int abi_level = build ? build->level : SCXX_ABI_ANY;
    detail::emit(LogLevel::debug, name, "opened the build for ABI level " + abi_level_name(abi_level) + "\n");
    if (!system::available())
        throw Error("open", name, EOPNOTSUPP,
                    "this kernel has no sched_ext (/sys/kernel/sched_ext is missing); it needs "
                    "CONFIG_SCHED_CLASS_EXT=y (Linux 6.12 or later)");
    bpf_map* ops_map = detail::find_struct_ops(skel->obj, name, ops);
    const KernelInfo& kernel = KernelInfo::running();
    detail::resolve_load_time_enums(skel->obj, kernel.types());
    detail::adapt_ops_to_kernel(skel->obj, ops_map, kernel, name);
    const bpf_map* exit_map = bpf_object__find_map_by_name(skel->obj, detail::exit_map_name);
    if (!exit_map)
        throw Error("open", name, EINVAL,
                    "the object has no scxx_exit_info map: include <scxx/scxx.bpf.h> in its BPF source");
    if (bpf_map__value_size(exit_map) != sizeof(scxx_exit_record))
        throw Error("open", name, EINVAL,
                    "its exit record is " + std::to_string(bpf_map__value_size(exit_map)) + " bytes, this scxx's " +
                        std::to_string(sizeof(scxx_exit_record)) +
                        ": the object was built with another version of scxx's bpf_include; rebuild it");
    OpenScheduler<Skel> result(std::move(skel), std::move(name), ops_map, abi_level);
    if constexpr (requires(Skel& s) { s.rodata->scxx_topo_nr_cpu_ids; })
        result.topology(Topology::read());
    return result;
}

} // namespace scxx
