// Typed flags and DSQ ids, encoded for the three test kernels from their BTF (no kernel needed).
#include <doctest/doctest.h>
#include <scxx/dsq.hpp>
#include <scxx/flags.hpp>

#include <cerrno>
#include <string>

namespace {
scxx::KernelInfo kernel(const char* short_name)
{
    return scxx::KernelInfo::from_btf_file(std::string(SCXX_TEST_KERNELS_DIR) + "/" + short_name + "/vmlinux.btf");
}

template <class F>
int error_of(F f)
{
    try {
        f();
    } catch (const scxx::Error& e) {
        return e.errnum();
    }
    return 0;
}
} // namespace

TEST_CASE("flag sets combine, test and print by name")
{
    using scxx::KickFlags;
    constexpr auto f = KickFlags::preempt | KickFlags::wait;
    static_assert(scxx::has(f, KickFlags::wait) && !scxx::has(f, KickFlags::idle));
    CHECK(scxx::to_string(f) == "PREEMPT|WAIT");
    CHECK(scxx::to_string(KickFlags::none) == "none");
    CHECK(scxx::to_string(~KickFlags::idle) == "PREEMPT|WAIT");
    auto g = f;
    g &= ~KickFlags::wait;
    CHECK(g == KickFlags::preempt);
    CHECK(scxx::to_string(scxx::EnqFlags::head | scxx::EnqFlags::wakeup) == "WAKEUP|HEAD");
}

TEST_CASE("enqueue flags take each kernel's values: SCX_ENQ_HEAD moved in 7.x")
{
    auto k616 = kernel("6.16"), k73 = kernel("7.3");
    using scxx::EnqFlags;
    CHECK(scxx::kernel_value(EnqFlags::head, k616) == 0x10);
    CHECK(scxx::kernel_value(EnqFlags::head, k73) == 0x10000);
    CHECK(scxx::kernel_value(EnqFlags::head | EnqFlags::wakeup | EnqFlags::preempt, k73) == 0x100010001ull);
    CHECK(scxx::kernel_value(EnqFlags::cpu_selected, k616) == 0x400);
    CHECK(scxx::kernel_value(EnqFlags::cpu_selected, k73) == 0x100000);
    CHECK(scxx::from_kernel<EnqFlags>(0x10011, k616) == (EnqFlags::head | EnqFlags::wakeup));
    CHECK(scxx::from_kernel<EnqFlags>(0x10011, k73) == (EnqFlags::head | EnqFlags::wakeup));
    CHECK(scxx::kernel_value(scxx::KickFlags::idle | scxx::KickFlags::wait, k73) == 0x5);
}

TEST_CASE("an ops flag a kernel lacks is an error naming the flag and the kernel")
{
    auto k617 = kernel("6.17"), k73 = kernel("7.3");
    CHECK(scxx::kernel_value(scxx::OpsFlags::has_cgroup_weight | scxx::OpsFlags::switch_partial, k617) == 0x10008);
    try {
        scxx::kernel_value(scxx::OpsFlags::has_cgroup_weight, k73);
        FAIL("7.3 accepted SCX_OPS_HAS_CGROUP_WEIGHT");
    } catch (const scxx::Error& e) {
        CHECK(e.errnum() == EOPNOTSUPP);
        CHECK(std::string(e.what()).find("7.3/vmlinux.btf has no SCX_OPS_HAS_CGROUP_WEIGHT") != std::string::npos);
    }
}

TEST_CASE("contradictory kick flags are refused")
{
    using scxx::KickFlags;
    CHECK(error_of([] { scxx::validate(KickFlags::idle | KickFlags::preempt); }) == EINVAL);
    CHECK(error_of([] { scxx::validate(KickFlags::idle | KickFlags::wait); }) == EINVAL);
    CHECK(error_of([] { scxx::validate(KickFlags::idle); }) == 0);
    CHECK(error_of([] { scxx::validate(KickFlags::preempt | KickFlags::wait); }) == 0);
}

TEST_CASE("DSQ ids are encoded from the kernel's BTF and decoded back")
{
    for (const char* name : {"6.16", "6.17", "7.3"}) {
        CAPTURE(name);
        auto k = kernel(name);
        CHECK(scxx::Dsq::global(k).id() == 0x8000000000000001ull);
        CHECK(scxx::Dsq::local(k).id() == 0x8000000000000002ull);
        CHECK(scxx::Dsq::local_on(0, k).id() == 0xc000000000000000ull);
        CHECK(scxx::Dsq::user(42, k).id() == 42);
        CHECK(scxx::Dsq::from_id(0xc000000000000000ull, k) == scxx::Dsq::local_on(0, k));
        CHECK(scxx::Dsq::from_id(0x8000000000000001ull, k).kind() == scxx::Dsq::Kind::global);
        CHECK(scxx::Dsq::from_id(0x8000000000000003ull, k).to_string() == "builtin 0x8000000000000003");
        CHECK(scxx::Dsq::user(42, k).to_string() == "user 0x2a");
        CHECK_FALSE(scxx::Dsq::user(42, k).is_builtin());
    }
}

TEST_CASE("invalid DSQ ids are refused with the reason")
{
    auto k = kernel("6.17");
    try {
        scxx::Dsq::user(1ull << 63, k);
        FAIL("a user id with bit 63 was accepted");
    } catch (const scxx::Error& e) {
        CHECK(e.errnum() == EINVAL);
        CHECK(std::string(e.what()).find("make user DSQ id '0x8000000000000000' failed") != std::string::npos);
        CHECK(std::string(e.what()).find("bit 63, SCX_DSQ_FLAG_BUILTIN") != std::string::npos);
    }
    CHECK(error_of([&] { scxx::Dsq::from_id(0x8000000000000000ull, k); }) == EINVAL); // SCX_DSQ_INVALID
    CHECK(error_of([&] { scxx::Dsq::local_on(-1, k); }) == EINVAL);
    CHECK(error_of([&] { scxx::Dsq::local_on(1 << 20, k); }) == EINVAL);
}
