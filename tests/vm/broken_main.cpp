// Loads the broken scheduler and reports how the kernel stopped it.
#include <scxx/scxx.hpp>

#include "broken.skel.hpp"

#include <cstdio>

int main()
{
    try {
        auto sched = scxx::open<broken_bpf>().load().attach();
        scxx::RunOptions options;
        options.duration = std::chrono::seconds(20);
        scxx::ExitInfo exit = sched.run(options);
        std::printf("exit: %s\n", exit.to_string().c_str());
        return exit.is_error() ? 0 : 1;
    } catch (const scxx::Error& e) {
        std::fprintf(stderr, "broken: %s\n", e.what());
        return 2;
    }
}
