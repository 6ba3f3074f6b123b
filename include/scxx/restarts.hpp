// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// A scheduler run as a service: opened, loaded and attached again whenever the kernel asks for a
// restart, until a signal, a stop request, the duration or an exit that asks for none.

#include <scxx/exit_info.hpp>
#include <scxx/log.hpp>
#include <scxx/run_options.hpp>
#include <scxx/scheduler.hpp>

#include <memory>

namespace scxx {

// Runs a scheduler and starts it again whenever the kernel asks for a restart (an exit code with
// SCX_ECODE_ACT_RESTART, e.g. after a CPU hotplug), at most MAX_RESTARTS times. Each generation is
// opened afresh: CONFIGURE(OpenScheduler<Skel>&) sets it up, ON_ATTACH(AttachedScheduler<Skel>&, int
// generation) sees it attached. Returns the exit that ended the last generation.
template <class Skel, class Configure, class OnAttach>
ExitInfo run_with_restarts(Configure configure, OnAttach on_attach, const RunOptions& options = {},
                           int max_restarts = 16)
{
    std::unique_ptr<detail::StopSignals> signals;
    if (options.handle_signals)
        signals = std::make_unique<detail::StopSignals>();
    auto stopped = [&] { return options.stop.stop_requested() || (signals && detail::StopSignals::caught()); };
    ExitInfo exit;
    for (int generation = 1;; ++generation) {
        auto opened = open<Skel>();
        configure(opened);
        auto loaded = std::move(opened).load();
        if (stopped() && generation > 1)
            return exit; // stopped while restarting: the last generation's exit says why it ended
        auto sched = std::move(loaded).attach();
        on_attach(sched, generation);
        exit = sched.run(options);
        if (!exit.should_restart() || generation > max_restarts || stopped())
            return exit;
        detail::emit(LogLevel::info, sched.name(), "restarting after " + exit.to_string() + "\n");
    }
}

} // namespace scxx
