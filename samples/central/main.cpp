// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// central's loader: which CPU decides (--central), the slice (--slice-us), and per-CPU counters that
// show where decisions were made and where tasks ran.
#include <scxx/scxx.hpp>

#include "central.h"
#include "central.skel.hpp"

#include <bpf/libbpf.h>

#include <cstdio>
#include <stdexcept>
#include <string>

int main(int argc, char** argv)
{
    int central = 0;
    long slice_us = 20000;
    scxx::Cli cli("central", "One CPU makes every scheduling decision; the others run what it gives them.");
    cli.option("--central", "CPU", "the CPU that decides (default 0)", central, 0, libbpf_num_possible_cpus() - 1);
    cli.option("--slice-us", "MICROSECONDS", "how long a task may run while others wait (default 20000)", slice_us,
               100L, 10'000'000L);
    return cli.run<central_bpf>(
        argc, argv,
        [&](scxx::OpenScheduler<central_bpf>& open) {
            open.rodata().central_cpu = central;
            open.rodata().slice_ns = static_cast<std::uint64_t>(slice_us) * 1000;
        },
        [&](const scxx::AttachedScheduler<central_bpf>& sched) {
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            std::printf("counters: central=%d%s%s%s%s%s%s\n", central,
                        stats.field("enqueued", CENTRAL_STAT_ENQUEUED).c_str(),
                        stats.field("decisions", CENTRAL_STAT_DECISIONS).c_str(),
                        stats.field("local", CENTRAL_STAT_LOCAL).c_str(),
                        stats.field("preempts", CENTRAL_STAT_PREEMPTS).c_str(),
                        stats.field("wakeups", CENTRAL_STAT_WAKEUPS).c_str(),
                        stats.field("taken_back", CENTRAL_STAT_TAKEN_BACK).c_str());
            std::fflush(stdout);
        });
}
