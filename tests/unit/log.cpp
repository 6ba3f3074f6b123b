// libbpf's output during an operation is captured for the Error that explains a failure.
#include <doctest/doctest.h>
#include <scxx/log.hpp>

#include <cstdarg>
#include <string>

namespace {
// Feeds a message through scxx's libbpf print callback, as libbpf would.
void libbpf_says(libbpf_print_level level, const char* format, ...)
{
    va_list args;
    va_start(args, format);
    scxx::detail::libbpf_print(level, format, args);
    va_end(args);
}

// A verifier log of 100 instruction lines (of three shapes in turn, as different instructions
// are: a run of one shape would be folded), then TAIL.
std::string verifier_log(const std::string& tail)
{
    const char* kinds[] = {" load\n", " add\n", " store\n"};
    std::string log;
    for (int i = 0; i < 100; ++i)
        log += "insn " + std::to_string(i) + kinds[i % 3];
    return log + tail;
}
} // namespace

TEST_CASE("a verifier rejection is reduced to the failing program and the end of the verifier's log")
{
    std::string got =
        scxx::detail::verifier_excerpt("x_enqueue", verifier_log("R0 invalid mem access 'map_value_or_null'\n"));
    CHECK(got.starts_with("verifier log of 'x_enqueue' (last lines):\n"));
    CHECK(got.ends_with("insn 99 load\nR0 invalid mem access 'map_value_or_null'\n"));
    CHECK(got.find("insn 61 add\n") != std::string::npos);
    CHECK(got.find("insn 60 load\n") == std::string::npos); // the last 40 lines only
    CHECK(scxx::detail::verifier_excerpt("short", "R1 !read_ok\n") == "verifier log of 'short':\nR1 !read_ok\n");
}

TEST_CASE("a tail of byte copies is folded so that the source line before it stays in view")
{
    std::string log = verifier_log("; __builtin_memcpy(&a->stats, &stats, sizeof(stats)); @ runtime.bpf.h:140\n");
    for (int i = 0; i < 300; ++i)
        log += std::to_string(200 + 2 * i) + ": (71) r1 = *(u8 *)(r10 -" + std::to_string(i) + ")\n" +
               std::to_string(201 + 2 * i) + ": (73) *(u8 *)(r6 +" + std::to_string(i) + ") = r1\n";
    log += "invalid access to context, ctx_size 8 off=300 size=1\n";
    std::string got = scxx::detail::verifier_excerpt("x_events", log);
    CHECK(got.find("@ runtime.bpf.h:140\n") != std::string::npos);
    CHECK(got.find("200: (71) r1 = *(u8 *)(r10 -0)\n201: (73) *(u8 *)(r6 +0) = r1\n[... 598 more lines like these]\n") !=
          std::string::npos);
    CHECK(got.ends_with("invalid access to context, ctx_size 8 off=300 size=1\n"));
    // Lines that only look alike a few times in a row are kept as they are.
    CHECK(scxx::detail::fold_repeated_lines("1: a\n2: a\n3: a\nb\n") == "1: a\n2: a\n3: a\nb\n");
}

TEST_CASE("a 7.x verifier report keeps the error line above it, however long the log before")
{
    std::string report = "R7 invalid mem access 'scalar'\n\nVerification failed: Register Type Safety: Invalid dereference\n\nReason:\n";
    for (int i = 0; i < 70; ++i)
        report += "  context " + std::to_string(i) + "\n";
    std::string got = scxx::detail::verifier_excerpt("x_dequeue", verifier_log(report));
    CHECK(got.starts_with("verifier log of 'x_dequeue' (the error and the kernel's report):\n"
                          "R7 invalid mem access 'scalar'\n\nVerification failed: Register Type Safety"));
    CHECK(got.find("insn 99") == std::string::npos);
    CHECK(got.find("  context 54\n") != std::string::npos);
    CHECK(got.find("  context 55\n") == std::string::npos); // 60 lines from the error line on
    CHECK(got.ends_with("[... 15 more lines]\n"));
}

TEST_CASE("without a verifier log, everything libbpf said is kept")
{
    scxx::detail::LogCapture capture("x_bpf");
    libbpf_says(LIBBPF_WARN, "libbpf: extern (func ksym) '%s': not found in kernel or module BTFs\n", "scx_bpf_consume");
    CHECK(capture.take() == "libbpf: extern (func ksym) 'scx_bpf_consume': not found in kernel or module BTFs\n");
}

TEST_CASE("a user sink receives every message with the object it concerns")
{
    std::string seen;
    scxx::set_log_sink([&](scxx::LogLevel level, std::string_view object, std::string_view message) {
        seen += std::string(object) + "|" + (level == scxx::LogLevel::debug ? "debug" : "other") + "|" + std::string(message);
    });
    {
        scxx::detail::LogCapture capture("y_bpf");
        libbpf_says(LIBBPF_DEBUG, "libbpf: loading %s\n", "y");
        capture.take();
    }
    libbpf_says(LIBBPF_DEBUG, "outside\n");
    scxx::set_log_sink(nullptr);
    CHECK(seen == "y_bpf|debug|libbpf: loading y\n|debug|outside\n");
}
