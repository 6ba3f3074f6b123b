// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// minimal's loader, the canonical scxx main(): the SDK's command line and run loop, and a counter.
#include <scxx/scxx.hpp>

#include "minimal.skel.hpp"

#include <cstdio>

int main(int argc, char** argv)
{
    scxx::Cli cli("minimal", "Every task through the kernel's global FIFO.");
    return cli.run<minimal_bpf>(
        argc, argv, [](scxx::OpenScheduler<minimal_bpf>&) {},
        [](const scxx::AttachedScheduler<minimal_bpf>& sched) {
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            std::printf("counters: enqueued=%llu\n", static_cast<unsigned long long>(stats.sum(0)));
            std::fflush(stdout);
        });
}
