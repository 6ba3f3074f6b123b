#include <doctest/doctest.h>
#include "message_of.hpp"
#include <scxx/stats_output.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#define TEST_STATS(X)                                  \
    X(counter, enqueued, "tasks queued")               \
    X(gauge, waiting, "tasks waiting \"now\"\\here")   \
    X(counter, dispatched, "tasks sent to a CPU")
SCXX_STATS(test_stats, TEST_STATS)

#define SPLIT_STATS(X)                                 \
    X(counter_by_cpu, decisions, "decisions per CPU")  \
    X(gauge_by_cpu, depth, "queue depth per CPU")      \
    X(counter, total, "all of them")
SCXX_STATS(split_stats, SPLIT_STATS)

namespace {
std::string read(const std::filesystem::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
} // namespace

TEST_CASE("SCXX_STATS declares the struct and its field table from one list")
{
    auto fields = scxx_stat_fields(static_cast<const test_stats*>(nullptr));
    REQUIRE(fields.size() == 3);
    CHECK(sizeof(test_stats) == 3 * sizeof(__u64));
    CHECK(std::string(fields[0].name) == "enqueued");
    CHECK(fields[0].kind == SCXX_STAT_COUNTER);
    CHECK(fields[0].offset == offsetof(test_stats, enqueued));
    CHECK(std::string(fields[1].name) == "waiting");
    CHECK(fields[1].kind == SCXX_STAT_GAUGE);
    CHECK(std::string(fields[1].description) == "tasks waiting \"now\"\\here");
    CHECK(fields[2].offset == offsetof(test_stats, dispatched));
}

TEST_CASE("_by_cpu kinds: breakdowns labelled cpu, described as such")
{
    auto fields = scxx_stat_fields(static_cast<const split_stats*>(nullptr));
    REQUIRE(fields.size() == 3);
    CHECK(fields[0].by_cpu);
    CHECK(fields[0].kind == SCXX_STAT_COUNTER);
    CHECK(fields[1].by_cpu);
    CHECK(fields[1].kind == SCXX_STAT_GAUGE);
    CHECK_FALSE(fields[2].by_cpu);
    std::vector<scxx::StatInfo> infos = scxx::stat_infos<split_stats>();
    REQUIRE(infos.size() == 3);
    CHECK(infos[0].label_key == "cpu");
    CHECK(infos[1].kind == scxx::StatKind::gauge);
    CHECK(infos[2].label_key.empty());
}

TEST_CASE("a StatInfo adds its stat: label key from the declaration, value from the call")
{
    constexpr scxx::StatInfo queued{"queued", "tasks waiting per CPU", scxx::StatKind::gauge, "cpu"};
    constexpr scxx::StatInfo ran{"ran", "tasks run", scxx::StatKind::counter};
    scxx::Snapshot s;
    s.add(queued, 3, "0").add(queued, 1.5, "1").add(ran, 7u);
    CHECK(s.find("queued", scxx::StatLabel{"cpu", "1"})->as_double() == 1.5);
    CHECK(s.find("ran")->kind == scxx::StatKind::counter);
    CHECK(std::get<std::uint64_t>(s.find("ran")->value) == 7);
    CHECK(message_of([&] { s.add(ran, 1, "0"); }).find("declared without a label key") != std::string::npos);

    // A loader's own stats in an SCXX_STATS struct: every field, by its declared kind.
    test_stats mine{.enqueued = 4, .waiting = 2, .dispatched = 3};
    scxx::Snapshot t;
    scxx::add_stats(t, mine);
    CHECK(t.stats().size() == 3);
    CHECK(t.find("waiting")->kind == scxx::StatKind::gauge);
    CHECK(std::get<std::uint64_t>(t.find("dispatched")->value) == 3);
}

TEST_CASE("--help-stats text: name, kind with its breakdown, Prometheus metric, description")
{
    std::vector<scxx::StatInfo> infos = scxx::stat_infos<split_stats>();
    infos.push_back(scxx::kernel_events_info);
    std::string help = scxx::format_stats_help("prog", infos);
    CHECK(help.find("prog's stats") == 0);
    CHECK(help.find("  decisions      counter by cpu    scx_decisions_total      decisions per CPU\n") != std::string::npos);
    CHECK(help.find("  depth          gauge by cpu      scx_depth                queue depth per CPU\n") != std::string::npos);
    CHECK(help.find("  kernel_events  counter by event  scx_kernel_events_total  sched_ext") != std::string::npos);
    CHECK(scxx::format_stats_help("prog", {}).find("does not describe its stats") != std::string::npos);
}

TEST_CASE("a snapshot refuses bad names, duplicates and inconsistent stats of one name")
{
    scxx::Snapshot s;
    s.counter("enqueued", "tasks queued", 1);
    CHECK(message_of([&] { s.counter("enqueued", "tasks queued", 2); }).find("has a stat of that name already") !=
          std::string::npos);
    CHECK(message_of([&] { s.counter("Enqueued", "x", 1); }).find("lower_snake_case") != std::string::npos);
    CHECK(message_of([&] { s.counter("a-b", "x", 1); }).find("lower_snake_case") != std::string::npos);
    CHECK(message_of([&] { s.gauge("enqueued", "tasks queued", 1, scxx::StatLabel{"cpu", "0"}); })
              .find("same kind, description and label key") != std::string::npos);
    s.counter("by_cpu", "per CPU", 1, scxx::StatLabel{"cpu", "0"});
    s.counter("by_cpu", "per CPU", 2, scxx::StatLabel{"cpu", "1"});
    CHECK(message_of([&] { s.counter("by_cpu", "per CPU", 3, scxx::StatLabel{"node", "0"}); })
              .find("same kind, description and label key") != std::string::npos);
    CHECK(s.find("by_cpu", scxx::StatLabel{"cpu", "1"})->as_double() == 2);
    CHECK(s.find("by_cpu") == nullptr);
}

TEST_CASE("text: aligned columns, a counter's rate since the previous snapshot")
{
    scxx::Snapshot before;
    before.counter("enqueued", "tasks queued", 100).gauge("waiting", "tasks waiting", 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    scxx::Snapshot now;
    now.counter("enqueued", "tasks queued", 1100).gauge("waiting", "tasks waiting", 4);
    std::string first = scxx::format_text(before);
    CHECK(first == "  enqueued  100  tasks queued\n"
                   "  waiting     3  tasks waiting\n");
    std::string text = scxx::format_text(now, &before);
    // 1000 in >= 20 ms: a rate, right-aligned; the gauge has none.
    std::istringstream lines(text);
    std::string l1, l2;
    std::getline(lines, l1);
    std::getline(lines, l2);
    CHECK(l1.starts_with("  enqueued  1100  "));
    CHECK(l1.find("/s  tasks queued") != std::string::npos);
    CHECK(l2.starts_with("  waiting      4  "));
    CHECK(l1.find("tasks queued") == l2.find("tasks waiting")); // the descriptions line up
    double rate = std::stod(l1.substr(std::string("  enqueued  1100").size()));
    CHECK(rate > 0);
    CHECK(rate <= 1000 / 0.020);
}

TEST_CASE("text: a breakdown's description is on its first row")
{
    scxx::Snapshot s;
    s.counter("by_cpu", "per CPU", 1, scxx::StatLabel{"cpu", "0"}).counter("by_cpu", "per CPU", 22, scxx::StatLabel{"cpu", "1"});
    CHECK(scxx::format_text(s) == "  by_cpu{cpu=0}   1  per CPU\n"
                                  "  by_cpu{cpu=1}  22\n");
}

TEST_CASE("text: two breakdowns added in turn are shown each in one piece; fractions rounded")
{
    constexpr scxx::StatInfo in{"queued", "queued per queue", scxx::StatKind::counter, "queue"};
    constexpr scxx::StatInfo now{"length", "waiting per queue", scxx::StatKind::gauge, "queue"};
    constexpr scxx::StatInfo mean{"mean", "a mean", scxx::StatKind::gauge};
    scxx::Snapshot s;
    s.add(in, 5, "0").add(now, 1, "0").add(in, 7, "1").add(now, 0, "1").add(mean, 5.94949494949495);
    // (with a previous snapshot the counters get rates; the gauges' rows end without padding)
    CHECK(scxx::format_text(s) == "  queued{queue=0}     5  queued per queue\n"
                                  "  queued{queue=1}     7\n"
                                  "  length{queue=0}     1  waiting per queue\n"
                                  "  length{queue=1}     0\n"
                                  "  mean             5.95  a mean\n");
    scxx::Snapshot big;
    big.gauge("latency_us", "x", 5309.968823429542);
    CHECK(scxx::format_text(big) == "  latency_us  5310  x\n");
    scxx::Snapshot later;
    later.add(in, 9, "0").add(now, 2, "0").add(now, 3, "1");
    CHECK(scxx::format_text(later, &s).find("  length{queue=1}  3\n") != std::string::npos);
    CHECK(scxx::format_json_stats(big) == R"({"latency_us":5309.968823429542})"); // machines get every digit
}

TEST_CASE("JSON: one object per snapshot, breakdowns as objects, strings escaped")
{
    scxx::Snapshot s;
    s.counter("enqueued", "tasks queued", 7)
        .gauge("load", "a level", 0.5)
        .counter("by_cpu", "per CPU", 1, scxx::StatLabel{"cpu", "0"})
        .counter("by_cpu", "per CPU", 2, scxx::StatLabel{"cpu", "1"})
        .gauge("bad", "not a number", std::nan(""))
        .gauge("tenth", "shortest form", 0.1);
    CHECK(scxx::format_json_stats(s) == R"({"enqueued":7,"load":0.5,"by_cpu":{"0":1,"1":2},"bad":null,"tenth":0.1})");
    std::string line = scxx::format_json(s, "my \"sched\"");
    CHECK(line.starts_with("{\"time\":"));
    CHECK(line.find(R"(,"scheduler":"my \"sched\"","stats":{"enqueued":7,)") != std::string::npos);
    CHECK(line.ends_with("}\n"));
}

TEST_CASE("Prometheus: HELP and TYPE per metric, _total for counters, escaped labels")
{
    scxx::Snapshot s;
    s.counter("enqueued", "tasks queued\nper second", 7)
        .gauge("waiting", "tasks waiting", 3)
        .counter("kernel_events", "events", 2, scxx::StatLabel{"event", "dispatch_keep_last"})
        .counter("kernel_events", "events", 0, scxx::StatLabel{"event", "a\"b"});
    CHECK(scxx::format_prometheus(s, "simple") ==
          "# HELP scx_enqueued_total tasks queued\\nper second\n"
          "# TYPE scx_enqueued_total counter\n"
          "scx_enqueued_total{scheduler=\"simple\"} 7\n"
          "# HELP scx_waiting tasks waiting\n"
          "# TYPE scx_waiting gauge\n"
          "scx_waiting{scheduler=\"simple\"} 3\n"
          "# HELP scx_kernel_events_total events\n"
          "# TYPE scx_kernel_events_total counter\n"
          "scx_kernel_events_total{scheduler=\"simple\",event=\"dispatch_keep_last\"} 2\n"
          "scx_kernel_events_total{scheduler=\"simple\",event=\"a\\\"b\"} 0\n");
}

TEST_CASE("the metrics file is replaced in one rename, never written through a symlink")
{
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("scxx-stats-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::path file = dir / "scx.prom";
    scxx::write_file_atomically(file, "one\n");
    CHECK(read(file) == "one\n");
    CHECK((fs::status(file).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read));
    scxx::write_file_atomically(file, "two\n");
    CHECK(read(file) == "two\n");

    // A symlink planted at the path is replaced, and what it pointed to is left alone.
    fs::path target = dir / "victim";
    { std::ofstream(target) << "keep\n"; }
    fs::remove(file);
    fs::create_symlink(target, file);
    scxx::write_file_atomically(file, "three\n");
    CHECK(!fs::is_symlink(file));
    CHECK(read(file) == "three\n");
    CHECK(read(target) == "keep\n");

    // A directory that is a symlink is refused.
    fs::path linked_dir = dir / "linked";
    fs::create_directory_symlink(dir, linked_dir);
    CHECK(message_of([&] { scxx::write_file_atomically(linked_dir / "x.prom", "x"); })
              .find("is a symlink or not a directory") != std::string::npos);
    CHECK(message_of([&] { scxx::write_file_atomically(dir / "missing" / "x.prom", "x"); })
              .find("cannot open its directory") != std::string::npos);
    // Nothing half-written is left behind.
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir))
        files += e.path().filename().string().starts_with(".scx.prom.tmp");
    CHECK(files == 0);
    fs::remove_all(dir);
}
