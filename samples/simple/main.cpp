// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// simple's loader: the SDK's command line (--stats, --stats-format, --metrics-file, --duration, -v,
// --help) plus --fifo. Its stats are declared once, in simple.h.
#include <scxx/scxx.hpp>

#include "simple.h"
#include "simple.skel.hpp"

#include <cstdio>

int main(int argc, char** argv)
{
    bool fifo = false;
    scxx::Cli cli("simple", "One shared queue, ordered by weighted virtual time (or first come, first served).");
    cli.flag("--fifo", "first come, first served instead of weighted vtime", fifo);
    cli.describe_stats<simple_stats>().describe_stats({scxx::kernel_events_info});
    return cli.run<simple_bpf>(
        argc, argv, [&](scxx::OpenScheduler<simple_bpf>& open) { open.rodata().fifo = fifo; },
        [](const scxx::AttachedScheduler<simple_bpf>& sched, scxx::Snapshot& stats) {
            scxx::BpfStats<simple_stats>(sched.maps().simple_stats).add_to(stats);
            scxx::add_kernel_events(stats);
        },
        [&](const scxx::AttachedScheduler<simple_bpf>&) {
            std::printf("simple: %s order\n", fifo ? "fifo" : "vtime");
        });
}
