// Runs a differential BPF test object's syscall program run_checks once (BPF_PROG_RUN after
// scxx::open and load; its scheduler is never attached) and fails unless every comparison it made
// agreed and it made at least CHECKS_AT_LEAST of them (fewer means it stopped early). The object
// counts in its globals `checks` and `failures` and records the first failure's code in
// `first_failure`. Built once per object (tests/bpf/CMakeLists.txt: CHECKS_SKEL, CHECKS_SKEL_HPP).
#include <scxx/scxx.hpp>

#include CHECKS_SKEL_HPP

#include <cstdio>
#include <cstring>

int main()
{
    try {
        auto sched = scxx::open<CHECKS_SKEL>().load();
        LIBBPF_OPTS(bpf_test_run_opts, run);
        if (bpf_prog_test_run_opts(bpf_program__fd(sched.progs().run_checks), &run) != 0) {
            std::printf("FAIL: BPF_PROG_RUN of run_checks: %s\n", std::strerror(errno));
            return 1;
        }
        const auto& r = sched.bss();
        std::printf("%s: %llu comparisons, %llu wrong (first: %llu), program returned %u\n", sched.name().c_str(),
                    static_cast<unsigned long long>(r.checks), static_cast<unsigned long long>(r.failures),
                    static_cast<unsigned long long>(r.first_failure), run.retval);
        if (run.retval != 0 || r.failures != 0 || r.checks < CHECKS_AT_LEAST) {
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
