// KernelInfo against the three test kernels' BTF (from the scxx cache; tools/check provisions it).
#include <doctest/doctest.h>
#include <scxx/kernel.hpp>

#include <cerrno>
#include <string>

namespace {
scxx::KernelInfo kernel(const char* short_name)
{
    return scxx::KernelInfo::from_btf_file(std::string(SCXX_TEST_KERNELS_DIR) + "/" + short_name + "/vmlinux.btf");
}
} // namespace

TEST_CASE("kfuncs: the 6.12 names are gone after 6.16; 7.x adds its own and drops scx_bpf_cpu_rq")
{
    auto k616 = kernel("6.16"), k617 = kernel("6.17"), k73 = kernel("7.3");
    CHECK(k616.has_sched_ext());
    CHECK(k73.has_sched_ext());
    CHECK(k616.has_kfunc("scx_bpf_dispatch"));
    CHECK_FALSE(k617.has_kfunc("scx_bpf_dispatch"));
    CHECK(k617.has_kfunc("scx_bpf_dsq_insert"));
    CHECK(k617.has_kfunc("scx_bpf_cpu_rq"));
    CHECK_FALSE(k73.has_kfunc("scx_bpf_cpu_rq"));
    CHECK_FALSE(k617.has_kfunc("scx_bpf_dsq_peek"));
    CHECK(k73.has_kfunc("scx_bpf_dsq_peek"));
    CHECK(k73.has_kfunc("scx_bpf_dsq_insert___v2"));
    CHECK_FALSE(k73.has_kfunc("scx_bpf_no_such_kfunc"));
}

TEST_CASE("ops fields: cgroup_set_bandwidth from 6.17, sub_attach and sub_cgroup_id in 7.x")
{
    auto k616 = kernel("6.16"), k617 = kernel("6.17"), k73 = kernel("7.3");
    CHECK(k616.has_ops_field("enqueue"));
    CHECK(k616.has_ops_field("hotplug_seq"));
    CHECK_FALSE(k616.has_ops_field("cgroup_set_bandwidth"));
    CHECK(k617.has_ops_field("cgroup_set_bandwidth"));
    CHECK_FALSE(k617.has_ops_field("sub_attach"));
    CHECK(k73.has_ops_field("sub_attach"));
    CHECK_FALSE(k617.has_ops_field("sub_cgroup_id"));
    CHECK(k73.has_ops_field("sub_cgroup_id"));
    CHECK(k73.has_ops_field("cpu_release")); // still there, moved to the end of the struct
    CHECK_FALSE(k73.has_ops_field("no_such_field"));
}

TEST_CASE("enum values are the kernel's own: SCX_ENQ_HEAD moved, 64-bit DSQ ids are whole")
{
    auto k616 = kernel("6.16"), k73 = kernel("7.3");
    CHECK(k616.enum_value("SCX_ENQ_HEAD") == 0x10u);
    CHECK(k73.enum_value("SCX_ENQ_HEAD") == 0x10000u);
    CHECK(k616.enum_value("SCX_DSQ_LOCAL_ON") == 0xc000000000000000ull);
    CHECK(k73.enum_value("SCX_DSQ_LOCAL") == 0x8000000000000002ull);
    CHECK(k73.enum_value("SCX_KICK_PREEMPT") == 2u);
    CHECK_FALSE(k616.enum_value("SCX_ENQ_IMMED").has_value());
    CHECK(k73.enum_value("SCX_ENQ_IMMED").has_value());
}

TEST_CASE("a BTF file that does not exist is an error naming it")
{
    try {
        scxx::KernelInfo::from_btf_file("/nonexistent/vmlinux.btf");
        FAIL("no error for a missing file");
    } catch (const scxx::Error& e) {
        CHECK(e.errnum() == ENOENT);
        CHECK(std::string(e.what()).starts_with("scxx: read BTF '/nonexistent/vmlinux.btf' failed: No such file or directory"));
    }
}

TEST_CASE("a BTF file has no release or sched_ext state to report")
{
    auto k = kernel("6.17");
    CHECK_FALSE(k.release_name());
    CHECK_FALSE(k.sched_ext_state());
    CHECK(k.description().find("6.17/vmlinux.btf") != std::string::npos);
}
