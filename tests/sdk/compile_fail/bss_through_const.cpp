// A const scheduler shows its writable globals as const: a stats printer that takes it by const&
// can read them but not change them.
// expect: assignment of (member|read-only).*nr_queued|cannot assign to.*const
#include <scxx/scxx.hpp>
#include "qmap.skel.hpp"

void print(const scxx::AttachedScheduler<qmap_bpf>& sched)
{
    [[maybe_unused]] auto n = sched.bss().nr_queued[0];
#ifdef SCXX_MISUSE
    sched.bss().nr_queued[0] = 0;
#endif
}

void f()
{
    auto sched = scxx::open<qmap_bpf>().load().attach();
    sched.bss().nr_queued[0] = 0; // the owner may
    print(sched);
}
