// The loader of @NAME@: scxx's command line (--stats [SECONDS], --help-stats, --duration SECONDS,
// -v, --help ...), its run loop (SIGINT/SIGTERM detach, restarts when the kernel asks) and
// @NAME@'s stats (@NAME@.h) with the kernel's own sched_ext events.
#include <scxx/scxx.hpp>

#include "@NAME@.h"
#include "@NAME@.skel.hpp"

int main(int argc, char** argv)
{
    scxx::Cli cli("@NAME@", "A sched_ext scheduler built with scxx.");
    cli.describe_stats<@NAME@_stats>().describe_stats({scxx::kernel_events_info});
    return cli.run<@NAME@_bpf>(
        argc, argv, [](scxx::OpenScheduler<@NAME@_bpf>&) {},
        [](const scxx::AttachedScheduler<@NAME@_bpf>& sched, scxx::Snapshot& stats) {
            scxx::BpfStats<@NAME@_stats>(sched.maps().@NAME@_stats).add_to(stats);
            scxx::add_kernel_events(stats);
        });
}
