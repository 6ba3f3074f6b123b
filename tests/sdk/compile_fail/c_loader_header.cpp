// A loader written against the kernel examples' C loader headers gets told what replaces them.
// expect: <scx/common.h> .* is not provided by scxx: load the skeleton with scxx::open<Skel>\(\)
#include <scx/bpf_arena_common.h> // the userspace half of a shared header: provided
#include <scxx/scxx.hpp>
#ifdef SCXX_MISUSE
#include <scx/common.h>
#endif

int main() { return 0; }
