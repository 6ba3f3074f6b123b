// The kernel's nohz_tick selftest (7.3), driven through scxx's C++ API. Its BPF side gives tasks
// an infinite slice until userspace sets finite_phase, a 1 ms slice after, and counts on the test
// CPU (rodata test_cpu) the runs of each phase and the scheduler ticks of the finite one. What its
// own driver (nohz_tick.c) checks, this one checks the same way: on a nohz_full CPU, an
// infinite-slice task lets the tick stop; the next task with a finite slice must get ticks again
// (at least 3 within 1 s), and so must a second one after the CPU idled. Needs a boot with a
// nohz_full CPU and a housekeeping one (vm.upstream.v7_3_st_nohz: nohz_full=1, two CPUs).
// Built by project/CMakeLists.txt for nohz_tick in place of runner.cpp.
//
// usage: nohz_tick
// Prints "PASS: ..." and exits 0; else "FAIL: ..." and exits 1.
#include <scxx/scxx.hpp>

#include UPSTREAM_SKEL_HPP

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

namespace {

[[noreturn]] void fail(const std::string& why)
{
    std::printf("FAIL: %s\n", why.c_str());
    std::exit(1);
}

constexpr int sched_ext_policy = 7; // SCHED_EXT

// The first CPU of /sys/devices/system/cpu/nohz_full ("1", "1-3", "1,3") that ALLOWED has.
std::optional<int> nohz_full_cpu(const cpu_set_t& allowed)
{
    std::ifstream in("/sys/devices/system/cpu/nohz_full");
    std::string list;
    std::getline(in, list);
    std::size_t pos = 0;
    while (pos < list.size()) {
        std::size_t end = list.find(',', pos);
        std::string range = list.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? list.size() : end + 1;
        std::size_t dash = range.find('-');
        int first = std::atoi(range.c_str());
        int last = dash == std::string::npos ? first : std::atoi(range.c_str() + dash + 1);
        for (int cpu = first; cpu <= last && cpu < CPU_SETSIZE; ++cpu)
            if (cpu >= 0 && CPU_ISSET(cpu, &allowed))
                return cpu;
    }
    return std::nullopt;
}

// A child that becomes a SCHED_EXT task, pins itself to CPU and spins; it dies with us.
pid_t start_spinner(int cpu)
{
    pid_t pid = fork();
    if (pid < 0)
        fail(std::string("fork: ") + std::strerror(errno));
    if (pid > 0)
        return pid;
    sched_param param{};
    cpu_set_t mask;
    CPU_ZERO(&mask);
    CPU_SET(cpu, &mask);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || sched_setscheduler(0, sched_ext_policy, &param) != 0 ||
        sched_setaffinity(0, sizeof(mask), &mask) != 0)
        _exit(1);
    for (;;)
        asm volatile("" ::: "memory");
}

void end(pid_t& pid)
{
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
    pid = -1;
}

// Waits up to a second for *COUNTER (written by BPF) to reach AT_LEAST.
bool reaches(const unsigned long long* counter, unsigned long long at_least)
{
    for (int ms = 0; ms < 1000; ++ms) {
        if (__atomic_load_n(counter, __ATOMIC_RELAXED) >= at_least)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

} // namespace

int main()
{
    cpu_set_t all;
    if (sched_getaffinity(0, sizeof(all), &all) != 0)
        fail(std::string("sched_getaffinity: ") + std::strerror(errno));
    std::optional<int> cpu = nohz_full_cpu(all);
    if (!cpu)
        fail("no nohz_full CPU this process may use: boot with nohz_full=N (vm.upstream.v7_3_st_nohz does)");
    cpu_set_t housekeeping = all;
    CPU_CLR(*cpu, &housekeeping);
    if (CPU_COUNT(&housekeeping) == 0)
        fail("no CPU left for this driver besides the nohz_full one");

    pid_t inf = -1, finite = -1;
    try {
        auto open = scxx::open<UPSTREAM_SKEL>();
        open.rodata().test_cpu = *cpu;
        // As nohz_tick.c: only SCHED_EXT tasks (the spinners), and ops.enqueue for a CPU's last task.
        open.flags(scxx::OpsFlags::switch_partial | scxx::OpsFlags::enq_last);
        auto loaded = std::move(open).load();
        if (sched_setaffinity(0, sizeof(housekeeping), &housekeeping) != 0)
            fail(std::string("cannot move the driver off CPU ") + std::to_string(*cpu) + ": " + std::strerror(errno));
        auto sched = std::move(loaded).attach();
        auto& bss = sched.bss();
        static_assert(sizeof(bss.nr_finite_ticks) == sizeof(unsigned long long));
        auto counter = [](auto& field) { return reinterpret_cast<const unsigned long long*>(&field); };

        // Phase 1: an infinite slice lets the test CPU stop its tick; the task then stops, not exits.
        inf = start_spinner(*cpu);
        if (!reaches(counter(bss.nr_inf_running), 1))
            fail("the infinite-slice task never ran on CPU " + std::to_string(*cpu));
        int status = 0;
        if (kill(inf, SIGSTOP) != 0 || waitpid(inf, &status, WUNTRACED) != inf || !WIFSTOPPED(status))
            fail("cannot stop the infinite-slice task");
        std::this_thread::sleep_for(std::chrono::milliseconds(100)); // CPU idle, tick stopped

        // Phase 2: a finite slice must bring the tick back.
        __atomic_store_n(&bss.finite_phase, true, __ATOMIC_RELEASE);
        finite = start_spinner(*cpu);
        if (!reaches(counter(bss.nr_finite_running), 1))
            fail("the finite-slice task never ran");
        if (!reaches(counter(bss.nr_finite_ticks), 3))
            fail("the finite-slice task got " + std::to_string(bss.nr_finite_ticks) + " ticks in 1 s, not 3");
        end(finite);

        // Phase 3: after the CPU idled behind a finite-slice task, the next one gets ticks too.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const unsigned long long runs = bss.nr_finite_running, ticks = bss.nr_finite_ticks;
        finite = start_spinner(*cpu);
        if (!reaches(counter(bss.nr_finite_running), runs + 1))
            fail("the second finite-slice task never ran");
        if (!reaches(counter(bss.nr_finite_ticks), ticks + 3))
            fail("the second finite-slice task got " + std::to_string(bss.nr_finite_ticks - ticks) +
                 " ticks in 1 s, not 3");
        end(finite);
        end(inf);
        const unsigned long long total = bss.nr_finite_ticks;
        scxx::ExitInfo exit = sched.detach(); // the kernel's exit if it ejected the scheduler meanwhile
        if (exit.kind != scxx::ExitKind::unreg)
            fail("the scheduler did not end by our detach: " + exit.to_string());
        std::printf("PASS: CPU %d (nohz_full) got %llu ticks in the finite-slice phases; exit: %s\n", *cpu, total,
                    exit.to_string().c_str());
    } catch (const scxx::Error& e) {
        end(finite);
        end(inf);
        fail(e.what());
    }
    return 0;
}
