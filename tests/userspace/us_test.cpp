// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// A FIFO policy that exercises the rest of scxx::userspace for the tests: --idle-cpu sends each
// task to an idle CPU picked through the BPF side when there is one, --events asks for the
// stopped and cpu_idle events and counts them, --throw-after N makes the policy throw at its Nth
// decision (a policy bug: the SDK must detach and say so).
#include <scxx/userspace.hpp>

#include "us_test.skel.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace us = scxx::userspace;

class TestPolicy : public us::Policy {
public:
    bool idle_cpu = false, events = false;
    long throw_after = 0;
    us::Runner<us_test_bpf>* runner = nullptr;
    unsigned long long stopped_events = 0, idle_events = 0, picked = 0;

    void enqueue(const us::Task& task) override { queue_.push(task); }
    bool dispatch(us::Decision& next) override
    {
        if (!queue_.pop_into(next))
            return false;
        if (throw_after > 0 && ++decisions_ == throw_after)
            throw std::runtime_error("decision " + std::to_string(decisions_) + " failed on purpose");
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
    void stopped(pid_t, std::uint64_t, bool) override { ++stopped_events; }
    void cpu_idle(int) override { ++idle_events; }
    us::Want wants() const override { return events ? us::Want::stopped | us::Want::cpu_idle : us::Want::nothing; }

private:
    us::TaskQueue queue_{16384};
    long decisions_ = 0;
};

int main(int argc, char** argv)
{
    TestPolicy policy;
    scxx::Cli cli("us_test", "A FIFO policy with the test hooks of scxx::userspace.");
    cli.flag("--idle-cpu", "send each task to an idle CPU picked by BPF, when there is one", policy.idle_cpu);
    cli.flag("--events", "ask for the stopped and cpu_idle events", policy.events);
    cli.option("--throw-after", "N", "throw at the Nth decision", [&](std::string_view v) {
        policy.throw_after = std::atol(std::string(v).c_str());
        if (policy.throw_after < 1)
            throw std::invalid_argument("needs a positive number");
    });
    int status = us::run<us_test_bpf>(cli, argc, argv, policy, {},
                                      [&](scxx::OpenScheduler<us_test_bpf>&, us::Runner<us_test_bpf>& r) {
                                          policy.runner = &r;
                                      });
    std::printf("policy: picked=%llu stopped_events=%llu idle_events=%llu\n", policy.picked, policy.stopped_events,
                policy.idle_events);
    return status;
}
