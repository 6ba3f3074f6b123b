// The loader of @NAME@: attach, print counters while running, detach on SIGINT/SIGTERM (or after
// --duration) and print why the scheduler stopped.
#include <scxx/scxx.hpp>

#include "@NAME@.h"
#include "@NAME@.skel.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
const char* const usage = "usage: @NAME@ [--duration SECONDS] [--stats SECONDS] [-v]\n"
                          "  --duration  detach after this long (default: until SIGINT/SIGTERM)\n"
                          "  --stats     print the counters at this interval\n"
                          "  -v          also print libbpf's and scxx's debug messages\n";

void print_counters(const scxx::PerCpuArray<std::uint64_t>& stats)
{
    std::printf("counters: enqueued=%llu dispatched=%llu\n",
                static_cast<unsigned long long>(stats.sum(@NAME_UPPER@_STAT_ENQUEUED)),
                static_cast<unsigned long long>(stats.sum(@NAME_UPPER@_STAT_DISPATCHED)));
    std::fflush(stdout);
}
} // namespace

int main(int argc, char** argv)
{
    scxx::RunOptions run;
    bool stats_on = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if ((arg == "--duration" || arg == "--stats") && i + 1 < argc) {
            double seconds = std::atof(argv[++i]);
            if (seconds <= 0) {
                std::fprintf(stderr, "@NAME@: %s needs a positive number of seconds\n", arg.c_str());
                return 2;
            }
            auto ms = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
            (arg == "--duration" ? run.duration : run.interval) = ms;
            stats_on |= arg == "--stats";
        } else if (arg == "-v") {
            scxx::set_log_level(scxx::LogLevel::debug);
        } else {
            std::fputs(usage, arg == "-h" || arg == "--help" ? stdout : stderr);
            return arg == "-h" || arg == "--help" ? 0 : 2;
        }
    }
    try {
        auto sched = scxx::open<@NAME@_bpf>().load().attach();
        scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
        std::printf("@NAME@: attached\n");
        std::fflush(stdout);
        if (stats_on)
            run.on_interval = [&] { print_counters(stats); };
        scxx::ExitInfo exit = sched.run(run);
        print_counters(stats);
        std::printf("exit: %s\n", exit.to_string().c_str());
        return exit.is_error() ? 1 : 0;
    } catch (const scxx::Error& e) {
        std::fprintf(stderr, "@NAME@: %s\n", e.what());
        return 1;
    }
}
