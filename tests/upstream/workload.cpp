// The workloads the kernel's selftest drivers run against their schedulers, as one program the
// cases (cases.sh) call through the runner's --before and --workload. Written for scxx from what
// each upstream driver does (the task pattern, not its code). Exits 0 only if every task it
// started did its part and exited 0.
//
// usage: upstream-work hold N         fork N tasks that wait for the end of stdin; print "ready"
//                                     once all exist (tasks that exist before a scheduler attaches)
//        upstream-work forks N [--ext | --ext-then-other]
//                                     fork N short-lived tasks; with --ext each first moves itself
//                                     to SCHED_EXT, with --ext-then-other every second one then
//                                     moves back to SCHED_OTHER
//        upstream-work workers N MS [--hammer MS]
//                                     N processes that spin and then sleep (odd) or yield (even)
//                                     for MS ms; --hammer: meanwhile move their affinity around
//                                     the first four CPUs from outside for MS ms
//        upstream-work pin-dance N    N SCHED_EXT tasks that pin themselves to one CPU after
//                                     another while forking a spinning child, while this process
//                                     also re-pins them from outside
//        upstream-work yielders CPUS N MS
//                                     N processes pinned to each of the first CPUS CPUs, calling
//                                     sched_yield() for MS ms
//        upstream-work rt-starve S    a spinning task of the default class (SCHED_EXT under a
//                                     switch-all scheduler) and a spinning SCHED_FIFO task on the
//                                     first allowed CPU for S seconds: fails unless the first got
//                                     at least 4% of the CPU time the two had (the deadline server
//                                     that keeps RT from starving the class below it)
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr int sched_ext_policy = 7; // SCHED_EXT

using Clock = std::chrono::steady_clock;

[[noreturn]] void usage(const char* why)
{
    std::fprintf(stderr, "upstream-work: %s (see the usage at the top of tests/upstream/workload.cpp)\n", why);
    std::exit(2);
}

int count(const char* text, const char* what)
{
    char* end = nullptr;
    long v = std::strtol(text, &end, 10);
    if (!*text || *end || v <= 0 || v > 100000)
        usage((std::string(what) + " must be a positive number, not '" + text + "'").c_str());
    return static_cast<int>(v);
}

std::vector<int> allowed_cpus()
{
    cpu_set_t set;
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
            if (CPU_ISSET(cpu, &set))
                cpus.push_back(cpu);
    return cpus;
}

bool pin(pid_t pid, int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(pid, sizeof(set), &set) == 0;
}

bool set_policy(int policy)
{
    sched_param param{};
    return sched_setscheduler(0, policy, &param) == 0;
}

void spin_for(std::chrono::milliseconds span)
{
    for (auto end = Clock::now() + span; Clock::now() < end;) {
    }
}

// Runs BODY in a child process; the child exits with BODY's result (0 = it did its part).
template <typename Body>
pid_t spawn(Body body)
{
    pid_t pid = fork();
    if (pid < 0) {
        std::perror("upstream-work: fork");
        std::exit(1);
    }
    if (pid == 0) {
        std::fflush(stdout);
        _exit(body());
    }
    return pid;
}

// Waits for every child of PIDS; returns how many did not exit 0.
int reap(const std::vector<pid_t>& pids)
{
    int failed = 0;
    for (pid_t pid : pids) {
        int status = 0;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            ++failed;
    }
    if (failed)
        std::fprintf(stderr, "upstream-work: %d of %zu tasks failed\n", failed, pids.size());
    return failed;
}

int hold(int n)
{
    std::vector<pid_t> pids;
    for (int i = 0; i < n; ++i)
        pids.push_back(spawn([] {
            char c;
            while (read(STDIN_FILENO, &c, 1) > 0) {
            }
            return 0;
        }));
    std::printf("ready\n");
    std::fflush(stdout);
    return reap(pids) ? 1 : 0;
}

int forks(int n, std::string_view mode)
{
    std::vector<pid_t> pids;
    for (int i = 0; i < n; ++i)
        pids.push_back(spawn([&] {
            if (mode.empty())
                return 0;
            if (!set_policy(sched_ext_policy)) {
                std::perror("upstream-work: sched_setscheduler(SCHED_EXT)");
                return 1;
            }
            if (mode == "--ext-then-other" && i % 2 == 0 && !set_policy(SCHED_OTHER)) {
                std::perror("upstream-work: sched_setscheduler(SCHED_OTHER)");
                return 1;
            }
            return 0;
        }));
    return reap(pids) ? 1 : 0;
}

int workers(int n, int ms, int hammer_ms)
{
    std::vector<pid_t> pids;
    for (int id = 0; id < n; ++id)
        pids.push_back(spawn([=] {
            volatile unsigned long sum = 0;
            for (auto end = Clock::now() + std::chrono::milliseconds(ms); Clock::now() < end;) {
                for (unsigned long j = 0; j < 20000; ++j)
                    sum = sum + j;
                if (id & 1)
                    usleep(1000 + id * 100);
                else
                    sched_yield();
            }
            return 0;
        }));
    if (hammer_ms > 0) {
        std::vector<int> cpus = allowed_cpus();
        std::size_t spread = cpus.size() < 4 ? cpus.size() : 4;
        auto end = Clock::now() + std::chrono::milliseconds(hammer_ms);
        for (std::size_t i = 0; Clock::now() < end; ++i)
            pin(pids[i % pids.size()], cpus[(i / pids.size()) % spread]); // a worker may have exited
    }
    return reap(pids) ? 1 : 0;
}

int pin_dance(int n)
{
    std::vector<int> cpus = allowed_cpus();
    if (cpus.size() < 2)
        usage("pin-dance needs two CPUs or more");
    auto cpu = [&](int i) { return cpus[static_cast<std::size_t>(i) % cpus.size()]; };
    std::vector<pid_t> pids;
    for (int i = 0; i < n; ++i)
        pids.push_back(spawn([&, i] {
            if (!pin(0, cpu(i)) || !set_policy(sched_ext_policy))
                return 1;
            pid_t child = spawn([] {
                spin_for(std::chrono::milliseconds(20));
                return 0;
            });
            for (int step = 1; step <= 4; ++step) {
                if (!pin(0, cpu(i + step)))
                    return 1;
                spin_for(std::chrono::milliseconds(5));
            }
            return reap({child});
        }));
    for (int i = 0; i < n; ++i)
        pin(pids[static_cast<std::size_t>(i)], cpu(i + n)); // races with the tasks' own moves
    return reap(pids) ? 1 : 0;
}

int yielders(int nr_cpus, int per_cpu, int ms)
{
    std::vector<int> cpus = allowed_cpus();
    if (cpus.size() < static_cast<std::size_t>(nr_cpus))
        usage(("yielders wants " + std::to_string(nr_cpus) + " CPUs, this machine lets it use " +
               std::to_string(cpus.size())).c_str());
    std::vector<pid_t> pids;
    for (int i = 0; i < nr_cpus * per_cpu; ++i)
        pids.push_back(spawn([&, i] {
            if (!pin(0, cpus[static_cast<std::size_t>(i / per_cpu)]))
                return 1;
            for (auto end = Clock::now() + std::chrono::milliseconds(ms); Clock::now() < end;)
                sched_yield();
            return 0;
        }));
    return reap(pids) ? 1 : 0;
}

// The CPU time PID has had, in ns (the first field of /proc/PID/schedstat).
long long cpu_time_ns(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
    long long ns = -1;
    in >> ns;
    return ns;
}

int rt_starve(int seconds)
{
    const int cpu = allowed_cpus().front();
    int ready[2];
    if (pipe(ready) != 0)
        return 1;
    auto spinner = [&](bool fifo) {
        return spawn([&, fifo] {
            sched_param param{};
            param.sched_priority = 50;
            if (!pin(0, cpu) || (fifo && sched_setscheduler(0, SCHED_FIFO, &param) != 0))
                return 1;
            char c = 1;
            if (write(ready[1], &c, 1) != 1)
                return 1;
            volatile unsigned long spins = 0;
            for (;;)
                spins = spins + 1;
        });
    };
    pid_t other = spinner(false), rt = spinner(true);
    close(ready[1]);
    char c;
    for (int i = 0; i < 2; ++i)
        if (read(ready[0], &c, 1) != 1) { // a child failed to set itself up
            kill(other, SIGKILL);
            kill(rt, SIGKILL);
            reap({other, rt});
            std::fprintf(stderr, "upstream-work: rt-starve: a task could not pin itself or become SCHED_FIFO\n");
            return 1;
        }
    const long long other0 = cpu_time_ns(other), rt0 = cpu_time_ns(rt);
    sleep(static_cast<unsigned>(seconds));
    const long long other_ns = cpu_time_ns(other) - other0, rt_ns = cpu_time_ns(rt) - rt0;
    kill(other, SIGKILL);
    kill(rt, SIGKILL);
    for (pid_t pid : {other, rt})
        waitpid(pid, nullptr, 0);
    const double share = other_ns + rt_ns > 0 ? static_cast<double>(other_ns) / static_cast<double>(other_ns + rt_ns) : 0;
    std::printf("rt-starve: on CPU %d for %d s the SCHED_FIFO task ran %.3f s, the other %.3f s (%.1f%%)\n", cpu,
                seconds, static_cast<double>(rt_ns) / 1e9, static_cast<double>(other_ns) / 1e9, share * 100);
    return share >= 0.04 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3)
        usage("no workload given");
    std::string_view what = argv[1];
    int n = count(argv[2], "N");
    if (what == "hold" && argc == 3)
        return hold(n);
    if (what == "forks" && (argc == 3 || (argc == 4 && (std::string_view(argv[3]) == "--ext" ||
                                                        std::string_view(argv[3]) == "--ext-then-other"))))
        return forks(n, argc == 4 ? argv[3] : "");
    if (what == "workers" && (argc == 4 || (argc == 6 && std::string_view(argv[4]) == "--hammer")))
        return workers(n, count(argv[3], "MS"), argc == 6 ? count(argv[5], "--hammer MS") : 0);
    if (what == "pin-dance" && argc == 3)
        return pin_dance(n);
    if (what == "rt-starve" && argc == 3)
        return rt_starve(n);
    if (what == "yielders" && argc == 5)
        return yielders(n, count(argv[3], "N"), count(argv[4], "MS"));
    usage(("unknown workload or arguments: " + std::string(what)).c_str());
}
