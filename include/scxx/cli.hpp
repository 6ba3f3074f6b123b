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
// --duration SECONDS, -v (debug messages), --version, -h/--help; options with a value take it as
// the next argument or after '=' (--stats=2); "--" ends the options. SIGINT/SIGTERM detach
// cleanly; a restart exit (e.g. CPU hotplug) restarts it; the exit info (with the kernel's debug
// dump on an error) is printed at the end. The exit status is 0 for a clean exit, 1 for an error
// (the kernel's, scxx's, or an exception from the scheduler's own code: it is detached first), 2
// for a usage error.

#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/log.hpp>
#include <scxx/number.hpp>
#include <scxx/restarts.hpp>
#include <scxx/scheduler.hpp>
#include <scxx/system.hpp>
#include <scxx/version.hpp>

#include <bpf/libbpf.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
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
    // Durations on the command line: 1 ms (less would round to "until a signal") to a year.
    static constexpr double min_seconds = 0.001;
    static constexpr double max_seconds = 365.0 * 24 * 3600;

    Cli(std::string program, std::string summary) : program_(std::move(program)), summary_(std::move(summary)) {}

    // A switch: TARGET becomes true when NAME is given.
    Cli& flag(std::string name, std::string help, bool& target)
    {
        options_.push_back({std::move(name), "", std::move(help), Value::none, [&target](std::string_view) { target = true; }});
        return *this;
    }

    // An option with a value (VALUE_NAME in the help). APPLY parses it and throws std::invalid_argument
    // (or any std::exception) with a message on a bad value, as scxx::parse_integer and
    // scxx::parse_seconds do: a usage error naming the option.
    Cli& option(std::string name, std::string value_name, std::string help, std::function<void(std::string_view)> apply)
    {
        options_.push_back({std::move(name), std::move(value_name), std::move(help), Value::required, std::move(apply)});
        return *this;
    }

    // An integer option: TARGET becomes its value, which must be in [MIN, MAX].
    template <std::integral T>
    Cli& option(std::string name, std::string value_name, std::string help, T& target, T min, T max)
    {
        return option(std::move(name), std::move(value_name), std::move(help),
                      [&target, min, max](std::string_view v) { target = parse_integer(v, min, max); });
    }

    // A duration given in seconds (fractions allowed), from min_seconds to max_seconds.
    Cli& option(std::string name, std::string value_name, std::string help, std::chrono::milliseconds& target)
    {
        return option(std::move(name), std::move(value_name), std::move(help),
                      [&target](std::string_view v) { target = parse_seconds(v, min_seconds, max_seconds); });
    }

    // The arguments after "--" (VALUE_NAME in the help), e.g. a command to run. Without this, a
    // scheduler takes none.
    Cli& operands(std::string value_name, std::string help, std::vector<std::string>& target)
    {
        operands_ = &target;
        operands_name_ = std::move(value_name);
        operands_help_ = std::move(help);
        return *this;
    }

    // The program's own version, printed by --version with scxx's and libbpf's.
    Cli& version(std::string v)
    {
        version_ = std::move(v);
        return *this;
    }

    // Parses the command line; returns the exit status when the program should stop now (--help
    // and --version: 0; a usage error: 2, after printing why and the usage).
    std::optional<int> parse(int argc, char** argv)
    {
        std::vector<Option> builtins = builtin_options();
        bool only_operands = false;
        for (int i = 1; i < argc; ++i) {
            std::string_view arg = argv[i];
            if (only_operands || arg.size() < 2 || arg[0] != '-') {
                if (!operands_)
                    return usage_error("unexpected argument '" + std::string(arg) + "'" +
                                       (only_operands ? ": " + program_ + " takes no operands" : std::string()));
                if (!only_operands)
                    return usage_error("unexpected argument '" + std::string(arg) + "': " + operands_name_ +
                                       " follows \"--\"");
                operands_->emplace_back(arg);
                continue;
            }
            if (arg == "--") {
                only_operands = true;
                continue;
            }
            // --name=value
            std::string_view name = arg;
            std::optional<std::string_view> attached;
            if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
                name = arg.substr(0, eq);
                attached = arg.substr(eq + 1);
            }
            const Option* o = find(options_, name);
            if (!o)
                o = find(builtins, name);
            if (!o)
                return usage_error("unknown argument '" + std::string(name) + "'");
            std::string_view value;
            switch (o->value) {
            case Value::none:
                if (attached)
                    return usage_error(std::string(name) + " takes no value");
                break;
            case Value::required:
                if (attached)
                    value = *attached;
                else if (i + 1 < argc)
                    value = argv[++i];
                else
                    return usage_error(std::string(name) + " needs " + o->value_name);
                break;
            case Value::optional:
                // The next argument is the value unless it is another option.
                if (attached)
                    value = *attached;
                else if (i + 1 < argc && looks_like_value(argv[i + 1]))
                    value = argv[++i];
                break;
            }
            try {
                o->apply(value);
            } catch (const std::exception& e) { // std::invalid_argument, or e.g. std::stoi's out_of_range
                return usage_error(std::string(name) + ": " + e.what());
            }
            if (stop_now_) {
                std::fputs(stop_output_.c_str(), stdout);
                return 0;
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
    // PRINT_STATS(AttachedScheduler<Skel>&) prints its counters (with --stats, and once at the
    // end); ON_ATTACH(AttachedScheduler<Skel>&) sees each generation attached (either may take it
    // as const&, and should unless it writes the scheduler's globals); WAIT, if
    // set, replaces the loop's sleep (RunOptions::wait). An exception from any of them detaches
    // the scheduler and ends the program with status 1 and a message naming it. Returns the
    // process's exit status.
    template <class Skel, class Configure, class PrintStats, class OnAttach = detail::NoOp>
    int run(int argc, char** argv, Configure configure, PrintStats print_stats, OnAttach on_attach = {},
            std::function<void(std::chrono::milliseconds)> wait = {})
    {
        if (auto status = parse(argc, argv))
            return *status;
        try {
            AttachedScheduler<Skel>* current = nullptr;
            RunOptions run = run_;
            run.wait = std::move(wait);
            if (stats_)
                run.on_interval = [&] { print_stats(*current); };
            run.on_exit = [&](const ExitInfo&) { print_stats(*current); };
            ExitInfo exit = run_with_restarts<Skel>(
                configure,
                [&](AttachedScheduler<Skel>& sched, int generation) {
                    current = &sched;
                    on_attach(sched);
                    report_attach(sched, generation);
                },
                run);
            std::printf("exit: %s\n", exit.to_string().c_str());
            if (exit.is_error() && !exit.dump.empty())
                std::printf("--- debug dump ---\n%s--- end of debug dump ---\n", exit.dump.c_str());
            std::fflush(stdout);
            return exit.is_error() ? 1 : 0;
        } catch (const Error& e) {
            std::fflush(stdout);
            std::fprintf(stderr, "%s: %s\n", program_.c_str(), e.what());
            return 1;
        } catch (const std::exception& e) {
            // Unwinding detached the scheduler (its owner's destructor) before this.
            std::fflush(stdout);
            std::fprintf(stderr, "%s: stopped: the scheduler's code threw %s\n", program_.c_str(),
                         detail::describe_exception(e).c_str());
            return 1;
        } catch (...) {
            std::fflush(stdout);
            std::fprintf(stderr, "%s: stopped: the scheduler's code threw an exception that is not a std::exception\n",
                         program_.c_str());
            return 1;
        }
    }

    std::string usage() const
    {
        std::string out = "usage: " + program_ + " [options]" +
                          (operands_ ? " [-- " + operands_name_ + "]" : std::string()) + "\n" + summary_ + "\n\n";
        auto line = [&](std::string left, const std::string& help) {
            left.resize(std::max<std::size_t>(left.size() + 2, 24), ' ');
            out += "  " + left + help + "\n";
        };
        for (const Option& o : options_)
            line(o.name + (o.value_name.empty() ? "" : " " + o.value_name), o.help);
        line("--stats [SECONDS]", "print the counters every SECONDS (default 1)");
        line("--duration SECONDS", "detach after SECONDS (default: until SIGINT/SIGTERM)");
        line("-v, --verbose", "print libbpf's and scxx's debug messages");
        line("--version", "print the versions of this program, scxx and libbpf");
        line("-h, --help", "print this help");
        if (operands_)
            line("-- " + operands_name_, operands_help_);
        return out;
    }

private:
    enum class Value { none, required, optional };
    struct Option {
        std::string name, value_name, help;
        Value value;
        std::function<void(std::string_view)> apply;
    };

    // The options every scheduler has (their help lines are in usage()).
    std::vector<Option> builtin_options()
    {
        auto help = [this](std::string_view) { stop_with(usage()); };
        auto verbose = [this](std::string_view) { verbose_ = true; };
        return {
            {"--stats", "SECONDS", "", Value::optional,
             [this](std::string_view v) {
                 stats_ = true;
                 if (!v.empty())
                     run_.interval = parse_seconds(v, min_seconds, max_seconds);
             }},
            {"--duration", "SECONDS", "", Value::required,
             [this](std::string_view v) { run_.duration = parse_seconds(v, min_seconds, max_seconds); }},
            {"-v", "", "", Value::none, verbose},
            {"--verbose", "", "", Value::none, verbose},
            {"--version", "", "", Value::none,
             [this](std::string_view) {
                 stop_with(program_ + (version_.empty() ? "" : " " + version_) + " (scxx " SCXX_VERSION ", libbpf " +
                           libbpf_version_string() + ")\n");
             }},
            {"-h", "", "", Value::none, help},
            {"--help", "", "", Value::none, help},
        };
    }

    // An argument that follows an option with an optional value is its value unless it is an
    // option itself ("-1" and "-.5" are values, so that they are refused as such).
    static bool looks_like_value(std::string_view next)
    {
        return !next.empty() && (next[0] != '-' || (next.size() > 1 && (std::isdigit(static_cast<unsigned char>(next[1])) || next[1] == '.')));
    }

    static const Option* find(const std::vector<Option>& options, std::string_view name)
    {
        for (const Option& o : options)
            if (o.name == name)
                return &o;
        return nullptr;
    }
    void stop_with(std::string output)
    {
        stop_now_ = true;
        stop_output_ = std::move(output);
    }
    int usage_error(const std::string& why) const
    {
        std::fprintf(stderr, "%s: %s\n%s", program_.c_str(), why.c_str(), usage().c_str());
        return 2;
    }

    // The first line of each generation: attached, or stopped by the kernel as it was enabled
    // (e.g. ops.init failed: the kernel then unregisters it although the attach succeeded).
    template <class Skel>
    void report_attach(const AttachedScheduler<Skel>& sched, int generation) const
    {
        std::string again = generation > 1 ? " again, generation " + std::to_string(generation) : "";
        if (sched.exited())
            std::printf("%s: attached%s, but the kernel stopped the scheduler as it was enabled; the exit below says why\n",
                        program_.c_str(), again.c_str());
        else
            std::printf("%s: attached%s (state=%s ops=%s)\n", program_.c_str(), again.c_str(),
                        system::state().value_or("?").c_str(), system::root_ops().value_or("?").c_str());
        std::fflush(stdout);
    }

    std::string program_, summary_, version_;
    std::vector<Option> options_;
    std::vector<std::string>* operands_ = nullptr;
    std::string operands_name_, operands_help_;
    RunOptions run_;
    bool stats_ = false;
    bool verbose_ = false;
    bool stop_now_ = false;
    std::string stop_output_;
};

} // namespace scxx
