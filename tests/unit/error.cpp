#include <doctest/doctest.h>
#include <scxx/error.hpp>

#include <cerrno>

TEST_CASE("errors name the operation, the object, the errno and what to do")
{
    scxx::Error e("attach", "minimal_bpf", EBUSY, "another sched_ext scheduler ('simple') is attached; stop it first");
    CHECK(std::string(e.what()) ==
          "scxx: attach 'minimal_bpf' failed: Device or resource busy (errno 16): another sched_ext scheduler "
          "('simple') is attached; stop it first");
    CHECK(e.errnum() == EBUSY);
    CHECK((e.code() == std::errc::device_or_resource_busy));
    CHECK(e.operation() == "attach");
    CHECK(e.object() == "minimal_bpf");
}

TEST_CASE("a verifier log is appended after the message")
{
    scxx::Error e("load", "x_bpf", EACCES, "the verifier rejected a program", "R1 invalid mem access");
    CHECK(std::string(e.what()).ends_with("rejected a program\nR1 invalid mem access"));
    CHECK(e.log() == "R1 invalid mem access");
}

TEST_CASE("libbpf's negative return values become positive errno values")
{
    CHECK(scxx::detail::positive_errno(-ENOENT) == ENOENT);
    errno = EPERM;
    CHECK(scxx::detail::positive_errno(0) == EPERM);
}

#include <scxx/scheduler.hpp>

TEST_CASE("a load that calls a kfunc the kernel lacks is explained with the kfunc's name")
{
    std::string weak = "libbpf: prog 'x': relo #3: poisoning insn #9 that calls kfunc 'scx_bpf_dsq_peek'\n"
                       "9: <invalid kfunc call>\nkfunc 'scx_bpf_dsq_peek' is referenced but wasn't resolved\n";
    CHECK(scxx::detail::load_hint(weak, EINVAL).find("has no kfunc 'scx_bpf_dsq_peek': guard the call with "
                                                     "bpf_ksym_exists(scx_bpf_dsq_peek)") != std::string::npos);
    std::string strong = "libbpf: extern (func ksym) 'scx_bpf_consume': not found in kernel or module BTFs\n";
    CHECK(scxx::detail::load_hint(strong, EINVAL).find("has no kfunc 'scx_bpf_consume'") != std::string::npos);
    CHECK(scxx::detail::load_hint("-- BEGIN PROG LOAD LOG --\nR0 invalid mem access\n", EACCES) ==
          "the verifier rejected a program");
}
