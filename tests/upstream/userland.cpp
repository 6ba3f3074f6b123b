// The kernel's scx_userland example, driven through scxx's C++ API. Its BPF side hands the tasks
// it does not keep in the kernel to userspace (records on the `enqueued` queue) and runs the pids
// userspace puts on `dispatched`; its own loader (scx_userland.c) is that userspace. This driver
// plays the loader's part: it orders the tasks by weighted virtual runtime and hands them back a
// batch at a time, as a SCHED_EXT task the BPF side schedules itself (usersched_pid), while a
// workload runs. Built by project/CMakeLists.txt for scx_userland in place of runner.cpp.
//
// usage: userland --workload CMD [--batch N]
// Prints "PASS: ..." and exits 0 when CMD exited 0, the scheduler was detached by us (no error),
// tasks went through userspace and came back; else "FAIL: ..." and exits 1.
#include <scxx/scxx.hpp>

#include UPSTREAM_SKEL_HPP

#include <bpf/bpf.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace {

[[noreturn]] void fail(const std::string& why)
{
    std::printf("FAIL: %s\n", why.c_str());
    std::exit(1);
}

// Tasks ordered by virtual runtime: each task's runtime scaled by 100 / its weight (weight 100
// is nice 0), and never below the runtime of the last task handed out, so that a task that slept
// does not take over when it wakes.
class VruntimeQueue {
public:
    void enqueue(const scx_userland_enqueued_task& t)
    {
        Task& task = tasks_[t.pid];
        const double weight = t.weight ? static_cast<double>(t.weight) : 100.0;
        task.vruntime += static_cast<double>(t.sum_exec_runtime - task.sum_exec_runtime) * 100.0 / weight;
        if (task.vruntime < floor_)
            task.vruntime = floor_;
        task.sum_exec_runtime = t.sum_exec_runtime;
        order_.emplace(task.vruntime, t.pid);
    }
    bool empty() const { return order_.empty(); }
    std::size_t size() const { return order_.size(); }
    std::pair<double, __s32> first() const { return *order_.begin(); }
    void pop()
    {
        floor_ = order_.begin()->first;
        order_.erase(order_.begin());
    }

private:
    struct Task {
        double vruntime = 0;
        __u64 sum_exec_runtime = 0;
    };
    std::unordered_map<__s32, Task> tasks_;
    std::set<std::pair<double, __s32>> order_;
    double floor_ = 0;
};

pid_t start(const std::string& cmd)
{
    pid_t pid = fork();
    if (pid < 0)
        fail(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

} // namespace

int main(int argc, char** argv)
{
    std::string workload;
    unsigned batch = 8;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--workload")
            workload = argv[i + 1];
        else if (a == "--batch")
            batch = static_cast<unsigned>(std::atoi(argv[i + 1]));
        else
            fail("unknown option " + a);
    }
    if (workload.empty() || batch == 0)
        fail("usage: userland --workload CMD [--batch N]");
    // This process schedules every other task: a page fault it waits on could wait on itself.
    if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
        fail(std::string("mlockall: ") + std::strerror(errno));

    try {
        auto open = scxx::open<UPSTREAM_SKEL>();
        open.rodata().num_possible_cpus = static_cast<__u32>(libbpf_num_possible_cpus());
        open.rodata().usersched_pid = getpid();
        auto sched = std::move(open).load().attach();
        const int enqueued = bpf_map__fd(sched.maps().enqueued);
        const int dispatched = bpf_map__fd(sched.maps().dispatched);
        std::printf("attached: state=%s root/ops=%s\n", scxx::system::state().value_or("?").c_str(),
                    scxx::system::root_ops().value_or("?").c_str());

        VruntimeQueue queue;
        unsigned long long from_kernel = 0, handed_back = 0;
        int status = 0;
        pid_t child = start(workload);
        while (!sched.exited()) {
            scx_userland_enqueued_task t{};
            while (bpf_map_lookup_and_delete_elem(enqueued, nullptr, &t) == 0) {
                queue.enqueue(t);
                ++from_kernel;
            }
            sched.bss().nr_queued = 0;
            for (unsigned n = 0; n < batch && !queue.empty(); ++n) {
                __s32 pid = queue.first().second;
                if (bpf_map_update_elem(dispatched, nullptr, &pid, 0) != 0)
                    break; // full: the kernel has not taken the last batch yet
                queue.pop();
                ++handed_back;
            }
            sched.bss().nr_scheduled = queue.size();
            if (child > 0 && waitpid(child, &status, WNOHANG) == child)
                child = -1;
            if (child < 0)
                break;
            sched_yield();
        }
        if (child > 0) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
        }
        scxx::ExitInfo exit = sched.detach();
        std::printf("tasks from the kernel %llu, handed back %llu; exit: %s\n", from_kernel, handed_back,
                    exit.to_string().c_str());
        if (exit.kind != scxx::ExitKind::unreg)
            fail("the scheduler stopped before the workload ended: " + exit.to_string());
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail("the workload '" + workload + "' did not exit 0 (status " + std::to_string(status) + ")");
        if (from_kernel == 0 || handed_back == 0 || sched.bss().nr_user_enqueues == 0)
            fail("no task went through userspace");
        std::printf("PASS: %s\n", exit.to_string().c_str());
    } catch (const scxx::Error& e) {
        fail(e.what());
    }
    return 0;
}
