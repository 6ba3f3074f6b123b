// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The lifecycle of a scheduler program, from the options its command line chose (scxx/cli.hpp)
// to its exit status: run until a signal, the duration or the scheduler's exit, restarting when
// the kernel asks; show the stats while it runs (as text or JSON lines, and in a Prometheus
// metrics file) and the exit (with the kernel's debug dump on an error) at the end. The exit
// status is 0 for a clean exit and 1 for an error: the kernel's, scxx's, or an exception from the
// scheduler's own code (it is detached first).

#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/log.hpp>
#include <scxx/restarts.hpp>
#include <scxx/run_options.hpp>
#include <scxx/scheduler.hpp>
#include <scxx/stats.hpp>
#include <scxx/stats_client.hpp>
#include <scxx/stats_output.hpp>
#include <scxx/stats_server.hpp>
#include <scxx/system.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>

namespace scxx {

enum class StatsFormat { text, json };

// The options every scheduler program shares (Cli's --stats, --stats-format, --metrics-file,
// --duration and -v).
struct MainOptions {
    std::string program;          // the name its messages start with
    bool stats = false;           // show the stats every run.interval
    StatsFormat stats_format = StatsFormat::text;
    std::string metrics_file;     // if set, the stats in Prometheus' format, rewritten every interval
    std::string stats_socket;     // if set, the stats served there (scx_stats' protocol)
    std::optional<gid_t> stats_group; // ... to this group too
    bool monitor = false;         // read a running instance's stats from stats_socket instead
    bool verbose = false;         // libbpf's and scxx's debug messages
    RunOptions run;               // interval and duration; run_main sets the callbacks
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

// Shows the stats of each interval as OPTIONS ask: text (with rates since the last) or a JSON line
// on stdout, and the metrics file.
class StatsReporter {
public:
    StatsReporter(const MainOptions& options, StatsServer* server) : options_(options), server_(server) {}

    void report(const Snapshot& now, bool print)
    {
        if (print) {
            if (options_.stats_format == StatsFormat::json) {
                std::fputs(format_json(now, options_.program).c_str(), stdout);
            } else {
                std::printf("%s stats:\n%s", options_.program.c_str(),
                            format_text(now, previous_ ? &*previous_ : nullptr).c_str());
            }
            std::fflush(stdout);
        }
        if (!options_.metrics_file.empty())
            write_file_atomically(options_.metrics_file, format_prometheus(now, options_.program));
        if (server_)
            server_->publish(now);
        previous_ = now;
    }

private:
    const MainOptions& options_;
    StatsServer* server_;
    std::optional<Snapshot> previous_;
};

} // namespace detail

// Runs the scheduler as OPTIONS say, restarting it when the kernel asks. CONFIGURE
// (OpenScheduler<Skel>&) sets each generation up before load. STATS is called every interval
// (with options.stats, a metrics file or a stats socket), as each generation attaches (snapshots
// only) and once at the end: as STATS(AttachedScheduler<Skel>&,
// Snapshot&) it adds the scheduler's numbers to the snapshot, which run_main shows in every form
// OPTIONS ask for; as STATS(AttachedScheduler<Skel>&) it prints them itself. ON_ATTACH(AttachedScheduler<Skel>&)
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
    if (options.monitor)
        return monitor(options.program, options.stats_socket, options.run.interval, options.run.duration,
                       options.stats_format == StatsFormat::json);
    try {
        constexpr bool snapshots = std::is_invocable_v<PrintStats&, AttachedScheduler<Skel>&, Snapshot&>;
        if constexpr (!snapshots)
            if (!options.metrics_file.empty() || !options.stats_socket.empty() ||
                options.stats_format != StatsFormat::text)
                throw Error("run", options.program, EINVAL,
                            "--metrics-file, --stats-socket and --stats-format json need the program's stats as a "
                            "snapshot (a stats callback taking (sched, scxx::Snapshot&)); this one prints its own");
        // The socket first: a path in use or unsafe fails before anything is attached.
        std::optional<StatsServer> server;
        if (!options.stats_socket.empty())
            server.emplace(options.stats_socket, options.program, options.stats_group);
        AttachedScheduler<Skel>* current = nullptr;
        RunOptions run = options.run;
        run.wait = std::move(wait);
        detail::StatsReporter reporter(options, server ? &*server : nullptr);
        auto stats = [&](bool print) {
            if constexpr (snapshots) {
                Snapshot now;
                print_stats(*current, now);
                reporter.report(now, print);
            } else {
                if (print)
                    print_stats(*current);
            }
        };
        if (options.stats || !options.metrics_file.empty() || server)
            run.on_interval = [&] { stats(options.stats); };
        run.on_exit = [&](const ExitInfo&) { stats(true); };
        ExitInfo exit = run_with_restarts<Skel>(
            configure,
            [&](AttachedScheduler<Skel>& sched, int generation) {
                current = &sched;
                on_attach(sched);
                detail::report_attach(options.program, sched, generation);
                if constexpr (snapshots)
                    stats(false); // what the socket serves and the first rates start from
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
