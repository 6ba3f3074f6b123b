// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The command line and main loop every scxx scheduler shares, so that a scheduler's main() is only
// what is particular to it:
//
//   int main(int argc, char** argv)
//   {
//       bool fifo = false;
//       scxx::Cli cli("simple", "a global FIFO or weighted-vtime scheduler");
//       cli.flag("--fifo", "first-come-first-served instead of weighted vtime", fifo);
//       return cli.run<simple_bpf>(argc, argv,
//           [&](scxx::OpenScheduler<simple_bpf>& open) { open.rodata().fifo = fifo; },
//           [&](const scxx::AttachedScheduler<simple_bpf>& sched) { print counters });
//   }
//
// Every scheduler gets: --stats [SECONDS] (print the counters at that interval, default 1),
// --duration SECONDS, -v (debug messages), -h/--help; SIGINT/SIGTERM detach cleanly; a restart exit
// (e.g. CPU hotplug) restarts it; the exit info (with the kernel's debug dump on an error) is
// printed at the end; the exit status is 0 for a clean exit, 1 for an error, 2 for a usage error.

#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/log.hpp>
#include <scxx/scheduler.hpp>
#include <scxx/system.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scxx {

namespace detail {
struct NoOp {
    template <class... Args>
    void operator()(const Args&...) const noexcept {}
};
} // namespace detail

class Cli {
public:
    Cli(std::string program, std::string summary) : program_(std::move(program)), summary_(std::move(summary)) {}

    // A switch: TARGET becomes true when NAME is given.
    Cli& flag(std::string name, std::string help, bool& target)
    {
        options_.push_back({std::move(name), "", std::move(help), [&target](std::string_view) { target = true; }});
        return *this;
    }

    // An option with a value (VALUE_NAME in the help). APPLY parses it and throws std::invalid_argument
    // with a message on a bad value.
    Cli& option(std::string name, std::string value_name, std::string help, std::function<void(std::string_view)> apply)
    {
        options_.push_back({std::move(name), std::move(value_name), std::move(help), std::move(apply)});
        return *this;
    }

    // Parses the command line; returns the exit status when the program should stop now (--help: 0,
    // a usage error: 2, after printing why and the usage).
    std::optional<int> parse(int argc, char** argv)
    {
        for (int i = 1; i < argc; ++i) {
            std::string_view arg = argv[i];
            auto next_number = [&]() -> std::optional<double> {
                if (i + 1 >= argc)
                    return std::nullopt;
                char* end = nullptr;
                double v = std::strtod(argv[i + 1], &end);
                if (*end != '\0' || v <= 0)
                    return std::nullopt;
                ++i;
                return v;
            };
            if (arg == "-h" || arg == "--help") {
                std::fputs(usage().c_str(), stdout);
                return 0;
            }
            if (arg == "-v" || arg == "--verbose") {
                verbose_ = true;
            } else if (arg == "--stats") {
                stats_ = true;
                if (auto v = next_number())
                    run_.interval = to_ms(*v);
            } else if (arg == "--duration") {
                auto v = next_number();
                if (!v)
                    return usage_error("--duration needs a positive number of seconds");
                run_.duration = to_ms(*v);
            } else if (const Option* o = find(arg)) {
                std::string_view value;
                if (!o->value_name.empty()) {
                    if (i + 1 >= argc)
                        return usage_error(std::string(arg) + " needs " + o->value_name);
                    value = argv[++i];
                }
                try {
                    o->apply(value);
                } catch (const std::invalid_argument& e) {
                    return usage_error(std::string(arg) + ": " + e.what());
                }
            } else {
                return usage_error("unknown argument '" + std::string(arg) + "'");
            }
        }
        if (verbose_)
            set_log_level(LogLevel::debug);
        return std::nullopt;
    }

    bool stats() const noexcept { return stats_; }
    bool verbose() const noexcept { return verbose_; }
    const RunOptions& run_options() const noexcept { return run_; }

    // Parses the command line, then runs the scheduler until a signal, --duration or its exit,
    // restarting it when the kernel asks. CONFIGURE(OpenScheduler<Skel>&) sets it up before load;
    // PRINT_STATS(const AttachedScheduler<Skel>&) prints its counters (with --stats, and once at
    // the end); ON_ATTACH(const AttachedScheduler<Skel>&) sees each generation attached; WAIT, if
    // set, replaces the loop's sleep (RunOptions::wait). Returns the process's exit status.
    template <class Skel, class Configure, class PrintStats, class OnAttach = detail::NoOp>
    int run(int argc, char** argv, Configure configure, PrintStats print_stats, OnAttach on_attach = {},
            std::function<void(std::chrono::milliseconds)> wait = {})
    {
        if (auto status = parse(argc, argv))
            return *status;
        try {
            const AttachedScheduler<Skel>* current = nullptr;
            RunOptions run = run_;
            run.wait = std::move(wait);
            if (stats_)
                run.on_interval = [&] { print_stats(*current); };
            run.on_exit = [&](const ExitInfo&) { print_stats(*current); };
            ExitInfo exit = run_with_restarts<Skel>(
                configure,
                [&](const AttachedScheduler<Skel>& sched, int generation) {
                    current = &sched;
                    on_attach(sched);
                    std::printf("%s: attached%s (state=%s ops=%s)\n", program_.c_str(),
                                generation > 1 ? (" again, generation " + std::to_string(generation)).c_str() : "",
                                system::state().value_or("?").c_str(), system::root_ops().value_or("?").c_str());
                    std::fflush(stdout);
                },
                run);
            std::printf("exit: %s\n", exit.to_string().c_str());
            if (exit.is_error() && !exit.dump.empty())
                std::printf("--- debug dump ---\n%s--- end of debug dump ---\n", exit.dump.c_str());
            std::fflush(stdout);
            return exit.is_error() ? 1 : 0;
        } catch (const Error& e) {
            std::fprintf(stderr, "%s: %s\n", program_.c_str(), e.what());
            return 1;
        }
    }

    std::string usage() const
    {
        std::string out = "usage: " + program_ + " [options]\n" + summary_ + "\n\n";
        auto line = [&](std::string left, const std::string& help) {
            left.resize(std::max<std::size_t>(left.size() + 2, 24), ' ');
            out += "  " + left + help + "\n";
        };
        for (const Option& o : options_)
            line(o.name + (o.value_name.empty() ? "" : " " + o.value_name), o.help);
        line("--stats [SECONDS]", "print the counters every SECONDS (default 1)");
        line("--duration SECONDS", "detach after SECONDS (default: until SIGINT/SIGTERM)");
        line("-v, --verbose", "print libbpf's and scxx's debug messages");
        line("-h, --help", "print this help");
        return out;
    }

private:
    struct Option {
        std::string name, value_name, help;
        std::function<void(std::string_view)> apply;
    };

    const Option* find(std::string_view name) const
    {
        for (const Option& o : options_)
            if (o.name == name)
                return &o;
        return nullptr;
    }
    int usage_error(const std::string& why) const
    {
        std::fprintf(stderr, "%s: %s\n%s", program_.c_str(), why.c_str(), usage().c_str());
        return 2;
    }
    static std::chrono::milliseconds to_ms(double seconds)
    {
        return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    }

    std::string program_, summary_;
    std::vector<Option> options_;
    RunOptions run_;
    bool stats_ = false;
    bool verbose_ = false;
};

} // namespace scxx
