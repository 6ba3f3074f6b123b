// scxx::Topology read from fake sysfs trees written here (the shapes of real machines), and from
// the host's own /sys.
#include <doctest/doctest.h>
#include "message_of.hpp"
#include <scxx/topology.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
// A sysfs tree under a fresh temporary directory, written file by file.
class FakeSysfs {
public:
    explicit FakeSysfs(const std::string& name)
        : root_(fs::temp_directory_path() / ("scxx-topology-" + name + "-" + std::to_string(getpid())))
    {
        fs::remove_all(root_);
    }
    ~FakeSysfs() { fs::remove_all(root_); }
    FakeSysfs& file(const std::string& path, const std::string& text)
    {
        fs::path p = root_ / "devices/system" / path;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text << "\n";
        return *this;
    }
    // CPU ID in PACKAGE with CORE_ID and its THREADS list; its caches as (level, type, shared list, size, id).
    struct Cache {
        int level;
        std::string type, shared, size;
        int id;
    };
    FakeSysfs& cpu(int id, int package, int core_id, const std::string& threads, const std::vector<Cache>& caches)
    {
        const std::string d = "cpu/cpu" + std::to_string(id) + "/";
        file(d + "topology/physical_package_id", std::to_string(package));
        file(d + "topology/core_id", std::to_string(core_id));
        file(d + "topology/thread_siblings_list", threads);
        for (std::size_t i = 0; i < caches.size(); ++i) {
            const std::string c = d + "cache/index" + std::to_string(i) + "/";
            file(c + "level", std::to_string(caches[i].level));
            file(c + "type", caches[i].type);
            file(c + "shared_cpu_list", caches[i].shared);
            file(c + "size", caches[i].size);
            file(c + "id", std::to_string(caches[i].id));
        }
        return *this;
    }
    const fs::path& root() const { return root_; }

private:
    fs::path root_;
};
} // namespace

TEST_CASE("CPU lists: sysfs's ranges in, the shortest text out")
{
    CHECK(scxx::parse_cpu_list("0-3,8,10-11\n") == std::vector<int>{0, 1, 2, 3, 8, 10, 11});
    CHECK(scxx::parse_cpu_list("").empty());
    CHECK(scxx::format_cpu_list({0, 1, 2, 3, 8, 10, 11}) == "0-3,8,10-11");
    CHECK(scxx::format_cpu_list({5}) == "5");
    CHECK_THROWS_WITH_AS(scxx::parse_cpu_list("0-x"), doctest::Contains("'x' is not a CPU number"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(scxx::parse_cpu_list("3-1"), doctest::Contains("runs backwards"), std::invalid_argument);
}

TEST_CASE("a VM: two CPUs, one LLC, one node, no SMT")
{
    FakeSysfs s("vm");
    s.file("cpu/possible", "0-1").file("cpu/online", "0-1");
    for (int c = 0; c < 2; ++c)
        s.cpu(c, 0, c, std::to_string(c), {{1, "Data", std::to_string(c), "32K", c}, {2, "Unified", std::to_string(c), "4096K", c},
                                           {3, "Unified", "0-1", "16384K", 0}});
    s.file("node/online", "0").file("node/node0/cpulist", "0-1").file("node/node0/distance", "10");
    scxx::Topology t = scxx::Topology::read(s.root());
    CHECK(t.cpus().size() == 2);
    CHECK(t.cores().size() == 2);
    CHECK_FALSE(t.smt());
    REQUIRE(t.llcs().size() == 1);
    CHECK(t.llcs()[0].level == 3);
    CHECK(t.llcs()[0].size_bytes == 16384 * 1024);
    CHECK(t.llcs()[0].cpus == std::vector<int>{0, 1});
    REQUIRE(t.nodes().size() == 1);
    CHECK(t.nodes()[0].distances == std::vector<int>{10});
    CHECK(t.capacity_classes() == std::vector<unsigned>{1024});
    CHECK(t.to_string() == "2 possible CPUs (2 online: 0-1), 2 cores, 1 LLCs, 1 NUMA nodes\n"
                           "  node 0: CPUs 0-1, distances 10\n"
                           "  LLC 0 (L3, 16384 KiB): CPUs 0-1\n"
                           "  core 0 (package 0): CPUs 0, capacity 1024\n"
                           "  core 1 (package 0): CPUs 1, capacity 1024\n");
}

TEST_CASE("a two-socket server with SMT: core ids repeat per package, an LLC and a node per socket")
{
    FakeSysfs s("server");
    s.file("cpu/possible", "0-7").file("cpu/online", "0-7");
    // Package p has cores 0 and 1; core k of package p runs CPUs 2p+k and 2p+k+4.
    for (int c = 0; c < 8; ++c) {
        const int package = (c % 4) / 2, core = c % 2, sibling = c < 4 ? c + 4 : c - 4;
        const std::string threads = std::to_string(std::min(c, sibling)) + "," + std::to_string(std::max(c, sibling));
        s.cpu(c, package, core, threads, {{2, "Unified", threads, "1024K", c % 4}, {3, "Unified", package ? "2-3,6-7" : "0-1,4-5", "32768K", package}});
    }
    s.file("node/online", "0-1").file("node/node0/cpulist", "0-1,4-5").file("node/node1/cpulist", "2-3,6-7");
    s.file("node/node0/distance", "10 21").file("node/node1/distance", "21 10");
    scxx::Topology t = scxx::Topology::read(s.root());
    REQUIRE(t.cores().size() == 4);
    CHECK(t.smt());
    CHECK(t.cores()[t.cpu(2).core].cpus == std::vector<int>{2, 6});
    CHECK(t.cores()[t.cpu(2).core].package == 1);
    CHECK(t.cpu(0).core != t.cpu(2).core); // core_id 0 in both packages: two cores
    REQUIRE(t.llcs().size() == 2);
    CHECK(t.llcs()[t.cpu(7).llc].cpus == std::vector<int>{2, 3, 6, 7});
    CHECK(t.cpu(4).llc == t.cpu(0).llc);
    REQUIRE(t.nodes().size() == 2);
    CHECK(t.cpu(6).node == 1);
    CHECK(t.nodes()[1].distances == std::vector<int>{21, 10});
}

TEST_CASE("a hybrid laptop: big cores with SMT, little ones without, two capacity classes")
{
    FakeSysfs s("hybrid");
    s.file("cpu/possible", "0-5").file("cpu/online", "0-5");
    for (int c = 0; c < 4; ++c) { // P-cores: CPUs 0-1 and 2-3
        const std::string threads = c < 2 ? "0-1" : "2-3";
        s.cpu(c, 0, c / 2, threads, {{2, "Unified", threads, "1280K", c / 2}, {3, "Unified", "0-5", "12288K", 0}});
        s.file("cpu/cpu" + std::to_string(c) + "/cpu_capacity", "1024");
        s.file("cpu/cpu" + std::to_string(c) + "/cpufreq/cpuinfo_max_freq", "4700000");
    }
    for (int c = 4; c < 6; ++c) { // E-cores sharing an L2
        s.cpu(c, 0, 8 + c, std::to_string(c), {{2, "Unified", "4-5", "2048K", 8}, {3, "Unified", "0-5", "12288K", 0}});
        s.file("cpu/cpu" + std::to_string(c) + "/cpu_capacity", "593");
        s.file("cpu/cpu" + std::to_string(c) + "/cpufreq/cpuinfo_max_freq", "3400000");
    }
    scxx::Topology t = scxx::Topology::read(s.root()); // no node directory: one node of all
    CHECK(t.cores().size() == 4);
    CHECK(t.capacity_classes() == std::vector<unsigned>{1024, 593});
    CHECK(t.cpu(5).max_freq_khz == 3400000);
    REQUIRE(t.llcs().size() == 1); // the L3, not the E-cores' L2
    CHECK(t.llcs()[0].cpus.size() == 6);
    REQUIRE(t.nodes().size() == 1);
    CHECK(t.nodes()[0].cpus == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK(t.to_string().find("; capacities 1024 593\n") != std::string::npos);
    CHECK(t.to_string().find("  core 3 (package 0): CPUs 5, capacity 593, 3400 MHz\n") != std::string::npos);
}

TEST_CASE("offline CPUs are listed without topology and left out of every group")
{
    FakeSysfs s("offline");
    s.file("cpu/possible", "0-3").file("cpu/online", "0-1,3");
    for (int c : {0, 1, 3})
        s.cpu(c, 0, c, std::to_string(c), {{3, "Unified", "0-3", "8192K", 0}});
    s.file("node/online", "0").file("node/node0/cpulist", "0-3").file("node/node0/distance", "10");
    scxx::Topology t = scxx::Topology::read(s.root());
    CHECK(t.cpus().size() == 4);
    CHECK(t.online() == std::vector<int>{0, 1, 3});
    CHECK_FALSE(t.cpu(2).online);
    CHECK(t.cpu(2).core == -1);
    CHECK(t.cpu(2).llc == -1);
    CHECK(t.cpu(2).node == -1);
    CHECK(t.llcs()[0].cpus == std::vector<int>{0, 1, 3});
    CHECK(t.nodes()[0].cpus == std::vector<int>{0, 1, 3});
    CHECK(t.to_string().find("  offline: CPUs 2\n") != std::string::npos);
    CHECK_THROWS_WITH_AS(t.cpu(9), doctest::Contains("CPU 9 is not a possible CPU here"), std::out_of_range);
}

namespace {
// What bpftool makes of scxx/topology.bpf.h's globals in a skeleton's rodata, with room for 4 CPUs.
struct FakeRodata {
    std::uint32_t scxx_topo_nr_cpu_ids, scxx_topo_nr_core_ids, scxx_topo_nr_llc_ids, scxx_topo_nr_node_ids;
    std::uint32_t scxx_topo_smt_on;
    std::uint32_t scxx_topo_core_ids[4], scxx_topo_llc_ids[4], scxx_topo_node_ids[4], scxx_topo_capacities[4];
    std::uint32_t scxx_topo_llc_node_ids[4];
};
} // namespace

TEST_CASE("the BPF side's topology: indexes per CPU, none for an offline one, and an error past the room")
{
    FakeSysfs s("bpf");
    s.file("cpu/possible", "0-3").file("cpu/online", "0-1,3");
    s.cpu(0, 0, 0, "0-1", {{3, "Unified", "0-1", "8192K", 0}}).cpu(1, 0, 0, "0-1", {{3, "Unified", "0-1", "8192K", 0}});
    s.cpu(3, 1, 0, "3", {{3, "Unified", "3", "8192K", 1}});
    s.file("cpu/cpu3/cpu_capacity", "512");
    s.file("node/online", "0-1").file("node/node0/cpulist", "0-1").file("node/node1/cpulist", "2-3");
    FakeRodata r{};
    scxx::detail::write_bpf_topology(r, scxx::Topology::read(s.root()), "test");
    CHECK(r.scxx_topo_nr_cpu_ids == 4);
    CHECK(r.scxx_topo_nr_core_ids == 2);
    CHECK(r.scxx_topo_nr_llc_ids == 2);
    CHECK(r.scxx_topo_nr_node_ids == 2);
    CHECK(r.scxx_topo_smt_on == 1);
    CHECK(std::vector<std::uint32_t>(r.scxx_topo_core_ids, r.scxx_topo_core_ids + 4) == std::vector<std::uint32_t>{0, 0, ~0u, 1});
    CHECK(std::vector<std::uint32_t>(r.scxx_topo_llc_ids, r.scxx_topo_llc_ids + 4) == std::vector<std::uint32_t>{0, 0, ~0u, 1});
    CHECK(std::vector<std::uint32_t>(r.scxx_topo_node_ids, r.scxx_topo_node_ids + 4) == std::vector<std::uint32_t>{0, 0, ~0u, 1});
    CHECK(std::vector<std::uint32_t>(r.scxx_topo_capacities, r.scxx_topo_capacities + 4) == std::vector<std::uint32_t>{1024, 1024, 0, 512});
    CHECK(std::vector<std::uint32_t>(r.scxx_topo_llc_node_ids, r.scxx_topo_llc_node_ids + 4) == std::vector<std::uint32_t>{0, 1, ~0u, ~0u});

    s.file("cpu/possible", "0-4").file("cpu/online", "0-1,3-4").cpu(4, 1, 1, "4", {{3, "Unified", "3-4", "8192K", 1}});
    FakeRodata before = r;
    CHECK(message_of([&] { scxx::detail::write_bpf_topology(r, scxx::Topology::read(s.root()), "test"); }) ==
          "scxx: write topology 'test' failed: Argument list too long (errno 7): this machine has CPU ids up to 4 and "
          "the object room for 4: "
          "define SCXX_TOPO_MAX_CPUS as 5 or more before including scxx/topology.bpf.h");
    CHECK(std::memcmp(&before, &r, sizeof(r)) == 0); // left as it was
}

TEST_CASE("a sysfs without the CPU lists, or with a bad one, is an error naming the file")
{
    FakeSysfs s("broken");
    s.file("cpu/online", "0");
    CHECK(message_of([&] { scxx::Topology::read(s.root()); }).find("devices/system/cpu/possible' failed") != std::string::npos);
    s.file("cpu/possible", "0-?");
    CHECK(message_of([&] { scxx::Topology::read(s.root()); }).find("'?' is not a CPU number") != std::string::npos);
}

TEST_CASE("the host's own topology reads, and agrees with the CPUs online")
{
    scxx::Topology t = scxx::Topology::read();
    CHECK(static_cast<long>(t.online().size()) == sysconf(_SC_NPROCESSORS_ONLN));
    for (int c : t.online()) {
        CHECK(t.cpu(c).core >= 0);
        CHECK(t.cpu(c).node >= 0);
    }
    MESSAGE(t.to_string());
}
