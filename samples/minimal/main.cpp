// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// minimal's loader, the canonical scxx main(): the SDK's command line and run loop, and its stats.
#include <scxx/scxx.hpp>

#include "minimal.h"
#include "minimal.skel.hpp"

int main(int argc, char** argv)
{
    scxx::Cli cli("minimal", "Every task through the kernel's global FIFO.");
    cli.describe_stats<minimal_stats>();
    return cli.run<minimal_bpf>(
        argc, argv, [](scxx::OpenScheduler<minimal_bpf>&) {},
        [](const scxx::AttachedScheduler<minimal_bpf>& sched, scxx::Snapshot& stats) {
            scxx::BpfStats<minimal_stats>(sched.maps().minimal_stats).add_to(stats);
        });
}
