// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// ring_fifo's loader: reads the records every 20 ms (BPF sends them without waking it) and counts
// them next to the tasks enqueued (all read by the time it prints, unless the ring was full).
#include <scxx/scxx.hpp>

#include "ring_fifo.skel.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <thread>

int main(int argc, char** argv)
{
    scxx::Cli cli("ring_fifo", "The global FIFO, telling userspace about every task.");
    std::optional<scxx::RingBuffer<std::int32_t>> records;
    unsigned long long read = 0;
    return cli.run<ring_fifo_bpf>(
        argc, argv, [](scxx::OpenScheduler<ring_fifo_bpf>&) {},
        [&](const scxx::AttachedScheduler<ring_fifo_bpf>& sched) {
            records->consume();
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            std::printf("counters: enqueued=%llu read=%llu\n", static_cast<unsigned long long>(stats.sum(0)), read);
            std::fflush(stdout);
        },
        [&](const scxx::AttachedScheduler<ring_fifo_bpf>& sched) {
            records.reset();
            records.emplace(sched.maps().records, [&](const std::int32_t&) { ++read; });
        },
        [&](std::chrono::milliseconds budget) {
            std::this_thread::sleep_for(std::min(budget, std::chrono::milliseconds(20)));
            records->consume();
        });
}
