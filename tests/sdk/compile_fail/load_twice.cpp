// load() consumes the open scheduler: it needs an rvalue, so an lvalue cannot be loaded (or reused).
// expect: passing .*OpenScheduler.* as .this. argument discards qualifiers|no matching (member )?function for call to .load
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
