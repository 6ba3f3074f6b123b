// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The command line every scxx scheduler shares, so that a scheduler's main() is only what is
// particular to it:
//
//   int main(int argc, char** argv)
//   {
//       bool fifo = false;
//       scxx::Cli cli("simple", "a global FIFO or weighted-vtime scheduler");
//       cli.flag("--fifo", "first-come-first-served instead of weighted vtime", fifo);
//       cli.describe_stats<simple_stats>(); // for --help-stats
//       return cli.run<simple_bpf>(argc, argv,
//           [&](scxx::OpenScheduler<simple_bpf>& open) { open.rodata().fifo = fifo; },
//           [](const scxx::AttachedScheduler<simple_bpf>& sched, scxx::Snapshot& stats) {
//               scxx::BpfStats<simple_stats>(sched.maps().simple_stats).add_to(stats);
//           });
//   }
//
// Every scheduler gets: --stats [SECONDS] (print the stats at that interval, default 1),
// --stats-format text|json, --metrics-file PATH (Prometheus' text format), --stats-socket [PATH]
// and --stats-group GROUP (scx_stats' protocol), --monitor [SECONDS], --help-stats (what
// describe_stats declared), --topology (scxx::Topology, scxx/topology.hpp), --duration SECONDS, -v (debug messages), --version, -h/--help; options with a value take it as
// the next argument or after '=' (--stats=2); "--" ends the options.
//
// Cli only parses: parse() sets the scheduler's own options and returns the shared ones as
// MainOptions (or the status to exit with). Cli::run is parse() followed by scxx::run_main
// (scxx/main_loop.hpp), which owns the scheduler's lifecycle; a program that wants its own
// lifecycle calls parse() and uses MainOptions itself.

#include <scxx/log.hpp>
#include <scxx/main_loop.hpp>
#include <scxx/number.hpp>
#include <scxx/stats.hpp>
#include <scxx/stats_output.hpp>
#include <scxx/topology.hpp>
#include <scxx/version.hpp>

#include <bpf/libbpf.h>
#include <grp.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <concepts>
#include <cstdio>
#include <exception>
#include <functional>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scxx {

// What Cli::parse() found: the status to exit with now (--help and --version: 0; a usage error:
// 2, after printing why and the usage), or else the shared options.
struct ParsedCommandLine {
    std::optional<int> exit_status;
    MainOptions options;
};

class Cli {
public:
    // Where scx schedulers serve their stats by default (scx_stats' path).
    static constexpr const char* default_stats_socket = "/var/run/scx/root/stats";

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

    // The stats the program shows, for --help-stats: the fields of the SCXX_STATS structs S...
    template <DeclaredStats... S>
    Cli& describe_stats()
    {
        (append_stats(stat_infos<S>()), ...);
        return *this;
    }
    // ... and those its stats callback adds itself, e.g. scxx::kernel_events_info.
    Cli& describe_stats(std::initializer_list<StatInfo> infos)
    {
        append_stats(infos);
        return *this;
    }
    Cli& describe_stats(const std::vector<StatInfo>& infos)
    {
        append_stats(infos);
        return *this;
    }

    // The program's own version, printed by --version with scxx's and libbpf's.
    Cli& version(std::string v)
    {
        version_ = std::move(v);
        return *this;
    }

    // Parses the command line: applies the scheduler's own options and returns the shared ones, or
    // the status to exit with now.
    ParsedCommandLine parse(int argc, char** argv)
    {
        ParsedCommandLine parsed;
        parsed.options.program = program_;
        std::optional<std::string> print_and_stop; // what --help or --version prints
        std::vector<Option> builtins = builtin_options(parsed.options, print_and_stop);
        auto usage_error = [&](const std::string& why) {
            std::fprintf(stderr, "%s: %s\n%s", program_.c_str(), why.c_str(), usage().c_str());
            parsed.exit_status = 2;
            return parsed;
        };
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
            if (print_and_stop) {
                std::fputs(print_and_stop->c_str(), stdout);
                parsed.exit_status = 0;
                return parsed;
            }
        }
        if (parsed.options.monitor && parsed.options.stats_socket.empty())
            parsed.options.stats_socket = default_stats_socket;
        return parsed;
    }

    // Parses the command line, then runs the scheduler with scxx::run_main (see there for
    // CONFIGURE, PRINT_STATS, ON_ATTACH and WAIT). Returns the process's exit status.
    template <class Skel, class Configure, class PrintStats, class OnAttach = detail::NoOp>
    int run(int argc, char** argv, Configure configure, PrintStats print_stats, OnAttach on_attach = {},
            std::function<void(std::chrono::milliseconds)> wait = {})
    {
        ParsedCommandLine parsed = parse(argc, argv);
        if (parsed.exit_status)
            return *parsed.exit_status;
        return run_main<Skel>(parsed.options, std::move(configure), std::move(print_stats), std::move(on_attach),
                              std::move(wait));
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
        line("--stats [SECONDS]", "print the stats every SECONDS (default 1)");
        line("--stats-format FORMAT", "text (aligned, with rates) or json (one object per line)");
        line("--metrics-file PATH", "keep PATH up to date with the stats in Prometheus' text format");
        line("--stats-socket [PATH]", std::string("serve the stats on a UNIX socket, scx_stats' protocol (default ") +
                                          default_stats_socket + ")");
        line("--stats-group GROUP", "let GROUP read the stats socket too (default: only this user)");
        line("--help-stats", "describe the stats: names, kinds and Prometheus metrics");
        line("--topology", "print this machine's CPUs, cores, LLCs and NUMA nodes as scxx reads them");
        line("--monitor [SECONDS]", "print the stats of the instance serving --stats-socket every SECONDS (default 1)");
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

    // The options every scheduler has, setting OUT, or STOP to what the program prints before it
    // stops (their help lines are in usage()).
    std::vector<Option> builtin_options(MainOptions& out, std::optional<std::string>& stop)
    {
        auto help = [this, &stop](std::string_view) { stop = usage(); };
        auto verbose = [&out](std::string_view) { out.verbose = true; };
        // --stats and --monitor: the interval, if given.
        auto interval = [&out](std::string_view v) {
            if (!v.empty())
                out.run.interval = parse_seconds(v, min_seconds, max_seconds);
        };
        return {
            {"--stats", "SECONDS", "", Value::optional,
             [&out, interval](std::string_view v) {
                 out.stats = true;
                 interval(v);
             }},
            {"--stats-format", "FORMAT", "", Value::required,
             [&out](std::string_view v) {
                 if (v == "text")
                     out.stats_format = StatsFormat::text;
                 else if (v == "json")
                     out.stats_format = StatsFormat::json;
                 else
                     throw std::invalid_argument("'" + std::string(v) + "' is not a format: text or json");
             }},
            {"--metrics-file", "PATH", "", Value::required,
             [&out](std::string_view v) {
                 if (v.empty())
                     throw std::invalid_argument("needs a file name");
                 out.metrics_file = v;
             }},
            {"--stats-socket", "PATH", "", Value::optional,
             [&out](std::string_view v) { out.stats_socket = v.empty() ? std::string(default_stats_socket) : std::string(v); }},
            {"--monitor", "SECONDS", "", Value::optional,
             [&out, interval](std::string_view v) {
                 out.monitor = true;
                 interval(v);
             }},
            {"--stats-group", "GROUP", "", Value::required,
             [&out](std::string_view v) { out.stats_group = group_id(v); }},
            {"--duration", "SECONDS", "", Value::required,
             [&out](std::string_view v) { out.run.duration = parse_seconds(v, min_seconds, max_seconds); }},
            {"-v", "", "", Value::none, verbose},
            {"--verbose", "", "", Value::none, verbose},
            {"--version", "", "", Value::none,
             [this, &stop](std::string_view) {
                 stop = program_ + (version_.empty() ? "" : " " + version_) + " (scxx " SCXX_VERSION
                                ", libbpf " + libbpf_version_string() + ")\n";
             }},
            {"--help-stats", "", "", Value::none,
             [this, &stop](std::string_view) { stop = format_stats_help(program_, stat_infos_); }},
            {"--topology", "", "", Value::none, [&stop](std::string_view) { stop = Topology::read().to_string(); }},
            {"-h", "", "", Value::none, help},
            {"--help", "", "", Value::none, help},
        };
    }

    // A group by name or number.
    static gid_t group_id(std::string_view v)
    {
        std::string name(v);
        if (group* g = getgrnam(name.c_str()))
            return g->gr_gid;
        if (!v.empty() && v.find_first_not_of("0123456789") == std::string_view::npos)
            return static_cast<gid_t>(parse_integer(v, 0LL, 4294967294LL));
        throw std::invalid_argument("no group '" + name + "' (give a group name or number)");
    }

    // An argument that follows an option with an optional value is its value unless it is an
    // option itself ("-1" and "-.5" are values, so that they are refused as such).
    static bool looks_like_value(std::string_view next)
    {
        return !next.empty() && (next[0] != '-' || (next.size() > 1 && (std::isdigit(static_cast<unsigned char>(next[1])) || next[1] == '.')));
    }

    template <class Infos>
    void append_stats(const Infos& infos)
    {
        for (const StatInfo& info : infos) {
            for (const StatInfo& known : stat_infos_)
                if (known.name == info.name)
                    throw Error("describe stats", std::string(info.name), EEXIST, "described twice");
            stat_infos_.push_back(info);
        }
    }

    static const Option* find(const std::vector<Option>& options, std::string_view name)
    {
        for (const Option& o : options)
            if (o.name == name)
                return &o;
        return nullptr;
    }

    std::string program_, summary_, version_;
    std::vector<Option> options_;
    std::vector<StatInfo> stat_infos_;
    std::vector<std::string>* operands_ = nullptr;
    std::string operands_name_, operands_help_;
};

} // namespace scxx
