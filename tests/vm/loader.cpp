// The test schedulers' loader: attaches the skeleton named at build time and reports what happened,
// as the samples would: "exit: ..." once the kernel stopped it (or after 20 s), "error: ..." with
// status 2 if scxx refused to go that far.
#include <scxx/scxx.hpp>

#include SCXX_TEST_SKEL_HEADER

#include <cstdio>

int main()
{
    try {
        auto sched = scxx::open<SCXX_TEST_SKEL>().load().attach();
        scxx::RunOptions options;
        options.duration = std::chrono::seconds(20);
        scxx::ExitInfo exit = sched.run(options);
        std::printf("exit: %s\n", exit.to_string().c_str());
        return 0;
    } catch (const scxx::Error& e) {
        std::printf("error: %s\n", e.what());
        return 2;
    }
}
