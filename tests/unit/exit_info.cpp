#include <doctest/doctest.h>
#include <scxx/exit_info.hpp>

TEST_CASE("exit kinds: orderly exits are not errors, kernel and BPF errors are")
{
    scxx::ExitInfo info;
    CHECK_FALSE(info.exited());
    info.kind = scxx::ExitKind::unreg;
    CHECK(info.exited());
    CHECK_FALSE(info.is_error());
    info.kind = scxx::ExitKind::error;
    CHECK(info.is_error());
    info.kind = scxx::ExitKind::error_stall;
    CHECK(info.is_error());
    info.kind = scxx::ExitKind::unreg_bpf;
    CHECK_FALSE(info.is_error());
}

TEST_CASE("exit code: restart action and user code are decoded from their bit fields")
{
    scxx::ExitInfo info;
    info.kind = scxx::ExitKind::unreg_bpf;
    info.exit_code = static_cast<std::int64_t>(scxx::ExitInfo::ecode_action_restart | scxx::ExitInfo::ecode_reason_hotplug | 7u);
    CHECK(info.should_restart());
    CHECK(info.user_code() == 7u);
    info.exit_code = 42;
    CHECK_FALSE(info.should_restart());
    CHECK(info.user_code() == 42u);
}

TEST_CASE("exit info prints kind name and number, reason and message")
{
    scxx::ExitInfo info;
    info.kind = scxx::ExitKind::error;
    info.reason = "runtime error";
    info.message = "invalid DSQ ID 0x3039";
    CHECK(info.to_string() == "kind=ERROR (1024) reason=\"runtime error\" message=\"invalid DSQ ID 0x3039\"");
    CHECK(scxx::to_string(static_cast<scxx::ExitKind>(1027)) == "KIND_1027");
}
