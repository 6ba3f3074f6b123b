// Kick flags are typed: a raw number (or enqueue flags) is not a KickFlags.
// expect: cannot convert .*(int|EnqFlags).* to .*KickFlags|no matching (member )?function for call to .kick_cpu
#include <scxx/scxx.hpp>
#include "simple.skel.hpp"

void f(const scxx::Control& ctl)
{
    ctl.kick_cpu(0, scxx::KickFlags::preempt | scxx::KickFlags::wait);
#ifdef SCXX_MISUSE
    ctl.kick_cpu(0, 2);
#endif
}
