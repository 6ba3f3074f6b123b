// An attached scheduler owns its link: it can be moved, never copied.
// expect: use of deleted function|call to (implicitly-)?deleted copy constructor
#include <scxx/scxx.hpp>
#include "simple.skel.hpp"

void f()
{
    auto sched = scxx::open<simple_bpf>().load().attach();
    auto moved = std::move(sched);
#ifdef SCXX_MISUSE
    auto copy = moved;
#endif
}
