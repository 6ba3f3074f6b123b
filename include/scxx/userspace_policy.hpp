// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// What a userspace policy is written against (scxx/userspace.hpp runs it): the Task it is handed,
// the Decision it gives back, the Policy interface, fixed-capacity queues that do not allocate
// while scheduling, the runner's Options, and both sides' counters.

#include <linux/types.h>
#include <scxx/userspace.h>

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace scxx::userspace {

// A task waiting for the policy's decision.
struct Task {
    pid_t pid = 0;
    int cpu = -1;                   // the CPU it woke on or last ran on: a hint
    std::uint32_t weight = 100;     // sched_ext's weight: 100 at nice 0, 1..10000
    int nr_cpus_allowed = 0;
    std::uint64_t runtime_ns = 0;   // its total CPU time so far
    std::uint64_t enqueued_ns = 0;  // when BPF sent it (CLOCK_MONOTONIC)
    std::uint64_t enq_flags = 0;    // the kernel's SCX_ENQ_* flags
    std::uint64_t token = 0;        // which wait this is; a Decision carries it back
};

// The answer for one Task: where it runs, for how long, in which order.
struct Decision {
    Decision() = default;
    explicit Decision(const Task& task) : pid(task.pid), token(task.token), enqueued_ns(task.enqueued_ns) {}

    // Run on this CPU next (if the task may run there; else it is queued as if no CPU was chosen).
    Decision& on_cpu(int c) { cpu = c; return *this; }
    Decision& with_slice(std::chrono::nanoseconds s) { slice_ns = static_cast<std::uint64_t>(s.count()); return *this; }
    // Order in the shared queue: lower runs first. Unset (0): first come, first served (the
    // kernel's global FIFO, served before the shared queue). Use one or the other in a policy.
    Decision& with_vtime(std::uint64_t v) { vtime = v; return *this; }

    pid_t pid = 0;
    int cpu = -1;                // -1: any CPU the task may use
    std::uint64_t slice_ns = 0;  // 0: the scheduler's default slice
    std::uint64_t vtime = 0;
    std::uint64_t token = 0;
    std::uint64_t enqueued_ns = 0;
};

// Optional events a policy can ask for (Policy::wants()); each costs a record per occurrence.
enum class Want : unsigned {
    nothing = 0,
    stopped = SCXX_US_WANT_STOPPED,   // Policy::stopped after every run of every task
    cpu_idle = SCXX_US_WANT_CPU_IDLE, // Policy::cpu_idle whenever a CPU goes idle
};
constexpr Want operator|(Want a, Want b) { return Want(unsigned(a) | unsigned(b)); }

class Policy {
public:
    virtual ~Policy() = default;
    // A task became runnable: keep it until dispatch() hands out its decision.
    virtual void enqueue(const Task& task) = 0;
    // Writes the next decision and returns true, or returns false when there is none to give now.
    virtual bool dispatch(Decision& next) = 0;
    // A task stopped running after RUNTIME_NS in total; RUNNABLE if it will be enqueued again.
    virtual void stopped(pid_t /*pid*/, std::uint64_t /*runtime_ns*/, bool /*runnable*/) {}
    // A CPU has nothing to run.
    virtual void cpu_idle(int /*cpu*/) {}
    virtual Want wants() const { return Want::nothing; }
};

// A fixed-capacity FIFO for policies that must not allocate while scheduling.
template <class T>
class FixedQueue {
public:
    explicit FixedQueue(std::size_t capacity) : slots_(capacity) {}
    // False (and nothing stored) when full.
    bool push(const T& v)
    {
        if (size_ == slots_.size())
            return false;
        slots_[(head_ + size_++) % slots_.size()] = v;
        return true;
    }
    bool pop(T& out)
    {
        if (size_ == 0)
            return false;
        out = slots_[head_];
        head_ = (head_ + 1) % slots_.size();
        --size_;
        return true;
    }
    std::size_t size() const noexcept { return size_; }

private:
    std::vector<T> slots_;
    std::size_t head_ = 0, size_ = 0;
};

// Tasks in arrival order. A task that finds it full is not lost: BPF runs it after the fallback time.
class TaskQueue : public FixedQueue<Task> {
public:
    using FixedQueue<Task>::FixedQueue;
    // Pops the oldest task into a Decision for it (any CPU, first come first served, default slice).
    bool pop_into(Decision& d)
    {
        Task t;
        if (!pop(t))
            return false;
        d = Decision(t);
        return true;
    }
};

struct Options {
    std::size_t batch = 8;                      // decisions sent to the kernel at once, and tasks
                                                // that may wait for the policy while all CPUs are busy
    std::chrono::milliseconds fallback{200};    // a task not decided by then runs anyway
    std::chrono::nanoseconds slice{0};          // default slice; 0: the kernel's SCX_SLICE_DFL
    bool lock_memory = true;                    // mlockall, so the loop never waits on paging
};

// What the userspace side did (the kernel side: KernelStats).
struct Stats {
    std::uint64_t received = 0;        // runnable tasks handed to the policy
    std::uint64_t decided = 0;         // decisions sent
    std::uint64_t batches = 0;         // batches sent (a full one wakes an idle CPU)
    std::uint64_t max_batch = 0;
    std::uint64_t events = 0;          // stopped and cpu_idle events
    std::uint64_t sleeps = 0;          // times the loop waited for work
    std::uint64_t polls = 0;           // of those, times it waited in poll: BPF did not park it
    std::uint64_t latency_sum_ns = 0;  // from BPF sending a task to its decision being sent
    std::uint64_t latency_max_ns = 0;

    double mean_batch() const { return batches ? double(decided) / double(batches) : 0; }
    double mean_latency_us() const { return decided ? double(latency_sum_ns) / double(decided) / 1000 : 0; }
};

// The BPF side's counters (scxx_us_stats, bpf_include/scxx/userspace.h: sums over CPUs) and its
// gauge of tasks waiting for a decision.
struct KernelStats : scxx_us_stats {
    std::int64_t waiting = 0;
    std::uint64_t parked = 0; // times BPF held the loop's thread while it waited for work
};

} // namespace scxx::userspace
