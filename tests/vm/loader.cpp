// The test schedulers' loader: attaches the skeleton named at build time and reports what happened,
// as the samples would: "counters: 0=N 1=N ..." (sums of the object's SCXX_COUNTERS map named stats,
// if it has one) and "exit: ..." once the kernel stopped it, it got SIGINT/SIGTERM, or DURATION
// seconds passed (default 20); "error: ..." with status 2 if scxx refused to go that far.
// usage: loader [DURATION]
#include <scxx/scxx.hpp>

#include SCXX_TEST_SKEL_HEADER

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv)
{
    try {
        auto sched = scxx::open<SCXX_TEST_SKEL>().load().attach();
        std::printf("attached\n");
        std::fflush(stdout);
        scxx::RunOptions options;
        options.duration = std::chrono::seconds(argc > 1 ? std::atoi(argv[1]) : 20);
        scxx::ExitInfo exit = sched.run(options);
        if (const bpf_map* stats = bpf_object__find_map_by_name(sched.object(), "stats")) {
            scxx::PerCpuArray<std::uint64_t> counters(stats);
            std::string line = "counters:";
            for (std::uint32_t i = 0; i < counters.size(); ++i)
                line += " " + std::to_string(i) + "=" + std::to_string(counters.sum(i));
            std::printf("%s\n", line.c_str());
        }
        std::printf("exit: %s\n", exit.to_string().c_str());
        if (!exit.dump.empty())
            std::printf("dump:\n%s\n", exit.dump.c_str());
        return 0;
    } catch (const scxx::Error& e) {
        std::printf("error: %s\n", e.what());
        return 2;
    }
}
