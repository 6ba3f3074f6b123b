#include <doctest/doctest.h>
#include <scxx/cli.hpp>

#include <chrono>
#include <initializer_list>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {
// Parses ARGS (after the program name) with CLI.
scxx::ParsedCommandLine parse_args(scxx::Cli& cli, std::initializer_list<const char*> args)
{
    std::vector<std::string> storage{"prog"};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    return cli.parse(static_cast<int>(storage.size()), argv.data());
}
// The status parse() said to exit with, if any.
std::optional<int> parse(scxx::Cli& cli, std::initializer_list<const char*> args)
{
    return parse_args(cli, args).exit_status;
}
// The status for ARGS given to a program with an option --n from 1 to 10 (the messages go to
// stderr: tests/faults/cli.sh checks them on the samples).
std::optional<int> status_with_n(std::initializer_list<const char*> args)
{
    scxx::Cli cli("prog", "test");
    long n = 0;
    cli.option("--n", "N", "a number", n, 1L, 10L);
    return parse(cli, args);
}
} // namespace

TEST_CASE("seconds are parsed whole, finite and inside the range")
{
    CHECK(scxx::parse_seconds("2", 0.001, 10) == 2000ms);
    CHECK(scxx::parse_seconds("0.25", 0.001, 10) == 250ms);
    CHECK(scxx::parse_seconds("1e-3", 0.001, 10) == 1ms);
    CHECK(scxx::parse_seconds("0.0015", 0.001, 10) == 2ms);
    auto refused = [](const char* text) {
        try {
            scxx::parse_seconds(text, 0.001, 10);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused("0.0001") == "'0.0001' is out of range: needs 0.001 to 10 seconds");
    CHECK(refused("0") == "'0' is out of range: needs 0.001 to 10 seconds");
    CHECK(refused("-1") == "'-1' is out of range: needs 0.001 to 10 seconds");
    CHECK(refused("11") == "'11' is out of range: needs 0.001 to 10 seconds");
    CHECK(refused("1e9999") == "'1e9999' is out of range: needs 0.001 to 10 seconds");
    CHECK(refused("1e20") == "'1e20' is out of range: needs 0.001 to 10 seconds");
    CHECK(refused("nan") == "'nan' is not a number of seconds: needs 0.001 to 10 seconds");
    CHECK(refused("inf") == "'inf' is not a number of seconds: needs 0.001 to 10 seconds");
    CHECK(refused("abc") == "'abc' is not a number of seconds: needs 0.001 to 10 seconds");
    CHECK(refused("2s") == "'2s' is not a number of seconds: needs 0.001 to 10 seconds");
    CHECK(refused("") == "'' is not a number of seconds: needs 0.001 to 10 seconds");
    CHECK(refused(" 2") == "' 2' is not a number of seconds: needs 0.001 to 10 seconds");
}

TEST_CASE("integers are parsed whole and inside the range")
{
    CHECK(scxx::parse_integer("42", 1, 100) == 42);
    CHECK(scxx::parse_integer<std::size_t>("4096", 1, 4096) == 4096);
    auto refused = [](const char* text) {
        try {
            scxx::parse_integer(text, 1, 100);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused("0") == "'0' is out of range: needs 1 to 100");
    CHECK(refused("101") == "'101' is out of range: needs 1 to 100");
    CHECK(refused("99999999999999999999") == "'99999999999999999999' is out of range: needs 1 to 100");
    CHECK(refused("8abc") == "'8abc' is not a whole number: needs 1 to 100");
    CHECK(refused("1.5") == "'1.5' is not a whole number: needs 1 to 100");
    CHECK(refused("") == "'' is not a whole number: needs 1 to 100");
}

TEST_CASE("the shared options set the run options; values may follow '='")
{
    scxx::Cli cli("prog", "test");
    scxx::ParsedCommandLine parsed = parse_args(cli, {"--duration", "2.5", "--stats=0.5", "-v"});
    CHECK_FALSE(parsed.exit_status);
    CHECK(parsed.options.program == "prog");
    CHECK(parsed.options.run.duration == 2500ms);
    CHECK(parsed.options.run.interval == 500ms);
    CHECK(parsed.options.stats);
    CHECK(parsed.options.verbose);
    CHECK(scxx::detail::log_state().threshold == scxx::LogLevel::warn); // parsing changes nothing outside its result

    scxx::Cli plain("prog", "test");
    parsed = parse_args(plain, {"--stats", "--duration=1"});
    CHECK_FALSE(parsed.exit_status);
    CHECK(parsed.options.stats);
    CHECK_FALSE(parsed.options.verbose);
    CHECK(parsed.options.run.interval == 1000ms); // the default
    CHECK(parsed.options.run.duration == 1000ms);

    // Parsing twice starts afresh each time.
    parsed = parse_args(plain, {});
    CHECK_FALSE(parsed.options.stats);
    CHECK(parsed.options.run.duration == 0ms);
}

TEST_CASE("bad values of the shared options are usage errors, never 'run forever'")
{
    for (const char* bad : {"0.0001", "nan", "1e9999", "1e20", "inf", "-1", "0", "soon"}) {
        CAPTURE(bad);
        scxx::Cli cli("prog", "test");
        CHECK(parse(cli, {"--duration", bad}) == 2);
        scxx::Cli stats("prog", "test");
        CHECK(parse(stats, {"--stats", bad}) == 2);
    }
    scxx::Cli cli("prog", "test");
    CHECK(parse(cli, {"--stats", "1e300"}) == 2);
    scxx::Cli missing("prog", "test");
    CHECK(parse(missing, {"--duration"}) == 2);
}

TEST_CASE("a program's own options: typed, ranged, '=' forms, flags take no value")
{
    scxx::Cli cli("prog", "test");
    long n = 0;
    bool on = false;
    std::chrono::milliseconds after{0};
    cli.option("--n", "N", "a number", n, 1L, 10L).flag("--on", "a switch", on).option("--after", "SECONDS", "a time", after);
    CHECK_FALSE(parse(cli, {"--n=7", "--on", "--after", "0.5"}));
    CHECK(n == 7);
    CHECK(on);
    CHECK(after == 500ms);
    CHECK(status_with_n({"--n", "11"}) == 2);
    CHECK(status_with_n({"--n", "x"}) == 2);
    CHECK(status_with_n({"--n"}) == 2);
    CHECK(status_with_n({"--n=", "1"}) == 2);
    scxx::Cli flags("prog", "test");
    flags.flag("--on", "a switch", on);
    CHECK(parse(flags, {"--on=1"}) == 2);
    // A program's own parser that throws something else than std::invalid_argument (std::stoi).
    scxx::Cli stoi("prog", "test");
    int big = 0;
    stoi.option("--big", "N", "std::stoi", [&](std::string_view v) { big = std::stoi(std::string(v)); });
    CHECK(parse(stoi, {"--big", "99999999999999999999"}) == 2);
}

TEST_CASE("'--' ends the options; operands only where the program takes them")
{
    scxx::Cli none("prog", "test");
    CHECK(parse(none, {"--", "x"}) == 2);
    scxx::Cli bare("prog", "test");
    CHECK(parse(bare, {"x"}) == 2);
    CHECK_FALSE(parse(bare, {"--"}));

    std::vector<std::string> command;
    scxx::Cli cli("prog", "test");
    cli.operands("COMMAND...", "a command", command);
    CHECK_FALSE(parse(cli, {"--duration", "1", "--", "sleep", "--duration"}));
    CHECK(command == std::vector<std::string>{"sleep", "--duration"});
    CHECK(cli.usage().find("usage: prog [options] [-- COMMAND...]") == 0);
    std::vector<std::string> loose;
    scxx::Cli early("prog", "test");
    early.operands("COMMAND...", "a command", loose);
    CHECK(parse(early, {"sleep"}) == 2);
}

TEST_CASE("--help and --version stop the program with status 0")
{
    scxx::Cli cli("prog", "test");
    CHECK(parse(cli, {"--version"}) == 0);
    scxx::Cli help("prog", "test");
    CHECK(parse(help, {"--help", "--bogus"}) == 0);
    CHECK(help.usage().find("  --version") != std::string::npos);
}

TEST_CASE("an exception is described by its type and message")
{
    CHECK(scxx::detail::describe_exception(std::runtime_error("boom")) == "std::runtime_error: boom");
    CHECK(scxx::detail::describe_exception(std::out_of_range("far")) == "std::out_of_range: far");
}

TEST_CASE("the stats options: format, metrics file, socket, monitor")
{
    scxx::Cli cli("prog", "test");
    scxx::ParsedCommandLine parsed = parse_args(cli, {"--stats-format", "json", "--metrics-file=/tmp/m.prom", "--stats-socket"});
    CHECK_FALSE(parsed.exit_status);
    CHECK(parsed.options.stats_format == scxx::StatsFormat::json);
    CHECK(parsed.options.metrics_file == "/tmp/m.prom");
    CHECK(parsed.options.stats_socket == scxx::Cli::default_stats_socket);
    CHECK_FALSE(parsed.options.monitor);

    parsed = parse_args(cli, {"--monitor", "0.5"});
    CHECK(parsed.options.monitor);
    CHECK(parsed.options.run.interval == 500ms);
    CHECK(parsed.options.stats_socket == scxx::Cli::default_stats_socket); // where --monitor looks by default
    parsed = parse_args(cli, {"--monitor", "--stats-socket", "/run/x/stats"});
    CHECK(parsed.options.run.interval == 1000ms);
    CHECK(parsed.options.stats_socket == "/run/x/stats");

    CHECK(parse(cli, {"--stats-format", "xml"}) == 2);
    CHECK(parse(cli, {"--metrics-file="}) == 2);
    CHECK(parse(cli, {"--monitor", "0"}) == 2);
    CHECK(parse(cli, {"--stats-group", "no-such-group-here"}) == 2);
}

#define CLI_STATS(X) X(counter, enqueued, "tasks queued") X(gauge_by_cpu, depth, "queue depth")
SCXX_STATS(cli_stats, CLI_STATS)

TEST_CASE("--help-stats prints what the program described and stops with status 0")
{
    scxx::Cli cli("prog", "test");
    constexpr scxx::StatInfo mine{"mine", "a loader's own number", scxx::StatKind::gauge};
    cli.describe_stats<cli_stats>().describe_stats({mine, scxx::kernel_events_info});
    CHECK(parse(cli, {"--help-stats"}) == 0);
    CHECK(cli.usage().find("  --help-stats") != std::string::npos);
    CHECK_THROWS_WITH_AS(cli.describe_stats({mine}), doctest::Contains("described twice"), scxx::Error);
}
