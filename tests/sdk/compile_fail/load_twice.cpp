// load() consumes the open scheduler: it needs an rvalue, so an lvalue cannot be loaded (or reused),
// and the compiler says what to write instead.
// expect: load\(\) consumes the OpenScheduler: call std::move\(open\).load\(\)
#include <scxx/scxx.hpp>
#include "simple.skel.hpp"

void f()
{
    auto open = scxx::open<simple_bpf>();
    auto loaded = std::move(open).load();
#ifdef SCXX_MISUSE
    auto again = open.load();
#endif
}
