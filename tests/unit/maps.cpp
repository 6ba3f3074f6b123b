// Map views check types and sizes against the object, which libbpf can open without a kernel.
#include <doctest/doctest.h>
#include <scxx/maps.hpp>
#include <scxx/stats.hpp>
#include <scxx/userspace.h>

#include "minimal.h"
#include "minimal.skel.hpp"
#include "sdk.h"
#include "sdk_test.skel.hpp"

#include <memory>

namespace {
struct Closer {
    void operator()(minimal_bpf* s) const { minimal_bpf::destroy(s); }
};
struct SdkCloser {
    void operator()(sdk_test_bpf* s) const { sdk_test_bpf::destroy(s); }
};
} // namespace

TEST_CASE("a per-CPU view of the wrong value size is refused with both sizes named")
{
    std::unique_ptr<minimal_bpf, Closer> skel(minimal_bpf::open());
    REQUIRE(skel);
    CHECK_NOTHROW(scxx::PerCpuArray<std::uint64_t>(skel->maps.minimal_stats));
    CHECK_NOTHROW(scxx::BpfStats<minimal_stats>(skel->maps.minimal_stats));
    try {
        scxx::PerCpuArray<std::uint32_t> wrong(skel->maps.minimal_stats);
        FAIL("a 4-byte view of an 8-byte map was accepted");
    } catch (const scxx::Error& e) {
        CHECK(std::string(e.what()) == "scxx: open map view 'minimal_stats' failed: Invalid argument (errno 22): value "
                                       "is 8 bytes, the C++ value type is 4");
    }
    // Stats read with another declaration than the map's (here 72 bytes against 8) are refused too.
    CHECK_THROWS_WITH_AS(scxx::BpfStats<scxx_us_stats>(skel->maps.minimal_stats),
                         doctest::Contains("value is 8 bytes, the C++ value type is 72"), scxx::Error);
}

TEST_CASE("a per-CPU view of a map of another type is refused")
{
    std::unique_ptr<minimal_bpf, Closer> skel(minimal_bpf::open());
    REQUIRE(skel);
    CHECK_THROWS_WITH_AS(scxx::PerCpuArray<std::uint64_t>(skel->maps.scxx_exit_info),
                         doctest::Contains("the map's type is 'array'; this view needs 'percpu_array'"), scxx::Error);
}

TEST_CASE("array, hash and ring buffer views check type, key and value sizes")
{
    std::unique_ptr<sdk_test_bpf, SdkCloser> skel(sdk_test_bpf::open());
    REQUIRE(skel);
    CHECK_NOTHROW(scxx::Array<sdk_config>(skel->maps.sdk_cfg));
    CHECK_THROWS_WITH_AS(scxx::Array<std::uint64_t>(skel->maps.sdk_cfg),
                         "scxx: open map view 'sdk_cfg' failed: Invalid argument (errno 22): value is 16 bytes, the "
                         "C++ value type is 8",
                         scxx::Error);
    CHECK_NOTHROW(scxx::Hash<std::uint32_t, std::uint64_t>(skel->maps.seen));
    CHECK_THROWS_WITH_AS((scxx::Hash<std::uint32_t, std::uint32_t>(skel->maps.seen)),
                         doctest::Contains("value is 8 bytes, the C++ value type is 4"), scxx::Error);
    CHECK_THROWS_WITH_AS(scxx::Array<std::uint64_t>(skel->maps.seen), doctest::Contains("the map's type is 'hash'; this view needs 'array'"),
                         scxx::Error);
    // A ring buffer needs the map in the kernel: before load the view says so.
    CHECK_THROWS_WITH_AS(scxx::RingBuffer<sdk_cmd>(skel->maps.out, [](const sdk_cmd&) {}),
                         doctest::Contains("the map is not in the kernel yet: make the view after load()"),
                         scxx::Error);
}
