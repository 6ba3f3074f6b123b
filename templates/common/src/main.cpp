// The loader of @NAME@: scxx's command line (--stats [SECONDS], --duration SECONDS, -v, --help), its
// run loop (SIGINT/SIGTERM detach, restarts when the kernel asks) and @NAME@'s counters.
#include <scxx/scxx.hpp>

#include "@NAME@.h"
#include "@NAME@.skel.hpp"

#include <cstdio>

int main(int argc, char** argv)
{
    scxx::Cli cli("@NAME@", "A sched_ext scheduler built with scxx.");
    return cli.run<@NAME@_bpf>(
        argc, argv, [](scxx::OpenScheduler<@NAME@_bpf>&) {},
        [](const scxx::AttachedScheduler<@NAME@_bpf>& sched) {
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            std::printf("counters: enqueued=%llu dispatched=%llu\n",
                        static_cast<unsigned long long>(stats.sum(@NAME_UPPER@_STAT_ENQUEUED)),
                        static_cast<unsigned long long>(stats.sum(@NAME_UPPER@_STAT_DISPATCHED)));
            std::fflush(stdout);
        });
}
