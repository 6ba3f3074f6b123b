// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// percpu's loader: per-CPU counters and, from userspace, each CPU's queue length (typed DSQ handles
// through the SDK's control programs); --rebalance kicks idle CPUs awake when a queue backs up.
#include <scxx/scxx.hpp>

#include "percpu.h"
#include "percpu.skel.hpp"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    bool rebalance = false;
    scxx::Cli cli("percpu", "One queue per CPU, idle CPUs served directly, empty CPUs steal.");
    cli.flag("--rebalance", "each interval, kick every CPU whose queue is empty while another's is not", rebalance);
    return cli.run<percpu_bpf>(
        argc, argv, [](scxx::OpenScheduler<percpu_bpf>& open) { open.enable_control(); },
        [&](const scxx::AttachedScheduler<percpu_bpf>& sched) {
            scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
            const scxx::Control control = sched.control();
            const unsigned ncpus = stats.possible_cpus();
            std::string queued;
            bool backlog = false;
            std::vector<int> empty;
            for (unsigned c = 0; c < ncpus && !sched.exited(); ++c) { // the DSQs go with the scheduler
                queued += (c ? "/" : " queued_cpu=");
                int n = control.nr_queued(scxx::Dsq::user(c));
                queued += std::to_string(n);
                backlog |= n > 0;
                if (n == 0)
                    empty.push_back(static_cast<int>(c));
            }
            if (rebalance && backlog)
                for (int c : empty)
                    control.kick_cpu(c, scxx::KickFlags::idle);
            std::printf("counters:%s%s%s%s%s%s\n", stats.field("direct", PERCPU_STAT_DIRECT).c_str(),
                        stats.field("enqueued", PERCPU_STAT_ENQUEUED).c_str(),
                        stats.field("local", PERCPU_STAT_LOCAL).c_str(),
                        stats.field("stolen", PERCPU_STAT_STOLEN).c_str(),
                        stats.field("kicks", PERCPU_STAT_KICKS).c_str(),
                        queued.c_str());
            std::fflush(stdout);
        });
}
