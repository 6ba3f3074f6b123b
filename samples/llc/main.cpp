// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// llc's loader: the SDK's command line (--stats, --topology, --duration, -v, --help ...) plus
// --slice-us, --no-boost and --no-preempt. Its stats are declared once, in llc.h.
#include <scxx/scxx.hpp>

#include "llc.h"
#include "llc.skel.hpp"

#include <cstdint>
#include <cstdio>

int main(int argc, char** argv)
{
    std::uint64_t slice_us = 20000;
    bool no_boost = false;
    bool no_preempt = false;
    scxx::Cli cli("llc", "A queue per last-level cache in weighted vtime; idle-core-first wakeups, stealing when idle.");
    cli.option("--slice-us", "US", "time slice in microseconds (100 to 100000, default 20000)", slice_us,
               std::uint64_t{100}, std::uint64_t{100000});
    cli.flag("--no-boost", "sort by vtime alone: no head start for tasks that run in short bursts", no_boost);
    cli.flag("--no-preempt", "a waking interactive task that finds no idle CPU waits for a slice to end", no_preempt);
    cli.describe_stats<llc_stats>().describe_stats({scxx::kernel_events_info});
    return cli.run<llc_bpf>(
        argc, argv,
        [&](scxx::OpenScheduler<llc_bpf>& open) {
            open.rodata().slice_ns = slice_us * 1000;
            open.rodata().no_boost = no_boost;
            open.rodata().no_preempt = no_preempt;
        },
        [](const scxx::AttachedScheduler<llc_bpf>& sched, scxx::Snapshot& stats) {
            scxx::BpfStats<llc_stats>(sched.maps().llc_stats).add_to(stats);
            scxx::add_kernel_events(stats);
        },
        [&](const scxx::AttachedScheduler<llc_bpf>&) {
            std::printf("llc: %llu us slices%s%s\n", static_cast<unsigned long long>(slice_us),
                        no_boost ? ", no boost" : "", no_preempt ? ", no preemption" : "");
        });
}
