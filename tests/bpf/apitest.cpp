// Drives apitest.bpf.c: userspace control through the runtime's syscall programs while attached,
// then runs until the scheduler ends itself (scxx_exit) and prints its counters and exit info.
#include <scxx/scxx.hpp>

#include "apitest.skel.hpp"

#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

int main()
{
    try {
        auto open = scxx::open<apitest_bpf>();
        std::printf("abi: %s\n", scxx::abi_level_name(open.abi_level()).c_str());
        open.enable_control();
        auto sched = std::move(open).load().attach();
        std::printf("attached\n");

        const scxx::Control ctl = sched.control();
        const auto a = scxx::Dsq::user(1000), b = scxx::Dsq::user(1001);
        ctl.create_dsq(a);
        ctl.create_dsq(b);
        std::printf("control: created DSQs 1000 and 1001, nr_queued(1000)=%d\n", ctl.nr_queued(a));
        std::printf("control: moved %d tasks from DSQ 1000 to 1001\n", ctl.move_all(a, b));
        ctl.kick_cpu(0, scxx::KickFlags::preempt);
        ctl.destroy_dsq(a);
        try {
            ctl.nr_queued(a);
            std::printf("control: FAIL: destroyed DSQ 1000 still answers\n");
        } catch (const scxx::Error& e) {
            std::printf("control: destroyed DSQ 1000 answers errno %d (%s)\n", e.errnum(),
                        e.errnum() == ENOENT ? "ENOENT" : "unexpected");
        }
        std::vector<scxx::system::Event> events = ctl.events();
        std::printf("control: %zu event counters, first %s=%lld\n", events.size(),
                    events.empty() ? "-" : events.front().name.c_str(),
                    static_cast<long long>(events.empty() ? 0 : events.front().value));
        std::fflush(stdout);

        scxx::RunOptions options;
        options.duration = std::chrono::seconds(90);
        scxx::ExitInfo exit = sched.run(options);
        scxx::PerCpuArray<std::uint64_t> stats(sched.maps().stats);
        std::string line = "counters:";
        for (std::uint32_t i = 0; i < stats.size(); ++i)
            line += " " + std::to_string(i) + "=" + std::to_string(stats.sum(i));
        std::printf("%s\nexit: %s\n", line.c_str(), exit.to_string().c_str());
        return 0;
    } catch (const scxx::Error& e) {
        std::printf("error: %s\n", e.what());
        return 2;
    }
}
