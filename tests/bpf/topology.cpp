// The loader of topology.bpf.c: attaches it until SIGINT (or DURATION seconds), then prints the
// counters ("counters: 0=N ..."), each CPU's core, LLC and node index and masks as the BPF side
// built them ("cpu 3 core=1:2-3 llc=0:0-3 node=0:0-3"), and the exit. With --no-topology it hands
// the BPF side an empty topology, which ops.init must refuse. usage: topology DURATION [--no-topology]
#include <scxx/scxx.hpp>

#include "topology.skel.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {
std::string mask_text(std::uint32_t index, std::uint64_t bits)
{
    std::vector<int> cpus;
    for (int c = 0; c < 64; ++c)
        if (bits & (std::uint64_t{1} << c))
            cpus.push_back(c);
    return (index == ~0u ? std::string("none") : std::to_string(index)) + ":" + scxx::format_cpu_list(cpus);
}
} // namespace

int main(int argc, char** argv)
{
    try {
        auto open = scxx::open<topology_bpf>();
        if (argc > 2 && std::strcmp(argv[2], "--no-topology") == 0)
            open.topology(scxx::Topology{});
        auto sched = std::move(open).load().attach();
        std::printf("attached\n");
        std::fflush(stdout);
        scxx::RunOptions options;
        options.duration = std::chrono::seconds(argc > 1 ? std::atoi(argv[1]) : 20);
        scxx::ExitInfo exit = sched.run(options);
        scxx::PerCpuArray<std::uint64_t> counters(sched.maps().stats);
        std::string line = "counters:";
        for (std::uint32_t i = 0; i < counters.size(); ++i)
            line += " " + std::to_string(i) + "=" + std::to_string(counters.sum(i));
        std::printf("%s\n", line.c_str());
        const auto& bss = sched.bss();
        for (std::uint32_t c = 0; c < bss.nr_seen; ++c)
            std::printf("cpu %u core=%s llc=%s node=%s\n", c, mask_text(bss.core_of[c], bss.core_bits[c]).c_str(),
                        mask_text(bss.llc_of[c], bss.llc_bits[c]).c_str(), mask_text(bss.node_of[c], bss.node_bits[c]).c_str());
        std::printf("exit: %s\n", exit.to_string().c_str());
        return 0;
    } catch (const scxx::Error& e) {
        std::printf("error: %s\n", e.what());
        return 2;
    }
}
