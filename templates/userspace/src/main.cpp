// @NAME@: a scheduling policy in C++ userspace (scxx::userspace). BPF hands every runnable task to
// enqueue(); dispatch() gives decisions back: which task runs next, where (Decision::on_cpu, or the
// shared queue), for how long (with_slice) and in which order (with_vtime). A task not decided
// within the fallback time (--fallback-ms) runs anyway, so a bug here cannot stall the machine.
// Also: scxx's command line (--stats [SECONDS], --help-stats, --duration, --batch N, -v, --help ...), restarts,
// SIGINT/SIGTERM detach, and both sides' stats (scxx::userspace::run adds them).
#include <scxx/userspace.hpp>

#include "@NAME@.skel.hpp"

namespace us = scxx::userspace;

class Policy : public us::Policy {
public:
    void enqueue(const us::Task& task) override { queue_.push(task); }
    bool dispatch(us::Decision& next) override { return queue_.pop_into(next); }

private:
    us::TaskQueue queue_{16384}; // fixed size: nothing is allocated while scheduling
};

int main(int argc, char** argv)
{
    static Policy policy;
    scxx::Cli cli("@NAME@", "A scheduling policy in C++ userspace, built with scxx.");
    return us::run<@NAME@_bpf>(cli, argc, argv, policy);
}
