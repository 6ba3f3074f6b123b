// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The lifecycle of a scheduler program, from the options its command line chose (scxx/cli.hpp)
// to its exit status: run until a signal, the duration or the scheduler's exit, restarting when
// the kernel asks; print the counters while it runs and the exit (with the kernel's debug dump on
// an error) at the end. The exit status is 0 for a clean exit and 1 for an error: the kernel's,
// scxx's, or an exception from the scheduler's own code (it is detached first).

#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/log.hpp>
#include <scxx/restarts.hpp>
#include <scxx/run_options.hpp>
#include <scxx/scheduler.hpp>
#include <scxx/system.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>

namespace scxx {

// The options every scheduler program shares (Cli's --stats, --duration and -v).
struct MainOptions {
    std::string program;  // the name its messages start with
    bool stats = false;   // print the counters every run.interval
    bool verbose = false; // libbpf's and scxx's debug messages
    RunOptions run;       // interval and duration; run_main sets the callbacks
};

namespace detail {

struct NoOp {
    template <class... Args>
    void operator()(const Args&...) const noexcept {}
};

// The first line of each generation: attached, or stopped by the kernel as it was enabled
// (e.g. ops.init failed: the kernel then unregisters it although the attach succeeded).
template <class Skel>
void report_attach(const std::string& program, const AttachedScheduler<Skel>& sched, int generation)
{
    std::string again = generation > 1 ? " again, generation " + std::to_string(generation) : "";
    if (sched.exited())
        std::printf("%s: attached%s, but the kernel stopped the scheduler as it was enabled; the exit below says why\n",
                    program.c_str(), again.c_str());
    else
        std::printf("%s: attached%s (state=%s ops=%s)\n", program.c_str(), again.c_str(),
                    system::state().value_or("?").c_str(), system::root_ops().value_or("?").c_str());
    std::fflush(stdout);
}

} // namespace detail

// Runs the scheduler as OPTIONS say, restarting it when the kernel asks. CONFIGURE
// (OpenScheduler<Skel>&) sets each generation up before load; PRINT_STATS(AttachedScheduler<Skel>&)
// prints its counters (with options.stats, and once at the end); ON_ATTACH(AttachedScheduler<Skel>&)
// sees each generation attached (either may take it as const&, and should unless it writes the
// scheduler's globals); WAIT, if set, replaces the loop's sleep (RunOptions::wait). An exception
// from any of them detaches the scheduler and ends the program with status 1 and a message
// naming it. Returns the process's exit status.
template <class Skel, class Configure, class PrintStats, class OnAttach = detail::NoOp>
int run_main(const MainOptions& options, Configure configure, PrintStats print_stats, OnAttach on_attach = {},
             std::function<void(std::chrono::milliseconds)> wait = {})
{
    const char* program = options.program.c_str();
    if (options.verbose)
        set_log_level(LogLevel::debug);
    try {
        AttachedScheduler<Skel>* current = nullptr;
        RunOptions run = options.run;
        run.wait = std::move(wait);
        if (options.stats)
            run.on_interval = [&] { print_stats(*current); };
        run.on_exit = [&](const ExitInfo&) { print_stats(*current); };
        ExitInfo exit = run_with_restarts<Skel>(
            configure,
            [&](AttachedScheduler<Skel>& sched, int generation) {
                current = &sched;
                on_attach(sched);
                detail::report_attach(options.program, sched, generation);
            },
            run);
        std::printf("exit: %s\n", exit.to_string().c_str());
        if (exit.is_error() && !exit.dump.empty())
            std::printf("--- debug dump ---\n%s--- end of debug dump ---\n", exit.dump.c_str());
        std::fflush(stdout);
        return exit.is_error() ? 1 : 0;
    } catch (const Error& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        return 1;
    } catch (const std::exception& e) {
        // Unwinding detached the scheduler (its owner's destructor) before this.
        std::fflush(stdout);
        std::fprintf(stderr, "%s: stopped: the scheduler's code threw %s\n", program,
                     detail::describe_exception(e).c_str());
        return 1;
    } catch (...) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s: stopped: the scheduler's code threw an exception that is not a std::exception\n",
                     program);
        return 1;
    }
}

} // namespace scxx
