// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Scheduling policies in C++ userspace. BPF (bpf_include/scxx/userspace.bpf.c) only moves tasks:
// each runnable task comes here, the policy decides where and in which order it runs, and the
// decision goes back to be applied in the kernel. A task the policy does not decide within the
// fallback time is run from the kernel's global queue anyway, so a slow or stopped policy never
// stalls the machine.
//
//   class Fifo : public scxx::userspace::Policy {
//       scxx::userspace::TaskQueue queue_{4096};
//       void enqueue(const Task& t) override { queue_.push(t); }
//       bool dispatch(Decision& d) override { return queue_.pop_into(d); }
//   };
//   // CMake: scxx_add_userspace_scheduler(fifo SOURCES main.cpp)
//   int main(int argc, char** argv)
//   {
//       Fifo policy;
//       scxx::Cli cli("fifo", "first come, first served, decided in userspace");
//       return scxx::userspace::run<fifo_bpf>(cli, argc, argv, policy);
//   }
//
// The loop: records from BPF are handed to the policy as they arrive; then dispatch() is asked for
// decisions until it has none, which are sent in batches (Options::batch). With nothing to do the
// loop yields its CPU, which applies the decisions as it goes on, and BPF holds (parks) its thread
// until BPF sends more; if full batches went out and more records keep it busy, it wakes an idle
// CPU to apply them meanwhile. A CPU that would otherwise go idle while records wait runs the
// parked loop next; a batch of waiting tasks wakes an idle CPU for it. So while every CPU is busy
// the policy runs once a batch, and waking it costs no wakeup, interrupt or select_cpu.
// The loop itself does not allocate; memory is locked (mlockall) so that it does not page either.

//
// The pieces: userspace_policy.hpp (what a policy implements and uses), userspace_runner.hpp (the
// engine), and here run(), which puts them under scxx::Cli.

#include <scxx/cli.hpp>
#include <scxx/number.hpp>
#include <scxx/scheduler.hpp>
#include <scxx/userspace_policy.hpp>
#include <scxx/userspace_runner.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace scxx::userspace {

// Runs POLICY as the scheduler Skel (from scxx_add_userspace_scheduler) under CLI: the Cli's own
// options plus --batch N and --fallback-ms MS, restarts, clean exit, and both sides' stats in
// every output the Cli offers.
// CONFIGURE, if given, sets up the object further before load. Returns the process's exit status.
template <class Skel>
int run(Cli& cli, int argc, char** argv, Policy& policy, Options options = {},
        std::function<void(OpenScheduler<Skel>&, Runner<Skel>&)> configure = {})
{
    cli.option("--batch", "N", "decisions sent to the kernel at once (default " + std::to_string(options.batch) + ")",
               options.batch, std::size_t{1}, std::size_t{4096});
    cli.option("--fallback-ms", "MS",
               "a task not decided within MS runs anyway (default " + std::to_string(options.fallback.count()) + ")",
               [&](std::string_view v) { options.fallback = std::chrono::milliseconds(parse_integer(v, 1, 10000)); });
    cli.describe_stats(Runner<Skel>::stat_infos());
    std::optional<Runner<Skel>> runner; // made once the command line has set the options
    return cli.run<Skel>(
        argc, argv,
        [&](OpenScheduler<Skel>& open) {
            if (!runner)
                runner.emplace(policy, options);
            runner->configure(open);
            if (configure)
                configure(open, *runner);
        },
        [&](const AttachedScheduler<Skel>&, Snapshot& stats) {
            runner->drain(); // at the end: every task BPF sent is counted as received
            runner->add_stats(stats);
        },
        [&](AttachedScheduler<Skel>& sched) { runner->attach(sched); },
        [&](std::chrono::milliseconds budget) { runner->serve(budget); });
}

} // namespace scxx::userspace
