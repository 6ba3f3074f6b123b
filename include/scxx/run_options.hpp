// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// What a scheduler's run loop does and what stops it: RunOptions (interval, duration, callbacks, a
// caller's stop_token), and the SIGINT/SIGTERM handling and wake-up the loop sleeps on.
// AttachedScheduler::run() (scheduler.hpp) and run_with_restarts() (restarts.hpp) take them.

#include <scxx/exit_info.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdint>
#include <functional>
#include <stop_token>

namespace scxx {

namespace detail {
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
// Read only while the handlers are installed (StopSignals::caught()), so a signal that stopped an
// earlier run does not stop a later one that does not handle signals.
inline volatile std::sig_atomic_t stop_signal = 0;
inline std::atomic<int> signal_wakeup{-1};
extern "C" inline void on_stop_signal(int sig)
{
    const int saved_errno = errno; // the interrupted code may be about to read it
    stop_signal = sig;
    Wakeup::notify_fd(signal_wakeup.load(std::memory_order_relaxed));
    errno = saved_errno;
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

} // namespace scxx
