// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// qmap's loader: per-queue statistics, the queue of chosen tasks (--task PID), and --fail-after to
// see the debug dump that ops.dump and ops.dump_task write into the exit info.
#include <scxx/scxx.hpp>

#include "qmap.h"
#include "qmap.skel.hpp"

#include <string>
#include <vector>

// The stats this loader adds itself: per queue (label queue="0".."4", 0 the lowest priority) and
// per watched task (label pid).
constexpr scxx::StatInfo queue_enqueued{"queue_enqueued", "tasks queued on each priority queue",
                                        scxx::StatKind::counter, "queue"};
constexpr scxx::StatInfo queue_length{"queue_length", "tasks waiting on each priority queue", scxx::StatKind::gauge,
                                      "queue"};
constexpr scxx::StatInfo task_queue{"task_queue", "the queue a task chosen with --task was last put on",
                                    scxx::StatKind::gauge, "pid"};
constexpr scxx::StatInfo task_enqueues{"task_enqueues", "how often a task chosen with --task was queued",
                                       scxx::StatKind::counter, "pid"};

int main(int argc, char** argv)
{
    std::chrono::milliseconds fail_after{0};
    std::vector<std::uint32_t> watched;
    scxx::Cli cli("qmap", "Five priority FIFOs in BPF queue maps; a task's nice value picks its queue.");
    cli.option("--fail-after", "SECONDS", "make the scheduler fail after SECONDS, to show the debug dump", fail_after);
    cli.option("--task", "PID", "also show the queue and enqueue count of PID (repeatable)", [&](std::string_view v) {
        watched.push_back(scxx::parse_integer<std::uint32_t>(v, 1, 4194304)); // PID_MAX_LIMIT
    });
    cli.describe_stats<qmap_stats>().describe_stats({queue_enqueued, queue_length, task_queue, task_enqueues});
    return cli.run<qmap_bpf>(
        argc, argv,
        [&](scxx::OpenScheduler<qmap_bpf>& open) {
            open.rodata().fail_after_ns = static_cast<std::uint64_t>(std::chrono::nanoseconds(fail_after).count());
        },
        [&](const scxx::AttachedScheduler<qmap_bpf>& sched, scxx::Snapshot& stats) {
            scxx::BpfStats<qmap_stats>(sched.maps().qmap_stats).add_to(stats);
            for (unsigned q = 0; q < QMAP_NR_QUEUES; ++q) {
                stats.add(queue_enqueued, sched.bss().nr_enqueued[q], std::to_string(q));
                stats.add(queue_length, sched.bss().nr_queued[q], std::to_string(q));
            }
            scxx::Hash<std::uint32_t, qmap_task> tasks(sched.maps().tasks);
            for (std::uint32_t pid : watched)
                if (auto t = tasks.get(pid)) { // a task not seen (yet) has no values
                    stats.add(task_queue, t->queue, std::to_string(pid));
                    stats.add(task_enqueues, t->enqueues, std::to_string(pid));
                }
        });
}
