// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// central's loader: which CPU decides (--central), the slice (--slice-us), and stats that show,
// per CPU, where decisions were made and where tasks ran.
#include <scxx/scxx.hpp>

#include "central.h"
#include "central.skel.hpp"

#include <bpf/libbpf.h>

#include <cstdio>

int main(int argc, char** argv)
{
    int central = 0;
    long slice_us = 20000;
    scxx::Cli cli("central", "One CPU makes every scheduling decision; the others run what it gives them.");
    cli.option("--central", "CPU", "the CPU that decides (default 0)", central, 0, libbpf_num_possible_cpus() - 1);
    cli.option("--slice-us", "MICROSECONDS", "how long a task may run while others wait (default 20000)", slice_us,
               100L, 10'000'000L);
    cli.describe_stats<central_stats>().describe_stats({scxx::kernel_events_info});
    return cli.run<central_bpf>(
        argc, argv,
        [&](scxx::OpenScheduler<central_bpf>& open) {
            open.rodata().central_cpu = central;
            open.rodata().slice_ns = static_cast<std::uint64_t>(slice_us) * 1000;
        },
        [](const scxx::AttachedScheduler<central_bpf>& sched, scxx::Snapshot& stats) {
            scxx::BpfStats<central_stats>(sched.maps().central_stats).add_to(stats);
            scxx::add_kernel_events(stats);
        },
        [&](const scxx::AttachedScheduler<central_bpf>&) { std::printf("central: CPU %d decides\n", central); });
}
