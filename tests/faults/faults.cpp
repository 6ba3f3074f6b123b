// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// The fault suite's scheduler under scxx::Cli, broken on request: --fail-init (the kernel stops it
// as it is enabled), --stall-pid PID (the watchdog ejects it), --throw-in configure|attach|stats
// (the program's own code throws: the Cli must detach, name the exception and exit 1). And
// "faults race": two threads attach at once; one wins, the other gets EBUSY, nothing leaks.
#include <scxx/scxx.hpp>

#include "faults.skel.hpp"

#include <dirent.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace {

int open_fds()
{
    int n = 0;
    if (DIR* d = opendir("/proc/self/fd")) {
        while (readdir(d))
            ++n;
        closedir(d);
    }
    return n;
}

// Two threads open, load and attach at once: exactly one attaches, the other's attach fails with
// EBUSY, and once both are done every file descriptor is closed again.
int race()
{
    const int fds_before = open_fds();
    for (int round = 0; round < 5; ++round) {
        std::atomic<int> attached = 0, busy = 0, other = 0;
        std::atomic<bool> go = false;
        auto contender = [&] {
            auto loaded = scxx::open<faults_bpf>().load(); // verified before the race starts
            while (!go)
                std::this_thread::yield();
            try {
                auto sched = std::move(loaded).attach();
                ++attached;
                // Hold it until the other one has lost.
                while (busy + other == 0)
                    std::this_thread::yield();
            } catch (const scxx::Error& e) {
                ++(e.errnum() == EBUSY || e.errnum() == EEXIST ? busy : other);
                if (e.errnum() != EBUSY && e.errnum() != EEXIST)
                    std::fprintf(stderr, "race: unexpected error: %s\n", e.what());
            }
        };
        std::thread a(contender), b(contender);
        go = true;
        a.join();
        b.join();
        if (attached != 1 || busy != 1) {
            std::printf("race: round %d: %d attached, %d refused busy, %d other errors (want 1, 1, 0)\n", round,
                        attached.load(), busy.load(), other.load());
            return 1;
        }
        if (scxx::system::state() != "disabled" && scxx::system::state() != "disabling") {
            std::printf("race: round %d: sched_ext is '%s' after both detached\n", round,
                        scxx::system::state().value_or("?").c_str());
            return 1;
        }
    }
    const int fds_after = open_fds();
    std::printf("race: 5 rounds, one winner and one EBUSY each; fds %d before, %d after\n", fds_before, fds_after);
    return fds_after == fds_before ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 2 && std::string_view(argv[1]) == "race")
        return race();
    bool fail_init = false;
    std::int32_t stall_pid = 0;
    std::chrono::milliseconds timeout{0};
    std::string throw_in;
    scxx::Cli cli("faults", "A shared FIFO that fails on request, for the fault suite.");
    cli.flag("--fail-init", "make ops.init fail", fail_init);
    cli.option("--stall-pid", "PID", "never run the tasks of process PID", stall_pid, 1, 4194304);
    cli.option("--timeout", "SECONDS", "the watchdog's timeout", timeout);
    cli.option("--throw-in", "WHERE", "throw from configure, attach or stats (the --stats callback)",
               [&](std::string_view v) {
                   if (v != "configure" && v != "attach" && v != "stats")
                       throw std::invalid_argument("'" + std::string(v) + "' is not configure, attach or stats");
                   throw_in = v;
               });
    auto maybe_throw = [&](const char* where) {
        if (throw_in == where)
            throw std::runtime_error(std::string("injected in ") + where);
    };
    return cli.run<faults_bpf>(
        argc, argv,
        [&](scxx::OpenScheduler<faults_bpf>& open) {
            open.rodata().fail_init = fail_init;
            open.rodata().stall_tgid = stall_pid;
            if (timeout.count() > 0)
                open.timeout(timeout);
            maybe_throw("configure");
        },
        [&](const scxx::AttachedScheduler<faults_bpf>& sched) {
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            std::printf("counters: enqueued=%llu stalled=%llu\n", static_cast<unsigned long long>(stats.sum(0)),
                        static_cast<unsigned long long>(stats.sum(1)));
            std::fflush(stdout);
            maybe_throw("stats");
        },
        [&](const scxx::AttachedScheduler<faults_bpf>&) { maybe_throw("attach"); });
}
