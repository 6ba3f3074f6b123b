// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// A FIFO policy that exercises the rest of scxx::userspace for the tests: --idle-cpu sends each
// task to an idle CPU picked through the BPF side when there is one, --events asks for the
// stopped and cpu_idle events and counts them, --throw-in CALLBACK [--throw-after N] makes that
// callback of the policy throw on its Nth call (a policy bug: the SDK must detach and say so;
// tests/faults/policy.sh).
#include <scxx/userspace.hpp>

#include "us_test.skel.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace us = scxx::userspace;

class TestPolicy : public us::Policy {
public:
    bool idle_cpu = false, events = false;
    std::string throw_in; // the callback that throws
    long throw_after = 1; // on its Nth call
    us::Runner<us_test_bpf>* runner = nullptr;
    unsigned long long stopped_events = 0, idle_events = 0, picked = 0;

    void enqueue(const us::Task& task) override
    {
        maybe_throw("enqueue");
        queue_.push(task);
    }
    bool dispatch(us::Decision& next) override
    {
        if (!queue_.pop_into(next))
            return false;
        maybe_throw("dispatch");
        if (idle_cpu && runner) {
            us::Task t;
            t.pid = next.pid;
            int cpu = runner->pick_idle_cpu(t);
            if (cpu >= 0) {
                next.on_cpu(cpu);
                ++picked;
            }
        }
        return true;
    }
    void stopped(pid_t, std::uint64_t, bool) override
    {
        maybe_throw("stopped");
        ++stopped_events;
    }
    void cpu_idle(int) override
    {
        maybe_throw("cpu_idle");
        ++idle_events;
    }
    us::Want wants() const override
    {
        maybe_throw("wants");
        bool want = events || throw_in == "stopped" || throw_in == "cpu_idle";
        return want ? us::Want::stopped | us::Want::cpu_idle : us::Want::nothing;
    }

private:
    void maybe_throw(const char* callback) const
    {
        if (throw_in == callback && ++calls_ == throw_after)
            throw std::runtime_error(std::string(callback) + " call " + std::to_string(calls_) + " failed on purpose");
    }

    us::TaskQueue queue_{16384};
    mutable long calls_ = 0;
};

int main(int argc, char** argv)
{
    TestPolicy policy;
    scxx::Cli cli("us_test", "A FIFO policy with the test hooks of scxx::userspace.");
    cli.flag("--idle-cpu", "send each task to an idle CPU picked by BPF, when there is one", policy.idle_cpu);
    cli.flag("--events", "ask for the stopped and cpu_idle events", policy.events);
    cli.option("--throw-in", "CALLBACK", "make enqueue, dispatch, stopped, cpu_idle or wants throw",
               [&](std::string_view v) {
                   for (const char* known : {"enqueue", "dispatch", "stopped", "cpu_idle", "wants"})
                       if (v == known)
                           policy.throw_in = known;
                   if (policy.throw_in.empty())
                       throw std::invalid_argument("'" + std::string(v) +
                                                   "' is not enqueue, dispatch, stopped, cpu_idle or wants");
               });
    cli.option("--throw-after", "N", "throw on the Nth call (default 1)", policy.throw_after, 1L, 1000000L);
    int status = us::run<us_test_bpf>(cli, argc, argv, policy, {},
                                      [&](scxx::OpenScheduler<us_test_bpf>&, us::Runner<us_test_bpf>& r) {
                                          policy.runner = &r;
                                      });
    std::printf("policy: picked=%llu stopped_events=%llu idle_events=%llu\n", policy.picked, policy.stopped_events,
                policy.idle_events);
    return status;
}
