// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// percpu's loader: per-CPU stats and, from userspace, each CPU's queue length (typed DSQ handles
// through the SDK's control programs); --rebalance kicks idle CPUs awake when a queue backs up.
#include <scxx/scxx.hpp>

#include "percpu.h"
#include "percpu.skel.hpp"

#include <bpf/libbpf.h>

#include <string>
#include <vector>

constexpr scxx::StatInfo queued{"queued", "tasks waiting on each CPU's queue", scxx::StatKind::gauge, "cpu"};

int main(int argc, char** argv)
{
    bool rebalance = false;
    scxx::Cli cli("percpu", "One queue per CPU, idle CPUs served directly, empty CPUs steal.");
    cli.flag("--rebalance", "each stats interval, kick every CPU whose queue is empty while another's is not",
             rebalance);
    cli.describe_stats<percpu_stats>().describe_stats({queued});
    return cli.run<percpu_bpf>(
        argc, argv, [](scxx::OpenScheduler<percpu_bpf>& open) { open.enable_control(); },
        [&](const scxx::AttachedScheduler<percpu_bpf>& sched, scxx::Snapshot& stats) {
            scxx::BpfStats<percpu_stats>(sched.maps().percpu_stats).add_to(stats);
            const scxx::Control control = sched.control();
            bool backlog = false;
            std::vector<int> empty;
            const int ncpus = libbpf_num_possible_cpus();
            for (int c = 0; c < ncpus && !sched.exited(); ++c) { // the DSQs go with the scheduler
                int n = control.nr_queued(scxx::Dsq::user(static_cast<unsigned>(c)));
                stats.add(queued, n, std::to_string(c));
                backlog |= n > 0;
                if (n == 0)
                    empty.push_back(c);
            }
            if (rebalance && backlog)
                for (int c : empty)
                    control.kick_cpu(c, scxx::KickFlags::idle);
        });
}
