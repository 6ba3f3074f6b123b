// DSQ ids are typed: a bare integer is not a Dsq; Dsq::user(id) validates it.
// expect: cannot convert .*to .*Dsq|no matching (member )?function for call to .create_dsq|invalid initialization of reference of type .*Dsq
#include <scxx/scxx.hpp>
#include "simple.skel.hpp"

void f(const scxx::Control& ctl)
{
    ctl.create_dsq(scxx::Dsq::user(42));
#ifdef SCXX_MISUSE
    ctl.create_dsq(42);
#endif
}
