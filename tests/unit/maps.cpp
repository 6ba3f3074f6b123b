// Map views check types and sizes against the object, which libbpf can open without a kernel.
#include <doctest/doctest.h>
#include <scxx/maps.hpp>

#include "minimal.skel.hpp"

#include <memory>

namespace {
struct Closer {
    void operator()(minimal_bpf* s) const { minimal_bpf::destroy(s); }
};
} // namespace

TEST_CASE("a per-CPU view of the wrong value size is refused with both sizes named")
{
    std::unique_ptr<minimal_bpf, Closer> skel(minimal_bpf::open());
    REQUIRE(skel);
    CHECK_NOTHROW(scxx::PerCpuArray<std::uint64_t>(skel->maps.stats));
    try {
        scxx::PerCpuArray<std::uint32_t> wrong(skel->maps.stats);
        FAIL("a 4-byte view of an 8-byte map was accepted");
    } catch (const scxx::Error& e) {
        CHECK(std::string(e.what()) ==
              "scxx: open map view 'stats' failed: Invalid argument (errno 22): value is 8 bytes, the C++ value type is 4");
    }
}

TEST_CASE("a per-CPU view of a map of another type is refused")
{
    std::unique_ptr<minimal_bpf, Closer> skel(minimal_bpf::open());
    REQUIRE(skel);
    CHECK_THROWS_WITH_AS(scxx::PerCpuArray<std::uint64_t>(skel->maps.scxx_exit_info),
                         doctest::Contains("map is not a per-CPU array"), scxx::Error);
}
