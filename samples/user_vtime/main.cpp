// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// user_vtime: weighted fair sharing, decided by a C++ policy in userspace. Each task's virtual
// runtime advances by the CPU time it used divided by its weight; the shared queue runs the lowest
// first, and each task's slice is proportional to its weight, so two tasks taking turns on one CPU
// get CPU time in the ratio of their weights (nice 0 : nice 5 = 1024 : 335). A slice only ends at a
// timer tick, so tasks run a little longer than granted: the average overrun is taken off every
// slice, which keeps short slices (low weights) from getting more than their share.
#include <scxx/userspace.hpp>

#include "user_vtime.skel.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

namespace us = scxx::userspace;

class WeightedFair : public us::Policy {
public:
    void enqueue(const us::Task& task) override
    {
        Entity& e = entity(task.pid);
        if (e.pid != task.pid) // new here (or a rare slot collision): start at the current virtual time
            e = {task.pid, vtime_now_, task.runtime_ns, 0};
        const std::uint64_t used = task.runtime_ns - e.last_runtime;
        e.vruntime += used * 100 / std::max<std::uint32_t>(task.weight, 1);
        e.last_runtime = task.runtime_ns;
        if (e.granted_ns != 0 && used >= e.granted_ns) // it ran to the end of its slice
            overrun_ns_ = std::min((overrun_ns_ * 15 + std::int64_t(used - e.granted_ns)) / 16,
                                   std::int64_t(base_slice_ns) / 4);
        e.granted_ns = 0;
        // A task that slept long must not bank more than one slice of credit.
        e.vruntime = std::max(e.vruntime, vtime_now_ > base_slice_ns ? vtime_now_ - base_slice_ns : 0);
        ready_.push({task, e.vruntime}); // if full, BPF runs it after the fallback time
    }

    bool dispatch(us::Decision& next) override
    {
        Ready r;
        if (!ready_.pop(r))
            return false;
        vtime_now_ = std::max(vtime_now_, r.vruntime);
        Entity& e = entity(r.task.pid);
        std::int64_t slice = std::int64_t(base_slice_ns * r.task.weight / 100) - overrun_ns_;
        slice = std::clamp<std::int64_t>(slice, 100'000, 2 * std::int64_t(base_slice_ns));
        if (e.pid == r.task.pid)
            e.granted_ns = std::uint64_t(slice);
        // vtime 0 would mean "after everything so far": shift by one to keep it an order key.
        next = us::Decision(r.task).with_vtime(r.vruntime + 1).with_slice(std::chrono::nanoseconds(slice));
        return true;
    }

private:
    static constexpr std::uint64_t base_slice_ns = 20'000'000;
    static constexpr std::size_t capacity = 16384;
    struct Entity {
        pid_t pid = 0;
        std::uint64_t vruntime = 0;
        std::uint64_t last_runtime = 0;
        std::uint64_t granted_ns = 0; // the slice of its last decision
    };
    Entity& entity(pid_t pid) { return entities_[static_cast<std::size_t>(pid) % entities_.size()]; }
    struct Ready {
        us::Task task;
        std::uint64_t vruntime = 0;
    };
    std::array<Entity, capacity> entities_{}; // by pid modulo capacity: no allocation while scheduling
    us::FixedQueue<Ready> ready_{capacity};
    std::uint64_t vtime_now_ = 0;
    std::int64_t overrun_ns_ = 0; // how much longer than their slice tasks run, on average
};

int main(int argc, char** argv)
{
    static WeightedFair policy; // large: not on the stack
    scxx::Cli cli("user_vtime", "Weighted fair sharing, decided by a C++ policy in userspace.");
    return us::run<user_vtime_bpf>(cli, argc, argv, policy);
}
