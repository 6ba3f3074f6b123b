// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The engine that serves a Policy (userspace_policy.hpp) for an attached scheduler built by
// scxx_add_userspace_scheduler: records from BPF in, decisions out in batches, sleeping when there
// is no work, a heartbeat BPF watches, and both sides' stats. scxx::userspace::run (userspace.hpp)
// drives it under the Cli; a program with its own loop can drive it directly.

#include <scxx/control.hpp>
#include <scxx/error.hpp>
#include <scxx/log.hpp>
#include <scxx/maps.hpp>
#include <scxx/scheduler.hpp>
#include <scxx/stats.hpp>
#include <scxx/userspace_policy.hpp>

#include <bpf/libbpf.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace scxx::userspace {

namespace detail {
inline std::uint64_t monotonic_ns() noexcept
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000ull + std::uint64_t(ts.tv_nsec);
}
} // namespace detail

// The userspace side's stats, as Runner::add_stats adds them (the BPF side's: scxx_us_stats).
namespace userspace_stats {
inline constexpr StatInfo waiting{"waiting", "tasks sent to the policy and not placed yet", StatKind::gauge};
inline constexpr StatInfo received{"received", "runnable tasks handed to the policy", StatKind::counter};
inline constexpr StatInfo decided{"decided", "decisions the policy sent", StatKind::counter};
inline constexpr StatInfo batches{"batches", "batches of decisions sent to the kernel", StatKind::counter};
inline constexpr StatInfo mean_batch{"mean_batch", "decisions per batch, on average since the start",
                                     StatKind::gauge};
inline constexpr StatInfo max_batch{"max_batch", "the largest batch sent", StatKind::gauge};
inline constexpr StatInfo latency_us{"latency_us",
                                     "microseconds from BPF sending a task to its decision, on average",
                                     StatKind::gauge};
inline constexpr StatInfo max_latency_us{"max_latency_us", "microseconds from BPF sending a task to its decision, at most",
                                         StatKind::gauge};
inline constexpr StatInfo events{"events", "stopped and cpu_idle records received", StatKind::counter};
inline constexpr StatInfo sleeps{"sleeps", "times the policy's loop waited for work", StatKind::counter};
inline constexpr StatInfo parked{"parked", "times BPF held the loop's thread while it waited (a CPU runs it when work comes)",
                                 StatKind::counter};
inline constexpr StatInfo polls{"polls", "times the loop waited in poll instead: BPF did not hold it", StatKind::counter};
} // namespace userspace_stats

// Serves a Policy for a scheduler built by scxx_add_userspace_scheduler (skeleton type Skel).
template <class Skel>
class Runner {
public:
    Runner(Policy& policy, Options options) : policy_(policy), options_(std::move(options)) {}
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    // Before load: who the policy process is, and the options BPF works with.
    void configure(OpenScheduler<Skel>& open)
    {
        if (options_.batch == 0)
            throw Error("configure", "userspace policy", EINVAL, "the batch size must be at least 1");
        if (options_.fallback.count() <= 0)
            throw Error("configure", "userspace policy", EINVAL, "the fallback time must be positive");
        auto& ro = open.rodata();
        ro.scxx_us_tgid = getpid();
        ro.scxx_us_fallback_ns = static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(options_.fallback).count());
        ro.scxx_us_slice_ns = static_cast<std::uint64_t>(options_.slice.count());
        ro.scxx_us_want = static_cast<std::uint32_t>(policy_.wants());
        ro.scxx_us_batch = static_cast<std::uint32_t>(options_.batch);
        // Callbacks only the optional events need cost a BPF program run per context switch or
        // idle transition: leave them out when the policy does not want those events.
        if (!(ro.scxx_us_want & SCXX_US_WANT_STOPPED))
            open.unset_callback("stopping");
        if (!(ro.scxx_us_want & SCXX_US_WANT_CPU_IDLE))
            open.unset_callback("update_idle");
        batch_.resize(options_.batch);
        if (options_.lock_memory && !locked_ && !sanitized) {
            if (mlockall(MCL_CURRENT | MCL_FUTURE) == 0)
                locked_ = true;
            else
                scxx::detail::emit(LogLevel::warn, "userspace policy",
                                   std::string("mlockall failed (") + std::strerror(errno) +
                                       "): the policy's memory may be paged out\n");
        }
    }

    // Each generation, once attached: connects to its maps and programs.
    void attach(AttachedScheduler<Skel>& sched)
    {
        to_user_.reset();
        to_user_.emplace(sched.maps().scxx_us_to_user, [this](const scxx_us_event& ev) { receive(ev); });
        from_user_.reset();
        from_user_.emplace(sched.maps().scxx_us_from_user);
        kick_fd_ = bpf_program__fd(sched.progs().scxx_us_kick_idle);
        pick_fd_ = bpf_program__fd(sched.progs().scxx_us_pick_idle_cpu);
        stats_map_ = sched.maps().scxx_us_stats;
        waiting_ = &sched.bss().scxx_us_nr_waiting;
        alive_ = &sched.bss().scxx_us_alive_ns;
        stalled_at_ = &sched.bss().scxx_us_stalled_at;
        sleeping_ = &sched.bss().scxx_us_sleeping;
        policy_tid_ = &sched.bss().scxx_us_policy_tid;
        park_until_ = &sched.bss().scxx_us_park_until_ns;
        parks_ = &sched.bss().scxx_us_parks;
        pending_ = 0;
        kick_due_ = false;
        last_alive_ns_ = 0;
    }

    // Serves the policy for up to BUDGET: records in, decisions out, sleeping while there is no work.
    void serve(std::chrono::milliseconds budget)
    {
        const std::uint64_t deadline = detail::monotonic_ns() + std::uint64_t(budget.count()) * 1000000ull;
        __atomic_store_n(policy_tid_, gettid(), __ATOMIC_RELAXED); // the thread BPF parks
        for (;;) {
            heartbeat();
            int received = consume();
            // Full batches went out and the loop does not sleep yet: wake an idle CPU, if any, to
            // apply them now (one syscall; BPF wakes more idle CPUs for the further tasks it places).
            if (kick_due_ && received > 0)
                kick();
            kick_due_ = false;
            std::size_t sent = decide();
            std::uint64_t t = detail::monotonic_ns();
            if (t >= deadline)
                return;
            if (received == 0 && sent == 0)
                wait_for_work(deadline);
        }
    }

    // Hands the records still queued by BPF to the policy without deciding (after detach).
    void drain() { consume(); }

    // An idle CPU TASK may use, claimed for it (so no other decision picks it), or -1 if none.
    int pick_idle_cpu(const Task& task) const
    {
        scxx_us_pick_args args{task.pid, -1};
        if (int e = scxx::detail::run_syscall_program(pick_fd_, &args, sizeof(args)))
            throw Error("pick an idle CPU", "userspace policy", e);
        return args.cpu >= 0 ? args.cpu : -1;
    }

    const Stats& stats() const noexcept { return stats_; }

    KernelStats kernel_stats() const
    {
        KernelStats k;
        static_cast<scxx_us_stats&>(k) = BpfStats<scxx_us_stats>(stats_map_).total();
        k.waiting = __atomic_load_n(waiting_, __ATOMIC_RELAXED);
        k.parked = __atomic_load_n(parks_, __ATOMIC_RELAXED);
        return k;
    }

    // Both sides' stats, for the Cli's outputs (described by stat_infos()).
    void add_stats(Snapshot& out) const
    {
        namespace i = userspace_stats;
        BpfStats<scxx_us_stats>(stats_map_).add_to(out);
        out.add(i::waiting, __atomic_load_n(waiting_, __ATOMIC_RELAXED));
        out.add(i::received, stats_.received);
        out.add(i::decided, stats_.decided);
        out.add(i::batches, stats_.batches);
        out.add(i::mean_batch, stats_.mean_batch());
        out.add(i::max_batch, stats_.max_batch);
        out.add(i::latency_us, stats_.mean_latency_us());
        out.add(i::max_latency_us, static_cast<double>(stats_.latency_max_ns) / 1000);
        out.add(i::events, stats_.events);
        out.add(i::sleeps, stats_.sleeps);
        out.add(i::parked, __atomic_load_n(parks_, __ATOMIC_RELAXED));
        out.add(i::polls, stats_.polls);
    }

    // What add_stats adds, for Cli::describe_stats.
    static std::vector<StatInfo> stat_infos()
    {
        namespace i = userspace_stats;
        std::vector<StatInfo> out = scxx::stat_infos<scxx_us_stats>();
        out.insert(out.end(), {i::waiting, i::received, i::decided, i::batches, i::mean_batch, i::max_batch,
                               i::latency_us, i::max_latency_us, i::events, i::sleeps, i::parked, i::polls});
        return out;
    }

private:
    // Under AddressSanitizer memory is not locked: its shadow mappings span terabytes.
#if defined(__SANITIZE_ADDRESS__)
    static constexpr bool sanitized = true;
#elif defined(__has_feature)
    static constexpr bool sanitized = __has_feature(address_sanitizer);
#else
    static constexpr bool sanitized = false;
#endif

    // Nothing to do: wait for BPF to send more, until DEADLINE at the latest. Going to sleep is
    // what gets the decisions of a partial batch applied: this CPU's ops.dispatch runs next. BPF
    // sends records without waking the loop unless it says it sleeps, and reads that after
    // committing a record: so say it first, then look once more. The loop yields the CPU and BPF
    // parks this thread (scxx_us_sleep in scxx/userspace.h): a CPU that runs out of work runs it
    // again without a wakeup. If BPF did not park it (its scheduler is going away), it says so and
    // waits in poll, where BPF's wakeups reach it.
    void wait_for_work(std::uint64_t deadline)
    {
        ++stats_.sleeps;
        __atomic_store_n(park_until_, deadline, __ATOMIC_RELAXED);
        __atomic_store_n(sleeping_, std::uint32_t(SCXX_US_SLEEPING), __ATOMIC_SEQ_CST);
        // BPF does not park it while records wait, counting one from its reservation: one still
        // being written is not consumed yet, so it yields again (a few times) before it polls.
        for (int tries = 0; consume() == 0; ++tries) {
            const std::uint64_t parks = __atomic_load_n(parks_, __ATOMIC_SEQ_CST);
            sched_yield();
            if (__atomic_load_n(parks_, __ATOMIC_SEQ_CST) != parks)
                break; // parked, and now woken
            if (tries < 3) {
                __atomic_store_n(sleeping_, std::uint32_t(SCXX_US_SLEEPING), __ATOMIC_SEQ_CST);
                continue;
            }
            __atomic_store_n(sleeping_, std::uint32_t(SCXX_US_POLLING), __ATOMIC_SEQ_CST);
            const std::uint64_t t = detail::monotonic_ns();
            if (consume() == 0 && t < deadline) {
                ++stats_.polls;
                poll(std::chrono::milliseconds((deadline - t + 999999) / 1000000));
            }
            break;
        }
        __atomic_store_n(sleeping_, std::uint32_t(SCXX_US_AWAKE), __ATOMIC_SEQ_CST);
    }

    int poll(std::chrono::milliseconds timeout) { return rethrow(to_user_->poll(timeout)); }
    int consume() { return rethrow(to_user_->consume()); }
    // A policy's exception, kept by receive(), surfaces here, outside libbpf's callback.
    int rethrow(int n)
    {
        if (failure_)
            std::rethrow_exception(std::exchange(failure_, nullptr));
        return n;
    }

    // Called by the ring buffer for each record; exceptions must not cross libbpf's C frames.
    void receive(const scxx_us_event& ev) noexcept
    {
        if (failure_)
            return;
        const char* callback = "enqueue";
        try {
            switch (ev.kind) {
            case SCXX_US_RUNNABLE: {
                Task t;
                t.pid = ev.pid;
                t.cpu = ev.cpu;
                t.weight = ev.weight;
                t.nr_cpus_allowed = ev.nr_cpus_allowed;
                t.runtime_ns = ev.runtime_ns;
                t.enqueued_ns = ev.at_ns;
                t.enq_flags = ev.enq_flags;
                t.token = ev.token;
                ++stats_.received;
                policy_.enqueue(t);
                break;
            }
            case SCXX_US_STOPPED:
                ++stats_.events;
                callback = "stopped";
                policy_.stopped(ev.pid, ev.runtime_ns, ev.token != 0);
                break;
            case SCXX_US_CPU_IDLE:
                ++stats_.events;
                callback = "cpu_idle";
                policy_.cpu_idle(ev.cpu);
                break;
            default:
                break;
            }
        } catch (...) {
            failure_ = policy_failure(callback);
        }
    }

    // The policy's exception from CALLBACK (being handled) as the scxx::Error the loop throws.
    static std::exception_ptr policy_failure(const char* callback) noexcept
    {
        const std::string object = std::string("Policy::") + callback;
        try {
            throw;
        } catch (const Error&) {
            return std::current_exception();
        } catch (const std::exception& e) {
            return std::make_exception_ptr(
                Error("run", object, ECANCELED, "it threw " + scxx::detail::describe_exception(e)));
        } catch (...) {
            return std::make_exception_ptr(
                Error("run", object, ECANCELED, "it threw an exception that is not a std::exception"));
        }
    }

    // Asks the policy for decisions until it has none; returns how many were sent.
    std::size_t decide()
    {
        std::size_t sent = 0;
        std::uint64_t now = 0; // one clock read per call: the decisions are sent together
        Decision d;
        for (;;) {
            bool more;
            try {
                more = policy_.dispatch(d);
            } catch (...) {
                std::rethrow_exception(policy_failure("dispatch"));
            }
            if (!more)
                break;
            batch_[pending_++] = scxx_us_decision{d.pid, d.cpu, d.token, d.slice_ns, d.vtime};
            if (now == 0)
                now = detail::monotonic_ns();
            account(d, now);
            ++sent;
            if (pending_ == batch_.size()) {
                flush();
                kick_due_ = true;
            }
        }
        flush();
        return sent;
    }

    void account(const Decision& d, std::uint64_t now)
    {
        ++stats_.decided;
        std::uint64_t latency = now > d.enqueued_ns && d.enqueued_ns != 0 ? now - d.enqueued_ns : 0;
        stats_.latency_sum_ns += latency;
        stats_.latency_max_ns = std::max(stats_.latency_max_ns, latency);
    }

    // Sends the pending decisions. BPF applies them when a CPU looks for work: at the latest the
    // policy's own, when the loop sleeps.
    void flush()
    {
        if (pending_ == 0)
            return;
        for (std::size_t i = 0; i < pending_; ++i) {
            if (!from_user_->try_push(batch_[i])) {
                kick(); // full: get a CPU to drain it, then wait for room
                from_user_->push(batch_[i], options_.fallback);
            }
        }
        ++stats_.batches;
        stats_.max_batch = std::max<std::uint64_t>(stats_.max_batch, pending_);
        pending_ = 0;
    }

    void kick()
    {
        scxx_us_pick_args args{0, -1};
        if (int e = scxx::detail::run_syscall_program(kick_fd_, &args, sizeof(args)))
            throw Error("wake a CPU", "userspace policy", e);
    }

    // Tells BPF that the policy runs (BPF bypasses it after a fallback until then), and reports
    // when it did not run for longer than the fallback time while tasks waited (e.g. SIGSTOP).
    void heartbeat()
    {
        const std::uint64_t now = detail::monotonic_ns();
        const std::uint64_t fallback_ns =
            std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(options_.fallback).count());
        const std::uint64_t stalled_at = __atomic_load_n(stalled_at_, __ATOMIC_RELAXED);
        if (last_alive_ns_ != 0 && now - last_alive_ns_ > fallback_ns && stalled_at > last_alive_ns_) {
            const KernelStats k = kernel_stats();
            scxx::detail::emit(LogLevel::warn, "userspace policy",
                               "the policy did not run for " + std::to_string((now - last_alive_ns_) / 1000000) +
                                   " ms; the kernel side ran its tasks meanwhile (fell back: " +
                                   std::to_string(k.fallback) + ", bypassed: " + std::to_string(k.bypassed) + ")\n");
        }
        last_alive_ns_ = now;
        __atomic_store_n(alive_, now, __ATOMIC_RELAXED);
    }

    Policy& policy_;
    Options options_;
    Stats stats_;
    std::optional<RingBuffer<scxx_us_event>> to_user_;
    std::optional<UserRingBuffer<scxx_us_decision>> from_user_;
    std::vector<scxx_us_decision> batch_;
    std::size_t pending_ = 0;
    int kick_fd_ = -1;
    int pick_fd_ = -1;
    const bpf_map* stats_map_ = nullptr;
    const std::int64_t* waiting_ = nullptr;
    std::uint32_t* sleeping_ = nullptr;
    std::int32_t* policy_tid_ = nullptr;
    std::uint64_t* park_until_ = nullptr;
    const std::uint64_t* parks_ = nullptr;
    std::uint64_t* alive_ = nullptr;
    const std::uint64_t* stalled_at_ = nullptr;
    std::exception_ptr failure_;
    std::uint64_t last_alive_ns_ = 0;
    bool locked_ = false;
    bool kick_due_ = false; // a full batch was sent
};

} // namespace scxx::userspace
