// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// Loader of the minimal scheduler: attach, run until SIGINT/SIGTERM (or --duration), print the
// counters and the kernel's exit info.
#include <scxx/scxx.hpp>

#include "minimal.h"
#include "minimal.skel.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void usage(std::FILE* out)
{
    std::fputs("usage: minimal [--fifo] [--duration SECONDS] [--stats SECONDS]\n"
               "  --fifo       first-come-first-served instead of weighted vtime\n"
               "  --duration   detach after this many seconds (default: until SIGINT/SIGTERM)\n"
               "  --stats      print the counters every this many seconds\n",
               out);
}

void print_counters(const scxx::PerCpuArray<std::uint64_t>& stats)
{
    std::printf("counters: direct=%llu enqueued=%llu dispatched=%llu\n",
                static_cast<unsigned long long>(stats.sum(MINIMAL_STAT_DIRECT)),
                static_cast<unsigned long long>(stats.sum(MINIMAL_STAT_ENQUEUED)),
                static_cast<unsigned long long>(stats.sum(MINIMAL_STAT_DISPATCHED)));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    bool fifo = false;
    bool periodic_stats = false;
    scxx::RunOptions run;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--fifo") {
            fifo = true;
        } else if ((arg == "--duration" || arg == "--stats") && i + 1 < argc) {
            char* end = nullptr;
            double seconds = std::strtod(argv[++i], &end);
            if (*end != '\0' || seconds <= 0) {
                std::fprintf(stderr, "minimal: %s needs a positive number of seconds, not '%s'\n", arg.c_str(), argv[i]);
                return 2;
            }
            auto ms = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
            if (arg == "--duration") {
                run.duration = ms;
            } else {
                run.interval = ms;
                periodic_stats = true;
            }
        } else if (arg == "-h" || arg == "--help") {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }

    try {
        auto open = scxx::open<minimal_bpf>();
        open.rodata().fifo = fifo;
        auto sched = std::move(open).load().attach();
        scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
        std::printf("minimal: attached (%s mode); state=%s ops=%s\n", fifo ? "fifo" : "vtime",
                    scxx::system::state().value_or("?").c_str(), scxx::system::root_ops().value_or("?").c_str());
        std::fflush(stdout);
        if (periodic_stats)
            run.on_interval = [&] { print_counters(stats); };
        scxx::ExitInfo exit = sched.run(run);
        print_counters(stats);
        std::printf("exit: %s\n", exit.to_string().c_str());
        return exit.is_error() ? 1 : 0;
    } catch (const scxx::Error& e) {
        std::fprintf(stderr, "minimal: %s\n", e.what());
        return 1;
    }
}
