// attach() consumes the loaded scheduler: on an lvalue the compiler says what to write instead.
// expect: attach\(\) consumes the LoadedScheduler: call std::move\(loaded\).attach\(\)
#include <scxx/scxx.hpp>
#include "simple.skel.hpp"

void f()
{
    auto loaded = scxx::open<simple_bpf>().load();
#ifdef SCXX_MISUSE
    auto sched = loaded.attach();
#else
    auto sched = std::move(loaded).attach();
#endif
}
