// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// simple's loader: the SDK's command line (--stats, --duration, -v, --help) plus --fifo.
#include <scxx/scxx.hpp>

#include "simple.h"
#include "simple.skel.hpp"

#include <cstdio>

int main(int argc, char** argv)
{
    bool fifo = false;
    scxx::Cli cli("simple", "One shared queue, ordered by weighted virtual time (or first come, first served).");
    cli.flag("--fifo", "first come, first served instead of weighted vtime", fifo);
    return cli.run<simple_bpf>(
        argc, argv, [&](scxx::OpenScheduler<simple_bpf>& open) { open.rodata().fifo = fifo; },
        [&](const scxx::AttachedScheduler<simple_bpf>& sched) {
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            std::printf("counters: mode=%s direct=%llu enqueued=%llu dispatched=%llu kept=%llu\n",
                        fifo ? "fifo" : "vtime", static_cast<unsigned long long>(stats.sum(SIMPLE_STAT_DIRECT)),
                        static_cast<unsigned long long>(stats.sum(SIMPLE_STAT_ENQUEUED)),
                        static_cast<unsigned long long>(stats.sum(SIMPLE_STAT_DISPATCHED)),
                        static_cast<unsigned long long>(stats.sum(SIMPLE_STAT_KEPT)));
            std::fflush(stdout);
        });
}
