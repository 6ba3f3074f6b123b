// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// user_fifo: first come, first served, decided by a C++ policy in userspace. BPF hands every
// runnable task to this process; the policy keeps them in a fixed-size queue and gives them back in
// arrival order, each to the shared queue that every CPU serves.
#include <scxx/userspace.hpp>

#include "user_fifo.skel.hpp"

namespace us = scxx::userspace;

class Fifo : public us::Policy {
public:
    void enqueue(const us::Task& task) override { queue_.push(task); }
    bool dispatch(us::Decision& next) override { return queue_.pop_into(next); }

private:
    us::TaskQueue queue_{16384};
};

int main(int argc, char** argv)
{
    Fifo policy;
    scxx::Cli cli("user_fifo", "First come, first served, decided by a C++ policy in userspace.");
    return us::run<user_fifo_bpf>(cli, argc, argv, policy);
}
