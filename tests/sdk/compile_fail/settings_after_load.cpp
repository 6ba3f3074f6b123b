// ops fields (flags, timeout, exit_dump_len, name suffix) are set on the open scheduler only.
// expect: has no member named .timeout.
#include <scxx/scxx.hpp>
#include "simple.skel.hpp"

void f()
{
    auto open = scxx::open<simple_bpf>();
    open.timeout(std::chrono::seconds(5)).flags(scxx::OpsFlags::switch_partial).name_suffix("_x");
    auto loaded = std::move(open).load();
#ifdef SCXX_MISUSE
    loaded.timeout(std::chrono::seconds(5));
#endif
}
