#include <doctest/doctest.h>
#include <scxx/error.hpp>

#include <cerrno>
#include <string>
#include <vector>

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
    const std::vector<std::string> missing{"scx_bpf_dsq_peek"};
    // Unguarded: the verifier refused the program whose log names the invalid call.
    std::string log = "9: <invalid kfunc call>\nkfunc 'scx_bpf_dsq_peek' is referenced but wasn't resolved\n";
    CHECK(scxx::detail::load_hint(EINVAL, missing, "x_dispatch", log)
              .find("has no kfunc 'scx_bpf_dsq_peek': guard the call with bpf_ksym_exists(scx_bpf_dsq_peek)") !=
          std::string::npos);
    // Declared strong: libbpf fails before any program, with ESRCH.
    CHECK(scxx::detail::load_hint(ESRCH, {"scx_bpf_consume"}, nullptr, "").find("has no kfunc 'scx_bpf_consume'") !=
          std::string::npos);
    // A rejection that has nothing to do with the missing (guarded) kfunc names the program.
    CHECK(scxx::detail::load_hint(EACCES, missing, "x_enqueue", "R0 invalid mem access\n") ==
          "the verifier rejected program 'x_enqueue'");
    CHECK(scxx::detail::load_hint(EINVAL, {}, nullptr, "").empty());
    // A log longer than the buffer: the kernel's ENOSPC is about the log, and the hint says so.
    std::string full(scxx::detail::VerifierLog::per_program - 1, 'x');
    CHECK(scxx::detail::load_hint(ENOSPC, {}, "x_enqueue", full) ==
          "the verifier rejected program 'x_enqueue' (its log outgrew the 64 KiB kept, so the errno is the log's, "
          "not the refusal's: the reason is at the log's end)");
    CHECK(scxx::detail::load_hint(ENOSPC, {}, "x_enqueue", "short\n") == "the verifier rejected program 'x_enqueue'");
}

#include "minimal.skel.hpp"

#include <algorithm>

TEST_CASE("an object's externs come from its ELF symbol table")
{
    // The build for any kernel of samples/minimal calls the global DSQ's insert through the
    // portable call, which names both kfunc generations (6.12's and 6.13's).
    auto builds = scxx_abi_builds(static_cast<const minimal_bpf*>(nullptr));
    const scxx::detail::AbiBuild& any = builds.back();
    std::size_t size = 0;
    const void* elf = any.bytes(&size);
    auto externs = scxx::detail::undefined_symbols(elf, size);
    CHECK(std::find(externs.begin(), externs.end(), "scx_bpf_dsq_insert") != externs.end());
    CHECK(std::find(externs.begin(), externs.end(), "scx_bpf_dispatch") != externs.end());
    CHECK(std::find(externs.begin(), externs.end(), "") == externs.end());
    // Not an ELF object (or cut short): no externs, no out-of-bounds read.
    const char junk[] = "\x7f" "ELF but not really";
    CHECK(scxx::detail::undefined_symbols(junk, sizeof(junk)).empty());
    CHECK(scxx::detail::undefined_symbols(elf, 40).empty());
    CHECK(scxx::detail::undefined_symbols(nullptr, 0).empty());
}
