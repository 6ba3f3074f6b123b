// Zero-cost check: loads the same scheduler written with scxx's portable calls and with the kfuncs
// called directly, on the running kernel, and compares the instructions the kernel actually runs
// (the verifier's translated code).
// - The build scxx::open() picks here (the one for this kernel's ABI level, where the portable
//   calls are compile-time choices) must be identical to the direct one, instruction for
//   instruction (map ids aside).
// - The build for any kernel (SCXX_ABI=any: bpf_ksym_exists() tests that the verifier folds) may
//   differ only by the constant loads that fed the folded tests; the test reports how many.
#include <scxx/scxx.hpp>

#include "zc_direct.skel.hpp"
#include "zc_direct_v2.skel.hpp"
#include "zc_portable.skel.hpp"

#include <linux/bpf.h>

#include <sys/utsname.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace {

std::vector<bpf_insn> xlated(const bpf_program* prog)
{
    bpf_prog_info info{};
    __u32 len = sizeof(info);
    if (bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len) != 0)
        throw scxx::Error("read program info", bpf_program__name(prog), errno);
    std::vector<bpf_insn> insns(info.xlated_prog_len / sizeof(bpf_insn));
    info = {};
    info.xlated_prog_len = static_cast<__u32>(insns.size() * sizeof(bpf_insn));
    info.xlated_prog_insns = reinterpret_cast<__u64>(insns.data());
    len = sizeof(info);
    if (bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len) != 0)
        throw scxx::Error("read program instructions", bpf_program__name(prog), errno);
    return insns;
}

bool is_constant_load(const bpf_insn& i)
{
    return i.code == (BPF_LD | BPF_DW | BPF_IMM) && i.src_reg == 0;
}

// The instructions with map ids and constants left out: the two objects' maps have different ids,
// and on 7.x the verifier passes the _impl kfuncs a pointer to the calling program's own data
// (an ld_imm64 whose value differs between any two programs). With
// DROP_CONSTANT_LOADS also without constant loads (and their second slot) and jump offsets (which
// shift with the dropped slots): the instructions that do work.
std::vector<bpf_insn> normalized(const std::vector<bpf_insn>& in, bool drop_constant_loads, unsigned& constant_loads)
{
    std::vector<bpf_insn> out;
    constant_loads = 0;
    for (std::size_t k = 0; k < in.size(); ++k) {
        bpf_insn i = in[k];
        if (is_constant_load(i)) {
            ++constant_loads;
            if (drop_constant_loads) {
                ++k;
                continue;
            }
        }
        if (i.code == (BPF_LD | BPF_DW | BPF_IMM)) {
            i.imm = 0;
            out.push_back(i);
            if (++k < in.size()) {
                bpf_insn high = in[k];
                high.imm = 0;
                out.push_back(high);
            }
            continue;
        }
        if (drop_constant_loads && (BPF_CLASS(i.code) == BPF_JMP || BPF_CLASS(i.code) == BPF_JMP32))
            i.off = 0;
        out.push_back(i);
    }
    return out;
}

// Equal instruction lists; the first difference is printed.
bool same(const std::vector<bpf_insn>& a, const std::vector<bpf_insn>& b)
{
    for (std::size_t k = 0; k < a.size() && k < b.size(); ++k)
        if (a[k].code != b[k].code || a[k].dst_reg != b[k].dst_reg || a[k].src_reg != b[k].src_reg ||
            a[k].off != b[k].off || a[k].imm != b[k].imm) {
            std::printf("  insn %zu: portable code 0x%02x dst r%d src r%d off %d imm %d, direct code 0x%02x dst r%d "
                        "src r%d off %d imm %d\n",
                        k, a[k].code, a[k].dst_reg, a[k].src_reg, a[k].off, a[k].imm, b[k].code, b[k].dst_reg,
                        b[k].src_reg, b[k].off, b[k].imm);
            return false;
        }
    return a.size() == b.size();
}

struct Progs {
    int abi_level;
    std::vector<bpf_insn> enqueue, dispatch;
};

template <class Skel>
std::optional<Progs> load()
{
    try {
        auto opened = scxx::open<Skel>();
        int level = opened.abi_level();
        auto loaded = std::move(opened).load();
        return Progs{level, xlated(loaded.progs().zc_enqueue), xlated(loaded.progs().zc_dispatch)};
    } catch (const scxx::Error& e) {
        // Expected for the ___v2 variant where the kernel lacks it; shown for the record.
        std::printf("(not loaded: %.300s)\n", e.what());
        return std::nullopt;
    }
}

// The ABI level open() must pick on the test kernels: 7.3 for 7.3, 6.16 for 6.16 and 6.17.
int expected_level()
{
    utsname u{};
    unsigned major = 0, minor = 0;
    if (uname(&u) != 0 || std::sscanf(u.release, "%u.%u", &major, &minor) != 2)
        return -1;
    unsigned release = major * 100 + minor;
    return release >= SCXX_ABI_7_3 ? SCXX_ABI_7_3 : release >= SCXX_ABI_6_16 ? SCXX_ABI_6_16 : SCXX_ABI_ANY;
}

// Identical, or (ALLOW_CONSTANT_LOADS) identical once the constant loads are left out.
bool compare(const char* what, const std::vector<bpf_insn>& portable, const std::vector<bpf_insn>& direct,
             bool allow_constant_loads)
{
    unsigned p_loads = 0, d_loads = 0;
    bool ok = same(normalized(portable, allow_constant_loads, p_loads), normalized(direct, allow_constant_loads, d_loads));
    std::printf("%-22s portable: %zu insns (%u constant loads), direct: %zu insns (%u constant loads): %s\n", what,
                portable.size(), p_loads, direct.size(), d_loads,
                !ok ? "DIFFERENT"
                : portable.size() == direct.size() ? "identical"
                                                    : "the same apart from the constant loads");
    return ok;
}

} // namespace

int main()
{
    try {
        // Compare with the kfunc the portable call picks here: the 7.x ___v2 variant where the
        // kernel has it, else the one by its plain name.
        auto direct = load<zc_direct_v2_bpf>();
        std::printf("direct side: %s\n", direct ? "scx_bpf_dsq_insert___v2" : "scx_bpf_dsq_insert");
        if (!direct)
            direct = load<zc_direct_bpf>();
        auto portable = load<zc_portable_bpf>();
        setenv("SCXX_ABI", "any", 1);
        auto any = load<zc_portable_bpf>();
        unsetenv("SCXX_ABI");
        if (!direct || !portable || !any) {
            std::printf("error: a scheduler does not load on this kernel\n");
            return 2;
        }

        bool ok = true;
        std::printf("portable: opened the build for ABI level %s (expected %s)\n",
                    scxx::abi_level_name(portable->abi_level).c_str(), scxx::abi_level_name(expected_level()).c_str());
        if (portable->abi_level != expected_level())
            ok = false;
        ok = compare("enqueue", portable->enqueue, direct->enqueue, false) && ok;
        ok = compare("dispatch", portable->dispatch, direct->dispatch, false) && ok;
        // The build for any kernel (what 6.12-6.15 run): only the folded tests' loads remain.
        ok = compare("enqueue (any kernel)", any->enqueue, direct->enqueue, true) && ok;
        ok = compare("dispatch (any kernel)", any->dispatch, direct->dispatch, true) && ok;
        std::printf("%s\n", ok ? "PASS: the portable calls run exactly the direct calls' instructions"
                               : "FAIL: the portable programs do more work than the direct ones");
        return ok ? 0 : 1;
    } catch (const scxx::Error& e) {
        std::printf("error: %s\n", e.what());
        return 2;
    }
}
