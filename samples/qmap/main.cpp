// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// qmap's loader: per-queue statistics, the queue of chosen tasks (--task PID), and --fail-after to
// see the debug dump that ops.dump and ops.dump_task write into the exit info.
#include <scxx/scxx.hpp>

#include "qmap.h"
#include "qmap.skel.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    std::chrono::milliseconds fail_after{0};
    std::vector<std::uint32_t> watched;
    scxx::Cli cli("qmap", "Five priority FIFOs in BPF queue maps; a task's nice value picks its queue.");
    cli.option("--fail-after", "SECONDS", "make the scheduler fail after SECONDS, to show the debug dump", fail_after);
    cli.option("--task", "PID", "also print the queue and enqueue count of PID (repeatable)", [&](std::string_view v) {
        watched.push_back(scxx::parse_integer<std::uint32_t>(v, 1, 4194304)); // PID_MAX_LIMIT
    });
    return cli.run<qmap_bpf>(
        argc, argv,
        [&](scxx::OpenScheduler<qmap_bpf>& open) {
            open.rodata().fail_after_ns = static_cast<std::uint64_t>(std::chrono::nanoseconds(fail_after).count());
        },
        [&](const scxx::AttachedScheduler<qmap_bpf>& sched) {
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            std::string line = "counters:";
            std::uint64_t enqueued = 0;
            for (unsigned q = 0; q < QMAP_NR_QUEUES; ++q) {
                std::uint64_t n = stats.sum(QMAP_STAT_QUEUED0 + q);
                enqueued += n;
                line += " q" + std::to_string(q) + "=" + std::to_string(n) + "(now " +
                        std::to_string(sched.bss().nr_queued[q]) + ")";
            }
            line += " enqueued=" + std::to_string(enqueued) + " direct=" + std::to_string(stats.sum(QMAP_STAT_DIRECT)) +
                    " dispatched=" + std::to_string(stats.sum(QMAP_STAT_DISPATCHED)) +
                    " overflow=" + std::to_string(stats.sum(QMAP_STAT_OVERFLOW));
            std::printf("%s\n", line.c_str());
            scxx::Hash<std::uint32_t, qmap_task> tasks(sched.maps().tasks);
            for (std::uint32_t pid : watched) {
                if (auto t = tasks.get(pid))
                    std::printf("task %u: queue=%u enqueues=%llu\n", pid, t->queue,
                                static_cast<unsigned long long>(t->enqueues));
                else
                    std::printf("task %u: not seen\n", pid);
            }
            std::fflush(stdout);
        });
}
