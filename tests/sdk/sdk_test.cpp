// The C++ SDK against a real sched_ext kernel (run in the VM by sdk.sh):
//   sdk_test api        pre-load settings and their errors, typed DSQs and kick flags through the
//                       control programs, every map view, sysfs state, the clear errors (not root,
//                       another scheduler attached, invalid flags, invalid DSQ ids, map size mismatch),
//                       and what stops run() (a stop token, a signal, and not a stale signal)
//   sdk_test cycles N   N open/load/attach/detach cycles; open fds and memory must not grow
// Prints "ok: ..." per check, "FAIL: ..." for each failure, and exits 1 if any failed.
#include <scxx/scxx.hpp>

#include "sdk.h"
#include "sdk_test.skel.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stop_token>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const std::string& what)
{
    std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
    std::fflush(stdout);
    failures += !ok;
}

// Runs F, which must throw an scxx::Error with errno ERR whose message contains TEXT.
template <class F>
void expect_error(const std::string& what, int err, const std::string& text, F f)
{
    try {
        f();
        check(false, what + ": no error was raised");
    } catch (const scxx::Error& e) {
        bool ok = e.errnum() == err && std::string(e.what()).find(text) != std::string::npos;
        check(ok, what + (ok ? "" : ": got '" + std::string(e.what()) + "'"));
        if (ok)
            std::printf("   message: %s\n", e.what());
    }
}

// Waits until COUNTER has counted something, 10 s at most; returns its sum. With BUSY, every CPU
// is kept busy meanwhile, so that wakeups find no idle CPU and go through ops.enqueue: a fixed
// sleep is not enough on an idle VM, where the kernel's default CPU selection dispatches woken
// tasks to idle CPUs without calling ops.enqueue. Without BUSY the CPUs may go idle (for
// ops.update_idle).
std::uint64_t until_counted(const scxx::PerCpuArray<std::uint64_t>& stats, std::uint32_t counter, bool busy)
{
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::seconds(10);
    std::atomic<bool> done{false};
    std::vector<std::thread> load;
    for (unsigned i = 0; busy && i <= std::max(1u, std::thread::hardware_concurrency()); ++i)
        load.emplace_back([&] {
            while (!done.load(std::memory_order_relaxed)) {
                const auto spin_until = clock::now() + std::chrono::milliseconds(2);
                while (clock::now() < spin_until) {
                }
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
        });
    while (stats.sum(counter) == 0 && clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    done = true;
    for (auto& t : load)
        t.join();
    return stats.sum(counter);
}

// Every scheduler in these tests keeps the kernel's idle tracking: sdk.bpf.c has ops.update_idle.
scxx::OpenScheduler<sdk_test_bpf> open_sdk(const char* suffix)
{
    auto open = scxx::open<sdk_test_bpf>();
    open.flags(scxx::OpsFlags::keep_builtin_idle).timeout(std::chrono::seconds(5)).name_suffix(suffix);
    return open;
}

void not_root()
{
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(3);
        try {
            auto loaded = open_sdk("_nobody").load();
            std::printf("FAIL: loaded as an unprivileged user\n");
            _exit(1);
        } catch (const scxx::Error& e) {
            bool ok = e.errnum() == EPERM && std::string(e.what()).find("needs root") != std::string::npos;
            std::printf("   message: %s\n", std::string(e.what()).substr(0, 200).c_str());
            std::fflush(stdout);
            _exit(ok ? 0 : 1);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "as user 65534, load fails with EPERM and says it needs root");
}

void pre_load_settings()
{
    auto open = scxx::open<sdk_test_bpf>();
    expect_error("BUILTIN_IDLE_PER_NODE with ops.update_idle and no KEEP_BUILTIN_IDLE is refused", EINVAL,
                 "BUILTIN_IDLE_PER_NODE needs the built-in idle tracking",
                 [&] { open.flags(scxx::OpsFlags::builtin_idle_per_node); });
    open.flags(scxx::OpsFlags::builtin_idle_per_node | scxx::OpsFlags::keep_builtin_idle);
    check(true, "BUILTIN_IDLE_PER_NODE with KEEP_BUILTIN_IDLE is accepted");
    if (scxx::KernelInfo::running().enum_value("SCX_OPS_HAS_CGROUP_WEIGHT")) {
        open.flags(scxx::OpsFlags::has_cgroup_weight | scxx::OpsFlags::keep_builtin_idle);
        check(true, "HAS_CGROUP_WEIGHT is accepted where the kernel has it");
    } else {
        expect_error("HAS_CGROUP_WEIGHT is refused where the kernel lacks it", EOPNOTSUPP,
                     "has no SCX_OPS_HAS_CGROUP_WEIGHT",
                     [&] { open.flags(scxx::OpsFlags::has_cgroup_weight); });
    }
    expect_error("a zero watchdog timeout is refused", EINVAL, "outside 1 ms to 30000 ms",
                 [&] { open.timeout(std::chrono::milliseconds(0)); });
    expect_error("an exit dump larger than the runtime's buffer is refused", EINVAL, "outside 1 to 32768",
                 [&] { open.exit_dump_len(40000); });
    expect_error("a name suffix with a '-' is refused", EINVAL, "only letters, digits",
                 [&] { open.name_suffix("bad-name"); });
    expect_error("a name suffix past 127 characters is refused", ENAMETOOLONG, "the limit is 127",
                 [&] { open.name_suffix(std::string(130, 'x')); });
    expect_error("unsetting a callback the ops lack is refused", EINVAL, "has no such callback",
                 [&] { open.unset_callback("no_such_op"); });
    expect_error("unsetting a field that is no callback is refused", EINVAL, "has no such callback",
                 [&] { open.unset_callback("timeout_ms"); });

    // An unset callback's program is not loaded (nor called: the ops member is null).
    auto unset = scxx::open<sdk_test_bpf>();
    unset.unset_callback("update_idle");
    auto loaded = std::move(unset).load();
    check(bpf_program__fd(loaded.progs().sdk_update_idle) < 0 && bpf_program__fd(loaded.progs().sdk_enqueue) >= 0,
          "unset_callback(\"update_idle\"): its program is not loaded, the others are");
}

void dsqs_and_flags(const scxx::Control& ctl)
{
    const auto q = scxx::Dsq::user(7);
    ctl.create_dsq(q);
    check(ctl.nr_queued(q) == 0, "created user DSQ 7 is empty");
    expect_error("creating DSQ 7 again fails with EEXIST", EEXIST, "create DSQ 'user 0x7'", [&] { ctl.create_dsq(q); });
    expect_error("creating a built-in DSQ is refused", EINVAL, "built-in DSQs always exist",
                 [&] { ctl.create_dsq(scxx::Dsq::global()); });
    expect_error("creating a DSQ on a node the machine lacks is refused", EINVAL, "no NUMA node 64: this machine has node",
                 [&] { ctl.create_dsq(scxx::Dsq::user(8), 64); });
    expect_error("a node below -1 is refused", EINVAL, "no NUMA node -2", [&] { ctl.create_dsq(scxx::Dsq::user(8), -2); });
    const auto other = scxx::Dsq::user(9);
    ctl.create_dsq(other);
    check(ctl.move_all(q, other) == 0, "moving the tasks of an empty DSQ moves none");
    expect_error("moving from a DSQ that does not exist is refused", ENOENT, "move tasks from DSQ 'user 0x63'",
                 [&] { ctl.move_all(scxx::Dsq::user(99), other); });
    expect_error("moving to a DSQ that does not exist is refused", ENOENT, "user 0x63",
                 [&] { ctl.move_all(q, scxx::Dsq::user(99)); });
    expect_error("moving from a built-in DSQ is refused", EINVAL, "only a user DSQ's tasks",
                 [&] { ctl.move_all(scxx::Dsq::global(), other); });
    expect_error("moving to LOCAL is refused", EINVAL, "use Dsq::local_on(cpu)",
                 [&] { ctl.move_all(q, scxx::Dsq::local()); });
    ctl.destroy_dsq(other);
    ctl.destroy_dsq(q);
    expect_error("a destroyed DSQ answers ENOENT", ENOENT, "user 0x7", [&] { ctl.nr_queued(q); });
    expect_error("destroying a DSQ that does not exist is refused", ENOENT, "destroy DSQ 'user 0x7'",
                 [&] { ctl.destroy_dsq(q); });
    check(ctl.nr_queued(scxx::Dsq::local_on(0)) >= 0, "CPU 0's local DSQ answers nr_queued");
    expect_error("nr_queued of the global DSQ is refused: the kernel counts only user and LOCAL_ON DSQs", EINVAL,
                 "counts only user and LOCAL_ON DSQs", [&] { ctl.nr_queued(scxx::Dsq::global()); });
    expect_error("a user DSQ id with bit 63 set is refused", EINVAL, "bit 63, SCX_DSQ_FLAG_BUILTIN",
                 [] { scxx::Dsq::user(0x8000000000000007ull); });
    expect_error("LOCAL_ON of a CPU that does not exist is refused", EINVAL, "no such CPU",
                 [] { scxx::Dsq::local_on(4096); });
    auto l1 = scxx::Dsq::local_on(1);
    auto back = scxx::Dsq::from_id(l1.id());
    check(back == l1 && back.cpu() == 1 && back.to_string() == "LOCAL_ON(1)", "LOCAL_ON(1) survives a round trip");
    ctl.kick_cpu(1, scxx::KickFlags::preempt | scxx::KickFlags::wait);
    ctl.kick_cpu(1, scxx::KickFlags::idle);
    check(true, "kicked CPU 1 with PREEMPT|WAIT and with IDLE");
    expect_error("IDLE|PREEMPT is refused as a contradiction", EINVAL, "IDLE cannot be combined",
                 [&] { ctl.kick_cpu(1, scxx::KickFlags::idle | scxx::KickFlags::preempt); });
    expect_error("kicking a CPU that does not exist is refused", EINVAL, "no such CPU",
                 [&] { ctl.kick_cpu(4096); });
}

void maps(scxx::AttachedScheduler<sdk_test_bpf>& sched)
{
    std::vector<sdk_cmd> received;
    scxx::RingBuffer<sdk_cmd> out(sched.maps().out, [&](const sdk_cmd& c) { received.push_back(c); });
    scxx::UserRingBuffer<sdk_cmd> in(sched.maps().in);
    for (unsigned k = 1; k <= 3; ++k)
        in.push(sdk_cmd{k, 0, 10ull * k});
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    int err = bpf_prog_test_run_opts(bpf_program__fd(sched.progs().sdk_echo), &opts);
    check(err == 0 && opts.retval == 3, "sdk_echo drained 3 records (retval " + std::to_string(opts.retval) + ")");
    out.poll(std::chrono::milliseconds(100));
    check(received.size() == 3 && received[0].value == 20 && received[2].key == 3 && received[2].value == 60,
          "the ring buffer delivered the 3 records, doubled");
    scxx::Hash<std::uint32_t, std::uint64_t> seen(sched.maps().seen);
    auto keys = seen.keys();
    check(std::set<std::uint32_t>(keys.begin(), keys.end()) == std::set<std::uint32_t>{1, 2, 3} &&
              seen.get(2) == std::uint64_t(20) && !seen.get(9),
          "the hash holds keys 1-3 with their values");
    seen.set(9, 90);
    check(seen.get(9) == std::uint64_t(90) && seen.erase(9) && !seen.erase(9), "hash set/get/erase");
    scxx::Array<sdk_config> config(sched.maps().sdk_cfg);
    sdk_config c = config.get(0);
    check(c.records == 3 && c.total == 60, "the array holds the record count and total");
    config.set(0, sdk_config{0, 0});
    check(config.get(0).records == 0, "array set");

    expect_error("an array view with the wrong value size is refused", EINVAL,
                 "value is 16 bytes, the C++ value type is 4",
                 [&] { scxx::Array<std::uint32_t> wrong(sched.maps().sdk_cfg); });
    expect_error("a hash view with the wrong key size is refused", EINVAL, "key is 4 bytes, the C++ key type is 8",
                 [&] { scxx::Hash<std::uint64_t, std::uint64_t> wrong(sched.maps().seen); });
    expect_error("a ring buffer view of a hash is refused", EINVAL, "the map's type is 'hash'; this view needs 'ringbuf'",
                 [&] { scxx::RingBuffer<sdk_cmd> wrong(sched.maps().seen, [](const sdk_cmd&) {}); });
    in.push(sdk_cmd{4, 0, 1});
    bpf_prog_test_run_opts(bpf_program__fd(sched.progs().sdk_echo), &opts);
    scxx::RingBuffer<std::uint32_t> narrow(sched.maps().out, [](std::uint32_t) {});
    expect_error("a ring buffer record of another size makes poll() fail", EMSGSIZE,
                 "a record is 16 bytes, the C++ record type is 4", [&] { narrow.poll(); });
}

int api()
{
    const auto before = scxx::system::status();
    check(before.state == "disabled" && before.enable_seq && before.hotplug_seq && before.nr_rejected &&
              before.switch_all == false && !before.root_ops,
          "sysfs before: disabled, counters readable, no root ops");
    not_root();
    pre_load_settings();

    auto open = open_sdk("_a");
    open.enable_control();
    auto sched = std::move(open).load().attach();
    const auto now = scxx::system::status();
    check(now.state == "enabled" && now.root_ops == "sdk_a" && now.switch_all == true,
          "attached: enabled, root ops 'sdk_a' (with the suffix), switch_all");
    check(now.enable_seq == *before.enable_seq + 1, "enable_seq went up by one");
    check(now.hotplug_seq == before.hotplug_seq, "hotplug_seq unchanged (the loader set ops.hotplug_seq from it)");

    const auto& kernel = scxx::KernelInfo::running();
    check(kernel.sched_ext_state() == "enabled" && kernel.release_name() && !kernel.release_name()->empty() &&
              kernel.description() == "this kernel (" + *kernel.release_name() + ")" && kernel.has_sched_ext() &&
              kernel.has_ops_field("dispatch") && kernel.has_kfunc("scx_bpf_kick_cpu"),
          "KernelInfo::running(): " + kernel.description() + ", sched_ext " + kernel.sched_ext_state().value_or("?"));
    dsqs_and_flags(sched.control());
    maps(sched);

    auto second = open_sdk("_b").load();
    expect_error("a second scheduler is refused, naming the attached one", EBUSY,
                 "another sched_ext scheduler ('sdk_a') is attached", [&] { std::move(second).attach(); });

    scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
    until_counted(stats, SDK_STAT_ENQUEUED, true);
    until_counted(stats, SDK_STAT_DISPATCHED, true);
    until_counted(stats, SDK_STAT_IDLE_UPDATES, false);
    check(stats.sum(SDK_STAT_ENQUEUED) > 0 && stats.sum(SDK_STAT_DISPATCHED) > 0 &&
              stats.sum(SDK_STAT_IDLE_UPDATES) > 0,
          "counters: enqueued " + std::to_string(stats.sum(SDK_STAT_ENQUEUED)) + ", dispatched " +
              std::to_string(stats.sum(SDK_STAT_DISPATCHED)) + ", idle updates " +
              std::to_string(stats.sum(SDK_STAT_IDLE_UPDATES)));
    auto sysfs_events = scxx::system::events();
    auto bpf_events = sched.control().events();
    std::set<std::string> a, b;
    for (const auto& e : sysfs_events)
        a.insert(e.name);
    for (const auto& e : bpf_events)
        b.insert(e.name);
    check(!a.empty() && a == b, "event counters: " + std::to_string(a.size()) + " in sysfs, the same names through BPF");

    scxx::ExitInfo exit = sched.detach();
    check(exit.kind == scxx::ExitKind::unreg && !exit.is_error(), "detach: " + exit.to_string());
    check(scxx::system::state() == "disabled" && !scxx::system::root_ops(), "sysfs after: disabled, no root ops");
    return failures ? 1 : 0;
}

// What outlives its scheduler: a Control refuses to run rather than touch a closed object; a map
// view keeps its own fd of the map and still reads the final values.
void outliving_views()
{
    std::optional<scxx::Control> control;
    std::optional<scxx::PerCpuArray<std::uint64_t>> stats;
    std::uint64_t enqueued_at_detach = 0;
    {
        auto open = open_sdk("_gone");
        open.enable_control();
        auto sched = std::move(open).load().attach();
        control.emplace(sched.control());
        control->kick_cpu(0);
        stats.emplace(sched.maps().stats);
        until_counted(*stats, SDK_STAT_ENQUEUED, true);
        sched.detach();
        enqueued_at_detach = stats->sum(SDK_STAT_ENQUEUED);
    } // the scheduler and its object are destroyed here
    expect_error("a Control used after its scheduler was destroyed is refused", ESTALE,
                 "the scheduler this Control came from has been destroyed", [&] { control->kick_cpu(0); });
    std::uint64_t after = stats->sum(SDK_STAT_ENQUEUED);
    check(enqueued_at_detach > 0 && after == enqueued_at_detach,
          "a counters view read after its scheduler was destroyed: enqueued=" + std::to_string(after) +
              " (at detach " + std::to_string(enqueued_at_detach) + ")");
}

// run() stops for what its caller owns: a stop request from another thread wakes it at once, and a
// signal that stopped an earlier run does not stop a later one that handles no signals.
void stopping()
{
    using namespace std::chrono_literals;
    using clock = std::chrono::steady_clock;
    auto ms = [](clock::duration d) {
        return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
    };
    {
        auto sched = open_sdk("_stop").load().attach();
        std::stop_source source;
        scxx::RunOptions o;
        o.interval = 3600s; // the loop sleeps for an hour unless woken
        o.handle_signals = false;
        o.stop = source.get_token();
        std::thread stopper([&] {
            std::this_thread::sleep_for(200ms);
            source.request_stop();
        });
        const auto t0 = clock::now();
        scxx::ExitInfo exit = sched.run(o);
        const auto took = clock::now() - t0;
        stopper.join();
        check(exit.kind == scxx::ExitKind::unreg && took < 60s,
              "a stop request from another thread ends run() at once (" + ms(took) + ", interval 1 h)");
    }
    {
        auto sched = open_sdk("_sigint").load().attach();
        scxx::RunOptions o;
        o.interval = 3600s;
        std::thread signaller([] {
            std::this_thread::sleep_for(200ms);
            kill(getpid(), SIGINT);
        });
        const auto t0 = clock::now();
        scxx::ExitInfo exit = sched.run(o);
        const auto took = clock::now() - t0;
        signaller.join();
        check(exit.kind == scxx::ExitKind::unreg && took < 60s, "SIGINT wakes and ends run() (" + ms(took) + ")");
    }
    {
        auto sched = open_sdk("_after").load().attach();
        scxx::RunOptions o;
        o.handle_signals = false;
        o.duration = 500ms;
        const auto t0 = clock::now();
        sched.run(o);
        const auto took = clock::now() - t0;
        check(took >= 500ms, "after a run stopped by SIGINT, a run that handles no signals lasts its duration (" +
                                 ms(took) + " of 500 ms)");
    }
}

std::size_t open_fds()
{
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

long rss_kib()
{
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = 0;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            return value;
        }
        in.ignore(1 << 12, '\n');
    }
    return -1;
}

int cycles(int n)
{
    const auto seq0 = scxx::system::enable_seq().value_or(0);
    std::size_t fds_warm = 0;
    long rss_warm = 0;
    for (int i = 1; i <= n; ++i) {
        {
            auto sched = open_sdk("_cycle").load().attach();
            if (sched.exited() || scxx::system::root_ops() != "sdk_cycle") {
                check(false, "cycle " + std::to_string(i) + " attached");
                return 1;
            }
            scxx::ExitInfo exit = sched.detach();
            if (exit.kind != scxx::ExitKind::unreg) {
                check(false, "cycle " + std::to_string(i) + " ended " + exit.to_string());
                return 1;
            }
        } // the scheduler is destroyed here: its object, maps and programs are closed
        // Halfway: the allocator and libbpf's caches have settled (from cycle 10 to the end, VmRSS
        // grew by 160, 172 and 104 KiB in runs of 50, 200 and 400 cycles: warm-up, not per cycle).
        if (i == std::max(n / 2, 1)) {
            fds_warm = open_fds();
            rss_warm = rss_kib();
        }
    }
    const std::size_t fds = open_fds();
    const long rss = rss_kib();
    std::printf("cycles: %d, open fds %zu -> %zu, VmRSS %ld -> %ld KiB\n", n, fds_warm, fds, rss_warm, rss);
    check(scxx::system::enable_seq().value_or(0) == seq0 + static_cast<std::uint64_t>(n),
          "enable_seq went up by " + std::to_string(n));
    check(fds == fds_warm, "no open fd leaked");
    // A leak of 3 KiB a cycle (a BTF, a program's log) would pass 256 KiB over the second half of 200.
    check(rss - rss_warm < 256, "memory grew by " + std::to_string(rss - rss_warm) + " KiB over the second half (limit 256)");
    return failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "api") {
            api();
            outliving_views();
            stopping();
            return failures ? 1 : 0;
        }
        if (mode == "cycles" && argc > 2)
            return cycles(std::atoi(argv[2]));
    } catch (const scxx::Error& e) {
        std::printf("FAIL: unexpected error: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "usage: sdk_test api | cycles N\n");
    return 2;
}
