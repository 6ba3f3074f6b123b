// Read-only data is fixed at load: a loaded scheduler hands it out as const.
// expect: assignment of (member|read-only).*fifo|cannot assign to.*const
#include <scxx/scxx.hpp>
#include "simple.skel.hpp"

void f()
{
    auto open = scxx::open<simple_bpf>();
    open.rodata().fifo = true;
    auto loaded = std::move(open).load();
    [[maybe_unused]] bool fifo = loaded.rodata().fifo;
#ifdef SCXX_MISUSE
    loaded.rodata().fifo = true;
#endif
}
