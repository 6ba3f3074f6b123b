// Runs cmask.bpf.c's differential test of <scxx/cmask.bpf.h> on the running kernel (BPF_PROG_RUN
// of its syscall program after scxx::open and load; the scheduler is never attached) and fails
// unless every comparison agreed with the model.
#include <scxx/scxx.hpp>

#include "cmask.skel.hpp"

#include <cstdio>
#include <cstring>

int main()
{
    try {
        auto sched = scxx::open<cmask_bpf>().load();
        LIBBPF_OPTS(bpf_test_run_opts, run);
        if (bpf_prog_test_run_opts(bpf_program__fd(sched.progs().run_checks), &run) != 0) {
            std::printf("FAIL: BPF_PROG_RUN of run_checks: %s\n", std::strerror(errno));
            return 1;
        }
        const auto& r = sched.bss();
        std::printf("cmask: %llu comparisons, %llu wrong (first: %llu), program returned %u\n",
                    static_cast<unsigned long long>(r.checks), static_cast<unsigned long long>(r.failures),
                    static_cast<unsigned long long>(r.first_failure), run.retval);
        // Five masks: 5 * (264 + 1 + 256) single-mask checks alone; far fewer means it stopped early.
        if (run.retval != 0 || r.failures != 0 || r.checks < 5 * 521) {
            std::printf("FAIL\n");
            return 1;
        }
        std::printf("PASS\n");
        return 0;
    } catch (const scxx::Error& e) {
        std::printf("FAIL: %s\n", e.what());
        return 1;
    }
}
