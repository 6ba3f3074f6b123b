// Zero-cost check: loads the same scheduler written with scxx's portable calls and with the kfuncs
// called directly, on the running kernel, and compares the instructions the kernel actually runs
// (the verifier's translated code). The portable calls pick their kfunc with bpf_ksym_exists(),
// which libbpf resolves at load time; the verifier then removes the branches not taken. What it
// leaves is one constant load per check (an ld_imm64 whose value decided the folded branch): the
// test requires everything else to be identical and reports how many such loads remain.
#include <scxx/scxx.hpp>

#include "zc_direct.skel.hpp"
#include "zc_direct_v2.skel.hpp"
#include "zc_portable.skel.hpp"

#include <linux/bpf.h>

#include <cstdio>
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

// The instructions that do work: constant loads dropped (with their second slot), jump offsets
// ignored (they shift with the dropped slots), map ids ignored, everything else compared exactly.
std::vector<bpf_insn> working_set(const std::vector<bpf_insn>& in, unsigned& constant_loads)
{
    std::vector<bpf_insn> out;
    constant_loads = 0;
    for (std::size_t k = 0; k < in.size(); ++k) {
        if (is_constant_load(in[k])) {
            ++constant_loads;
            ++k;
            continue;
        }
        bpf_insn i = in[k];
        if (BPF_CLASS(i.code) == BPF_JMP || BPF_CLASS(i.code) == BPF_JMP32)
            i.off = 0;
        if (i.code == (BPF_LD | BPF_DW | BPF_IMM))
            i.imm = 0;  // a map load: the two objects' maps have different ids
        out.push_back(i);
    }
    return out;
}

bool same(const std::vector<bpf_insn>& a, const std::vector<bpf_insn>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (a[k].code != b[k].code || a[k].dst_reg != b[k].dst_reg || a[k].src_reg != b[k].src_reg ||
            a[k].off != b[k].off || a[k].imm != b[k].imm)
            return false;
    return true;
}

struct Progs {
    std::vector<bpf_insn> enqueue, dispatch;
};

template <class Skel>
std::optional<Progs> load()
{
    try {
        auto loaded = scxx::open<Skel>().load();
        return Progs{xlated(loaded.progs().zc_enqueue), xlated(loaded.progs().zc_dispatch)};
    } catch (const scxx::Error& e) {
        // Expected for the ___v2 variant where the kernel lacks it; shown for the record.
        std::printf("(not loaded: %.300s)\n", e.what());
        return std::nullopt;
    }
}

bool compare(const char* prog, const std::vector<bpf_insn>& portable, const std::vector<bpf_insn>& direct)
{
    unsigned p_loads = 0, d_loads = 0;
    auto p = working_set(portable, p_loads);
    auto d = working_set(direct, d_loads);
    bool ok = same(p, d);
    std::printf("%-9s portable: %zu insns (%u constant loads), direct: %zu insns (%u constant loads); "
                "the rest %s\n",
                prog, portable.size(), p_loads, direct.size(), d_loads, ok ? "is identical" : "DIFFERS");
    return ok;
}

} // namespace

int main()
{
    try {
        auto portable = load<zc_portable_bpf>();
        if (!portable) {
            std::printf("error: the portable scheduler does not load on this kernel\n");
            return 2;
        }
        // Compare with the kfunc the portable call picks here: the 7.x ___v2 variant where the
        // kernel has it, else the one by its plain name.
        auto direct = load<zc_direct_v2_bpf>();
        std::printf("direct side: %s\n", direct ? "scx_bpf_dsq_insert___v2" : "scx_bpf_dsq_insert");
        if (!direct)
            direct = load<zc_direct_bpf>();
        if (!direct) {
            std::printf("error: the direct scheduler does not load on this kernel\n");
            return 2;
        }
        bool ok = compare("enqueue", portable->enqueue, direct->enqueue);
        ok = compare("dispatch", portable->dispatch, direct->dispatch) && ok;
        std::printf("%s\n", ok ? "PASS: no call, branch or memory access beyond the direct calls; only the folded "
                                 "constant loads counted above remain"
                               : "FAIL: the portable programs do more work than the direct ones");
        return ok ? 0 : 1;
    } catch (const scxx::Error& e) {
        std::printf("error: %s\n", e.what());
        return 2;
    }
}
