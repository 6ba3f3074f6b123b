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

#include <scxx/abi.hpp>
#include <scxx/bpf_types.hpp>
#include <scxx/btf.hpp>
#include <scxx/control.hpp>
#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/flags.hpp>
#include <scxx/kernel.hpp>
#include <scxx/log.hpp>
#include <scxx/system.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/utsname.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace scxx {

namespace detail {
inline constexpr const char* exit_map_name = "scxx_exit_info";
inline constexpr const char* exit_dump_map_name = "scxx_exit_dump";

template <class Skel>
struct SkelDeleter {
    void operator()(Skel* skel) const noexcept { Skel::destroy(skel); }
};
template <class Skel>
using SkelPtr = std::unique_ptr<Skel, SkelDeleter<Skel>>;

struct LinkDeleter {
    void operator()(bpf_link* link) const noexcept { bpf_link__destroy(link); }
};
using LinkPtr = std::unique_ptr<bpf_link, LinkDeleter>;

// The struct a struct_ops map implements ("sched_ext_ops", "tcp_congestion_ops" ...).
inline std::string struct_ops_type(bpf_object* obj, const bpf_map* map)
{
    const btf* obj_btf = bpf_object__btf(obj);
    const btf_type* t = obj_btf ? btf__type_by_id(obj_btf, bpf_map__btf_value_type_id(map)) : nullptr;
    return t ? btf__name_by_offset(obj_btf, t->name_off) : "";
}

// The struct_ops types that are sched_ext schedulers: sched_ext_ops, and 7.3's cid-form ops.
inline bool is_scheduler_ops(std::string_view type)
{
    return type == "sched_ext_ops" || type == "sched_ext_ops_cid";
}

// The object's scheduler: its one sched_ext struct_ops map, or the one named WANTED. The others
// are not created at load (their programs are not loaded either), so only this one reaches the
// kernel. Refuses objects whose struct_ops are not sched_ext schedulers.
inline bpf_map* find_struct_ops(bpf_object* obj, const std::string& name, std::string_view wanted)
{
    std::vector<bpf_map*> schedulers;
    std::string names;  // the schedulers' map names, for messages
    std::string others; // struct_ops maps of other types
    bpf_map* map;
    bpf_object__for_each_map(map, obj)
    {
        if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
            continue;
        std::string type = struct_ops_type(obj, map);
        std::string quoted = "'" + std::string(bpf_map__name(map)) + "'";
        if (!is_scheduler_ops(type)) {
            if (wanted == bpf_map__name(map))
                throw Error("open", name, EINVAL,
                            "the struct_ops map " + quoted + " is a struct " + type +
                                ", not a sched_ext scheduler (struct sched_ext_ops)");
            others += (others.empty() ? "" : ", ") + quoted + " (struct " + type + ")";
            continue;
        }
        schedulers.push_back(map);
        names += (names.empty() ? "" : ", ") + quoted;
    }
    bpf_map* chosen = nullptr;
    if (!wanted.empty()) {
        for (bpf_map* m : schedulers)
            if (wanted == bpf_map__name(m))
                chosen = m;
        if (!chosen)
            throw Error("open", name, ENOENT,
                        "the object has no scheduler named '" + std::string(wanted) + "'" +
                            (names.empty() ? std::string() : "; its schedulers: " + names));
    } else if (schedulers.size() == 1) {
        chosen = schedulers.front();
    } else if (schedulers.size() > 1) {
        throw Error("open", name, EINVAL,
                    "the object defines several schedulers (" + names +
                        "); name the one to attach: scxx::open<Skel>(\"" + bpf_map__name(schedulers.front()) + "\")");
    } else if (!others.empty()) {
        throw Error("open", name, EINVAL,
                    "the object's struct_ops " + others +
                        " is not a sched_ext scheduler (struct sched_ext_ops); scxx loads sched_ext schedulers only");
    } else {
        throw Error("open", name, EINVAL,
                    "the object defines no struct_ops map: define the scheduler with SCXX_SCHEDULER(...)");
    }
    bpf_object__for_each_map(map, obj)
    {
        if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS && map != chosen)
            bpf_map__set_autocreate(map, false);
    }
    return chosen;
}

inline ExitInfo read_exit(const bpf_map* map, const bpf_map* dump_map)
{
    if (!map)
        return {};
    scxx_exit_record rec{};
    std::uint32_t key = 0;
    if (bpf_map__lookup_elem(map, &key, sizeof(key), &rec, sizeof(rec), 0) != 0)
        return {};
    ExitInfo info;
    info.kind = static_cast<ExitKind>(rec.kind);
    info.exit_code = rec.exit_code;
    info.reason.assign(rec.reason, strnlen(rec.reason, sizeof(rec.reason)));
    info.message.assign(rec.msg, strnlen(rec.msg, sizeof(rec.msg)));
    if (dump_map && info.exited()) {
        std::string dump(exit_dump_len, '\0');
        if (bpf_map__lookup_elem(dump_map, &key, sizeof(key), dump.data(), dump.size(), 0) == 0)
            info.dump.assign(dump.c_str());
    }
    return info;
}

// Sets the object's load-time enumerators (bpf_include/scxx/enums.bpf.h: rodata variables named
// __scxx_enum_<NAME>) to the running kernel's values; 0 where the kernel lacks the enumerator.
inline void resolve_load_time_enums(bpf_object* obj, const btf* kernel_btf)
{
    constexpr std::string_view prefix = "__scxx_enum_"; // SCXX_ENUM_PREFIX in enums.bpf.h
    bpf_map* rodata = bpf_object__find_map_by_name(obj, ".rodata");
    const btf* obj_btf = bpf_object__btf(obj);
    if (!rodata || !obj_btf)
        return;
    __s32 sec_id = btf__find_by_name_kind(obj_btf, ".rodata", BTF_KIND_DATASEC);
    if (sec_id < 0)
        return;
    std::size_t size = 0;
    auto* data = static_cast<unsigned char*>(bpf_map__initial_value(rodata, &size));
    const btf_type* sec = btf__type_by_id(obj_btf, static_cast<__u32>(sec_id));
    const auto kernel = btf_read::enumerators(kernel_btf, "SCX_");
    const struct btf_var_secinfo* vars = btf_var_secinfos(sec);
    for (int i = 0; i < btf_vlen(sec); ++i) {
        const btf_type* var = btf__type_by_id(obj_btf, vars[i].type);
        std::string_view var_name = btf__name_by_offset(obj_btf, var->name_off);
        if (!var_name.starts_with(prefix) || vars[i].size != sizeof(std::uint64_t) ||
            vars[i].offset + sizeof(std::uint64_t) > size)
            continue;
        auto it = kernel.find(std::string(var_name.substr(prefix.size())));
        std::uint64_t value = it == kernel.end() ? 0 : it->second;
        std::memcpy(data + vars[i].offset, &value, sizeof(value));
    }
}

// The bytes of one member of the object's struct sched_ext_ops, in the struct_ops map's initial
// value (what libbpf copies to the kernel at load).
struct OpsField {
    unsigned char* data = nullptr;
    std::size_t size = 0;
};

// Calls FN(member name, OpsField, member type) for each member of the object's struct
// sched_ext_ops, until FN returns true.
template <class Fn>
void for_each_ops_field(bpf_object* obj, bpf_map* ops, Fn fn)
{
    const btf* obj_btf = bpf_object__btf(obj);
    const btf_type* st = obj_btf ? btf__type_by_id(obj_btf, bpf_map__btf_value_type_id(ops)) : nullptr;
    std::size_t size = 0;
    auto* data = static_cast<unsigned char*>(bpf_map__initial_value(ops, &size));
    if (!st || !btf_is_struct(st) || !data)
        return;
    const btf_member* m = btf_members(st);
    for (int i = 0; i < btf_vlen(st); ++i) {
        std::size_t off = btf_member_bit_offset(st, static_cast<__u32>(i)) / 8;
        __s64 msize = btf__resolve_size(obj_btf, m[i].type);
        if (msize <= 0 || off + static_cast<std::size_t>(msize) > size)
            continue;
        if (fn(std::string_view(btf__name_by_offset(obj_btf, m[i].name_off)),
               OpsField{data + off, static_cast<std::size_t>(msize)}, btf__type_by_id(obj_btf, m[i].type)))
            return;
    }
}

// MEMBER of the object's struct sched_ext_ops; null data if the object's ops lack it.
inline OpsField ops_field(bpf_object* obj, bpf_map* ops, std::string_view member)
{
    OpsField found;
    for_each_ops_field(obj, ops, [&](std::string_view name, OpsField field, const btf_type*) {
        if (name != member)
            return false;
        found = field;
        return true;
    });
    return found;
}

// Clears an ops member before load; for a callback, its program is then not loaded either.
inline void clear_ops_field(OpsField field, const btf_type* type)
{
    if (type && btf_is_ptr(type)) { // a callback: libbpf keeps the program's pointer here
        bpf_program* prog;
        std::memcpy(&prog, field.data, sizeof(prog));
        if (prog)
            bpf_program__set_autoload(prog, false);
    }
    std::memset(field.data, 0, field.size);
}

// Fits the object's struct sched_ext_ops to the running kernel before load: clears the members this
// kernel lacks (a callback of a newer kernel; its program is then not loaded either), reported at
// debug level, and sets hotplug_seq so that a CPU hotplug between load and attach is noticed.
inline void adapt_ops_to_kernel(bpf_object* obj, bpf_map* ops, const KernelInfo& kernel, const std::string& name)
{
    if (!kernel.has_sched_ext())
        return;
    const std::string ops_type = struct_ops_type(obj, ops);
    if (!kernel.has_struct(ops_type))
        throw Error("open", name, EOPNOTSUPP,
                    kernel.description() + " has no struct " + ops_type + " (the struct_ops map '" +
                        bpf_map__name(ops) + "'); it needs a newer kernel");
    for_each_ops_field(obj, ops, [&](std::string_view member, OpsField field, const btf_type* type) {
        if (member == "hotplug_seq" && kernel.has_struct_member(ops_type, member)) {
            std::uint64_t seq = system::hotplug_seq().value_or(0);
            std::memcpy(field.data, &seq, sizeof(seq));
            return false;
        }
        bool set = false;
        for (std::size_t b = 0; b < field.size; ++b)
            set |= field.data[b] != 0;
        if (!set || kernel.has_struct_member(ops_type, member))
            return false;
        clear_ops_field(field, type);
        emit(LogLevel::debug, name,
             kernel.description() + " has no " + ops_type + "." + std::string(member) + "; left it unset\n");
        return false;
    });
}

// The running kernel's build configuration, for libbpf's __kconfig externs, when it is where
// libbpf does not look: libbpf reads /boot/config-<release> and /proc/config.gz only, while some
// distributions (Debian's 7.x packages) ship it as /usr/lib/modules/<release>/config alone.
// Empty when libbpf will find it itself, or nothing has it.
inline std::string kernel_config_for_libbpf(const std::string& release)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists("/boot/config-" + release, ec) || fs::exists("/proc/config.gz", ec))
        return {};
    for (const char* dir : {"/usr/lib/modules/", "/lib/modules/"}) {
        std::ifstream in(dir + release + "/config");
        if (in)
            return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return {};
}

// Why a load failed, in words, from what libbpf said.
inline std::string load_hint(const std::string& log, int err)
{
    // The kfunc libbpf could not bind: "kfunc 'X' is referenced but wasn't resolved" (a weak one
    // called unguarded) or "extern (func ksym) 'X': not found in kernel" (a strong one).
    auto quoted_before = [&](std::string_view marker) -> std::string {
        auto at = log.find(marker);
        auto end = at == std::string::npos ? at : log.rfind('\'', at);
        auto begin = end == std::string::npos || end == 0 ? end : log.rfind('\'', end - 1);
        return begin == std::string::npos ? std::string() : log.substr(begin + 1, end - begin - 1);
    };
    std::string kfunc = quoted_before("' is referenced but wasn't resolved");
    if (kfunc.empty())
        kfunc = quoted_before("': not found in kernel");
    if (!kfunc.empty() && kfunc.find(' ') == std::string::npos)
        return KernelInfo::running().description() + " has no kfunc '" + kfunc +
               "': guard the call with bpf_ksym_exists(" + kfunc +
               ") or use scxx's portable call (bpf_include/scxx/portable.bpf.h)";
    if (log.find("-- BEGIN PROG LOAD LOG --") != std::string::npos)
        return "the verifier rejected a program";
    if (log.find("not found in kernel") != std::string::npos)
        return "the object uses a type or ops field that " + KernelInfo::running().description() + " lacks";
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

// Wakes a sleeping run loop at once: the SIGINT/SIGTERM handler and a stop request write to it,
// and the loop sleeps in poll() on it. So a signal that lands between the loop's check and its
// sleep is not lost for an interval, and a stop from another thread needs no polling.
class Wakeup {
public:
    Wakeup() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
    ~Wakeup()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    int fd() const noexcept { return fd_; }
    void notify() const noexcept { notify_fd(fd_); }
    static void notify_fd(int fd) noexcept // async-signal-safe
    {
        std::uint64_t one = 1;
        if (fd >= 0)
            [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof(one));
    }
    // Sleeps for TIME or until notified (without an eventfd, for TIME).
    void sleep(std::chrono::milliseconds time) const noexcept
    {
        pollfd p{fd_, POLLIN, 0};
        int ms = static_cast<int>(std::min<std::chrono::milliseconds::rep>(time.count(), INT_MAX));
        if (::poll(&p, 1, ms) > 0) {
            std::uint64_t value;
            [[maybe_unused]] ssize_t n = ::read(fd_, &value, sizeof(value));
        }
    }

private:
    int fd_;
};

// Set by the run loop's SIGINT/SIGTERM handler, which also wakes the loop through signal_wakeup.
// Read only while the handlers are installed (StopSignals::active()), so a signal that stopped an
// earlier run does not stop a later one that does not handle signals.
inline volatile std::sig_atomic_t stop_signal = 0;
inline std::atomic<int> signal_wakeup{-1};
extern "C" inline void on_stop_signal(int sig)
{
    stop_signal = sig;
    Wakeup::notify_fd(signal_wakeup.load(std::memory_order_relaxed));
}

// Points the signal handler at WAKEUP for its lifetime (and back at the outer one after).
class SignalWakeup {
public:
    explicit SignalWakeup(const Wakeup& wakeup) : outer_(signal_wakeup.exchange(wakeup.fd())) {}
    ~SignalWakeup() { signal_wakeup.store(outer_); }
    SignalWakeup(const SignalWakeup&) = delete;
    SignalWakeup& operator=(const SignalWakeup&) = delete;

private:
    int outer_;
};

// Installs the run loop's signal handlers for its lifetime and restores the previous ones after.
// Nests: only the outermost instance installs and restores, so a signal that arrives between two
// runs of run_with_restarts is kept rather than lost (or fatal) while the next one starts. The
// handlers are process-wide: a program that runs schedulers from several threads stops them with
// RunOptions::stop and handle_signals = false instead.
class StopSignals {
public:
    StopSignals()
    {
        if (depth_.fetch_add(1) > 0)
            return;
        stop_signal = 0;
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int_);
        sigaction(SIGTERM, &sa, &old_term_);
    }
    ~StopSignals()
    {
        if (depth_.fetch_sub(1) > 1)
            return;
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Whether a stop signal arrived since the outermost instance installed the handlers.
    static bool caught() noexcept { return depth_.load() > 0 && stop_signal != 0; }

private:
    static inline std::atomic<int> depth_ = 0;
    static inline struct sigaction old_int_ {};
    static inline struct sigaction old_term_ {};
};
} // namespace detail

template <class Skel>
class LoadedScheduler;
template <class Skel>
class AttachedScheduler;

// What run() does while the scheduler is attached.
struct RunOptions {
    // How often on_interval is called (and the stop conditions checked at the latest).
    std::chrono::milliseconds interval{1000};
    // Called every interval while attached, e.g. to print counters.
    std::function<void()> on_interval;
    // Called once detached, with why it stopped (the maps can still be read).
    std::function<void(const ExitInfo&)> on_exit;
    // Detach after this long; zero means until a signal, a stop request or the kernel's exit.
    std::chrono::milliseconds duration{0};
    // Stop on SIGINT and SIGTERM (handlers installed for the duration of run()).
    bool handle_signals = true;
    // Stop when this is requested (std::stop_source::request_stop(), e.g. from another thread): the
    // sleeping loop wakes at once; one serving through WAIT notices at the end of its budget.
    std::stop_token stop;
    // How the loop passes the time between its checks (at most the given time each call; it may
    // return early). Unset: it sleeps. A userspace policy serves its tasks here instead.
    std::function<void(std::chrono::milliseconds)> wait;
};

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
        int err = Skel::load(skel_.get());
        if (err != 0) {
            int e = detail::positive_errno(err);
            std::string hint = detail::abi_load_hint(abi_level_);
            if (hint.empty())
                hint = detail::load_hint(capture.text(), e);
            throw Error("load", name_, e, hint, capture.take());
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
    detail::abi_choice = build;
    utsname uts{};
    const std::string kconfig = uname(&uts) == 0 ? detail::kernel_config_for_libbpf(uts.release) : std::string();
    bpf_object_open_opts opts{};
    opts.sz = sizeof(opts);
    opts.kconfig = kconfig.empty() ? nullptr : kconfig.c_str();
    Skel* raw = Skel::open(&opts);
    detail::abi_choice = nullptr;
    if (!raw)
        throw Error("open", "scheduler", detail::positive_errno(-errno), "libbpf could not open the BPF object",
                    capture.take());
    detail::SkelPtr<Skel> skel(raw);
    std::string name = bpf_object__name(skel->obj);
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
    return OpenScheduler<Skel>(std::move(skel), std::move(name), ops_map, abi_level);
}

// Runs a scheduler and starts it again whenever the kernel asks for a restart (an exit code with
// SCX_ECODE_ACT_RESTART, e.g. after a CPU hotplug), at most MAX_RESTARTS times. Each generation is
// opened afresh: CONFIGURE(OpenScheduler<Skel>&) sets it up, ON_ATTACH(AttachedScheduler<Skel>&, int
// generation) sees it attached. Returns the exit that ended the last generation.
template <class Skel, class Configure, class OnAttach>
ExitInfo run_with_restarts(Configure configure, OnAttach on_attach, const RunOptions& options = {},
                           int max_restarts = 16)
{
    std::unique_ptr<detail::StopSignals> signals;
    if (options.handle_signals)
        signals = std::make_unique<detail::StopSignals>();
    auto stopped = [&] { return options.stop.stop_requested() || (signals && detail::StopSignals::caught()); };
    ExitInfo exit;
    for (int generation = 1;; ++generation) {
        auto opened = open<Skel>();
        configure(opened);
        auto loaded = std::move(opened).load();
        if (stopped() && generation > 1)
            return exit; // stopped while restarting: the last generation's exit says why it ended
        auto sched = std::move(loaded).attach();
        on_attach(sched, generation);
        exit = sched.run(options);
        if (!exit.should_restart() || generation > max_restarts || stopped())
            return exit;
        detail::emit(LogLevel::info, sched.name(), "restarting after " + exit.to_string() + "\n");
    }
}

} // namespace scxx
