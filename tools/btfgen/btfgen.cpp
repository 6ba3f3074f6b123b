// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// scxx-btfgen: writes the BPF-side headers scxx generates from kernel BTF.
//
//   scxx-btfgen --out DIR --kernel 6.16.12=path/to/btf [--kernel ...]   (oldest first, newest last)
//
// DIR/vmlinux/vmlinux.h  every type of the newest kernel, CO-RE relocatable (x86_64)
// DIR/kfuncs.bpf.h       the kfuncs schedulers use, declared __ksym __weak, each with the kernels
//                        that have it; older incompatible signatures as ___<kernel> flavors
// DIR/kfunc_levels.h     for each kfunc, the ABI level (release) from which on every kernel has it
// DIR/enums.bpf.h        the sched_ext enumerators: those whose values differ between kernels become
//                        rodata the loader fills from the running kernel's BTF before load; the rest
//                        stay vmlinux.h's constants; SCXX_HAVE_* macros for all
#include <scxx/btf.hpp>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

struct BtfFree {
    void operator()(btf* b) const { btf__free(b); }
};
struct DumpFree {
    void operator()(btf_dump* d) const { btf_dump__free(d); }
};

struct Kernel {
    std::string name;
    std::unique_ptr<btf, BtfFree> types;
};

[[noreturn]] void fail(const std::string& msg)
{
    throw std::runtime_error(msg);
}

// Collects btf_dump's output into a string.
class Printer {
public:
    explicit Printer(const btf* b)
    {
        btf_dump_opts opts{};
        opts.sz = sizeof(opts);
        dump_.reset(btf_dump__new(b, &Printer::print, this, &opts));
        if (!dump_)
            fail("btf_dump__new failed");
    }
    btf_dump* get() { return dump_.get(); }
    std::string take() { return std::exchange(out_, {}); }

private:
    static void print(void* ctx, const char* fmt, va_list args)
    {
        auto* self = static_cast<Printer*>(ctx);
        va_list copy;
        va_copy(copy, args);
        int n = std::vsnprintf(nullptr, 0, fmt, copy);
        va_end(copy);
        std::string s(static_cast<std::size_t>(n) + 1, '\0');
        std::vsnprintf(s.data(), s.size(), fmt, args);
        s.resize(static_cast<std::size_t>(n));
        self->out_ += s;
    }
    std::unique_ptr<btf_dump, DumpFree> dump_;
    std::string out_;
};

std::string name_of(const btf* b, const btf_type* t)
{
    return btf__name_by_offset(b, t->name_off);
}

// ---- kfuncs ----------------------------------------------------------------------------------

// The kfuncs a scheduler may call: sched_ext's own and the generic ones schedulers use with them.
bool wanted_kfunc(const std::string& n)
{
    static const char* prefixes[] = {"scx_bpf_", "__scx_bpf_", "bpf_iter_scx_dsq_", "bpf_cpumask_", "bpf_task_",
                                     "bpf_cgroup_", "bpf_rcu_read_", "bpf_iter_css_", "bpf_iter_bits_", "bpf_list_",
                                     "bpf_rbtree_", "bpf_obj_new_impl", "bpf_obj_drop_impl",
                                     "bpf_refcount_acquire_impl", "bpf_iter_task_", "bpf_arena_", "bpf_preempt_",
                                     "bpf_res_spin_"};
    return std::any_of(std::begin(prefixes), std::end(prefixes), [&](const char* p) { return n.rfind(p, 0) == 0; });
}

// The kernel's kfuncs a scheduler may call, by name.
std::map<std::string, __u32> kfuncs_of(const btf* b)
{
    std::map<std::string, __u32> out;
    for (const auto& [name, id] : scxx::btf_read::kfuncs(b))
        if (wanted_kfunc(name))
            out.emplace(name, id);
    // X_impl twins carry an implicit argument the verifier supplies; programs call X.
    for (auto it = out.begin(); it != out.end();) {
        const std::string& n = it->first;
        if (n.size() > 5 && n.ends_with("_impl") && out.count(n.substr(0, n.size() - 5)))
            it = out.erase(it);
        else
            ++it;
    }
    return out;
}

// Structural equality of two types as libbpf's kfunc check sees them: typedefs and modifiers
// resolved, integers by size and signedness, aggregates by name.
bool same_shape(const btf* a, __u32 ia, const btf* b, __u32 ib, int depth = 0)
{
    if (depth > 16)
        return false;
    auto skip = [](const btf* x, __u32 id) {
        const btf_type* t = btf__type_by_id(x, id);
        while (t && (btf_is_typedef(t) || btf_is_mod(t))) {
            id = t->type;
            t = btf__type_by_id(x, id);
        }
        return id;
    };
    ia = skip(a, ia);
    ib = skip(b, ib);
    if (ia == 0 || ib == 0)
        return ia == ib;
    const btf_type* ta = btf__type_by_id(a, ia);
    const btf_type* tb = btf__type_by_id(b, ib);
    if (btf_kind(ta) != btf_kind(tb)) {
        // enum and int of one size are interchangeable in a prototype
        bool a_int = btf_is_int(ta) || btf_is_any_enum(ta);
        bool b_int = btf_is_int(tb) || btf_is_any_enum(tb);
        return a_int && b_int && ta->size == tb->size;
    }
    switch (btf_kind(ta)) {
    case BTF_KIND_INT:
        return ta->size == tb->size && (btf_int_encoding(ta) & BTF_INT_SIGNED) == (btf_int_encoding(tb) & BTF_INT_SIGNED);
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
        return ta->size == tb->size;
    case BTF_KIND_PTR:
        return same_shape(a, ta->type, b, tb->type, depth + 1);
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_FWD:
        return name_of(a, ta) == name_of(b, tb);
    case BTF_KIND_ARRAY:
        return btf_array(ta)->nelems == btf_array(tb)->nelems &&
               same_shape(a, btf_array(ta)->type, b, btf_array(tb)->type, depth + 1);
    case BTF_KIND_FUNC_PROTO: {
        if (btf_vlen(ta) != btf_vlen(tb) || !same_shape(a, ta->type, b, tb->type, depth + 1))
            return false;
        const btf_param* pa = btf_params(ta);
        const btf_param* pb = btf_params(tb);
        for (int i = 0; i < btf_vlen(ta); ++i)
            if (!same_shape(a, pa[i].type, b, pb[i].type, depth + 1))
                return false;
        return true;
    }
    default:
        return false;
    }
}

// "ret name(args)" for a kfunc, declared with the kernel's own parameter names.
std::string prototype(const btf* b, __u32 func_id, const std::string& as_name)
{
    Printer p(b);
    const btf_type* f = btf__type_by_id(b, func_id);
    btf_dump_emit_type_decl_opts opts{};
    opts.sz = sizeof(opts);
    opts.field_name = as_name.c_str();
    if (btf_dump__emit_type_decl(p.get(), f->type, &opts) != 0)
        fail("cannot print the prototype of " + as_name);
    // Arena pointers: the kernel's BTF records clang's address_space(1) qualifier as a type tag;
    // the prototype needs the qualifier itself, or arena pointers do not convert to it.
    std::string text = p.take();
    const std::string tag = "__attribute__((btf_type_tag(\"address_space(1)\")))";
    for (auto at = text.find(tag); at != std::string::npos; at = text.find(tag, at))
        text.replace(at, tag.size(), "__attribute__((address_space(1)))");
    return text;
}

// Struct and union names a prototype refers to, for forward declarations.
void aggregates_in(const btf* b, __u32 id, std::set<std::string>& out, int depth = 0)
{
    const btf_type* t = btf__type_by_id(b, id);
    if (!t || id == 0 || depth > 16)
        return;
    if (btf_is_composite(t) || btf_is_fwd(t)) {
        std::string n = name_of(b, t);
        if (!n.empty())
            out.insert(std::string(btf_is_union(t) || (btf_is_fwd(t) && btf_kflag(t)) ? "union " : "struct ") + n);
        return;
    }
    if (btf_is_func_proto(t)) {
        aggregates_in(b, t->type, out, depth + 1);
        const btf_param* p = btf_params(t);
        for (int i = 0; i < btf_vlen(t); ++i)
            aggregates_in(b, p[i].type, out, depth + 1);
        return;
    }
    if (btf_is_ptr(t) || btf_is_typedef(t) || btf_is_mod(t))
        aggregates_in(b, t->type, out, depth + 1);
}

// libbpf's flavor separator: "___" between a non-underscore and a non-underscore.
bool has_flavor_separator(const std::string& n)
{
    for (std::size_t i = 1; i + 3 < n.size(); ++i)
        if (n[i - 1] != '_' && n.compare(i, 3, "___") == 0 && n[i + 3] != '_')
            return true;
    return false;
}

std::string flavor_suffix(const std::string& kernel)
{
    std::string s = "___v";
    for (char c : kernel)
        s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return s;
}

std::string upper(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string generated_banner(const std::vector<Kernel>& kernels, const std::string& what)
{
    std::string s = "/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */\n/*\n * " + what +
                    "\n *\n * Generated by scxx-btfgen from the BTF of Linux";
    for (const auto& k : kernels)
        s += " " + k.name;
    s += ".\n * Do not edit: regenerate with tools/regen-headers.\n */\n";
    return s;
}

// A kernel's kfunc: (kernel index, func id).
using KfuncIn = std::pair<std::size_t, __u32>;

// Every kfunc of KERNELS with the kernels that have it, grouped by signature: the group of the
// newest kernel that has it first; each group in kernel order.
std::map<std::string, std::vector<std::vector<KfuncIn>>> kfunc_signatures(const std::vector<Kernel>& kernels)
{
    std::map<std::string, std::vector<KfuncIn>> all;
    for (std::size_t k = 0; k < kernels.size(); ++k)
        for (const auto& [n, id] : kfuncs_of(kernels[k].types.get()))
            all[n].emplace_back(k, id);
    std::map<std::string, std::vector<std::vector<KfuncIn>>> out;
    for (const auto& [name, in] : all) {
        auto& groups = out[name];
        for (auto it = in.rbegin(); it != in.rend(); ++it) {
            bool placed = false;
            for (auto& g : groups) {
                if (same_shape(kernels[g.front().first].types.get(), btf__type_by_id(kernels[g.front().first].types.get(), g.front().second)->type,
                               kernels[it->first].types.get(), btf__type_by_id(kernels[it->first].types.get(), it->second)->type)) {
                    g.push_back(*it);
                    placed = true;
                    break;
                }
            }
            if (!placed)
                groups.push_back({*it});
        }
        for (auto& g : groups)
            std::sort(g.begin(), g.end());
    }
    return out;
}

// The name a kfunc is declared under: libbpf binds NAME___SUFFIX to the kernel's NAME (up to the
// last "___"), so a kernel name that itself has a "___" part needs a suffix of its own.
std::string declared_name(const std::string& name)
{
    return has_flavor_separator(name) ? name + "___scxx" : name;
}

std::string make_kfuncs(const std::vector<Kernel>& kernels)
{
    std::ostringstream body;
    std::set<std::string> forward;
    std::ostringstream haves;
    for (const auto& [name, groups] : kfunc_signatures(kernels)) {
        // The newest kernel's signature takes the plain name.
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& g = groups[gi];
            const btf* b = kernels[g.back().first].types.get();
            __u32 id = g.back().second;
            std::string base = declared_name(name);
            std::string decl_name = gi == 0 ? base : base + flavor_suffix(kernels[g.back().first].name);
            body << "/* " << (gi == 0 ? "" : "signature of ");
            for (std::size_t i = 0; i < g.size(); ++i)
                body << (i ? " " : "") << kernels[g[i].first].name;
            body << " */\nextern " << prototype(b, id, decl_name) << " __ksym __weak;\n";
            aggregates_in(b, btf__type_by_id(b, id)->type, forward);
        }
        haves << "#define SCXX_HAVE_" << upper(name) << " 1\n";
    }

    std::string out = generated_banner(kernels, "Every kfunc a sched_ext scheduler may call, declared weak: bpf_ksym_exists(fn)\n"
                                                " * tells at load time whether the running kernel has it. The comment above each\n"
                                                " * names the kernels that have it; a kfunc whose signature changed has its older\n"
                                                " * signature declared as fn___v<kernel>, which libbpf binds to fn where it matches.\n"
                                                " * Kernel names that contain \"___\" (scx_bpf_dsq_insert___v2) are declared with a\n"
                                                " * ___scxx suffix, or libbpf would bind them to the name before their \"___\".\n"
                                                " * SCXX_HAVE_<KFUNC> is defined for every kfunc declared here.");
    out += "#ifndef SCXX_KFUNCS_BPF_H\n#define SCXX_KFUNCS_BPF_H\n\n#include <vmlinux.h>\n#include <bpf/bpf_helpers.h>\n\n";
    for (const auto& f : forward)
        out += f + ";\n";
    out += "\n" + body.str() + "\n" + haves.str() + "\n#endif /* SCXX_KFUNCS_BPF_H */\n";
    return out;
}

// The ABI level of a kernel release: "7.3.4" -> 703.
int abi_level(const std::string& release)
{
    unsigned major = 0, minor = 0;
    if (std::sscanf(release.c_str(), "%u.%u", &major, &minor) != 2 || minor > 99)
        fail("kernel name '" + release + "' is not a release (MAJOR.MINOR...)");
    return static_cast<int>(major * 100 + minor);
}

std::string make_kfunc_levels(const std::vector<Kernel>& kernels)
{
    std::string defines;
    const std::size_t newest = kernels.size() - 1;
    for (const auto& [name, groups] : kfunc_signatures(kernels)) {
        const auto& g = groups.front(); // the newest signature
        if (g.back().first != newest)
            continue; // gone from the newest kernel: no build may rely on it
        // The oldest kernel from which on every kernel has this signature (G is in kernel order).
        std::size_t since = newest;
        for (std::size_t i = g.size() - 1; i > 0 && g[i - 1].first + 1 == g[i].first; --i)
            since = g[i - 1].first;
        defines += "#define SCXX_KFUNC_SINCE_" + declared_name(name) + " " +
                   std::to_string(abi_level(kernels[since].name)) + "\n";
    }
    return generated_banner(kernels, "For each kfunc (as kfuncs.bpf.h declares it), the ABI level from which on every\n"
                                     " * kernel above has it with its newest signature: the oldest such kernel's release\n"
                                     " * as major * 100 + minor. scxx/abi.h builds its table of levels from these; plain C,\n"
                                     " * for the BPF side and C++ alike.") +
           "#ifndef SCXX_KFUNC_LEVELS_H\n#define SCXX_KFUNC_LEVELS_H\n\n" + defines + "\n#endif /* SCXX_KFUNC_LEVELS_H */\n";
}

// ---- enums -----------------------------------------------------------------------------------

// Enumerators that scheduler code passes to or receives from the kernel at run time and whose
// values moved between releases: these become load-time values.
const std::set<std::string> load_time_enums = {
    "scx_public_consts", "scx_dsq_id_flags", "scx_enq_flags",   "scx_deq_flags",
    "scx_kick_flags",    "scx_pick_idle_cpu_flags", "scx_ent_flags", "scx_ent_dsq_flags",
    "scx_task_state",    "scx_rq_flags",
};

struct EnumValue {
    std::string type;
    std::map<std::size_t, std::uint64_t> by_kernel;  // kernel index -> value
};

std::map<std::string, EnumValue> enum_values(const std::vector<Kernel>& kernels)
{
    std::map<std::string, EnumValue> out;
    for (std::size_t k = 0; k < kernels.size(); ++k) {
        const btf* b = kernels[k].types.get();
        __u32 n = btf__type_cnt(b);
        for (__u32 id = 1; id < n; ++id) {
            const btf_type* t = btf__type_by_id(b, id);
            if (!btf_is_any_enum(t) || !load_time_enums.count(name_of(b, t)))
                continue;
            for (int i = 0; i < btf_vlen(t); ++i) {
                std::string en;
                std::uint64_t v;
                if (btf_is_enum(t)) {
                    en = btf__name_by_offset(b, btf_enum(t)[i].name_off);
                    v = static_cast<std::uint64_t>(static_cast<std::int64_t>(btf_enum(t)[i].val));
                    if (!btf_kflag(t))
                        v = static_cast<std::uint32_t>(btf_enum(t)[i].val);
                } else {
                    en = btf__name_by_offset(b, btf_enum64(t)[i].name_off);
                    v = btf_enum64_value(&btf_enum64(t)[i]);
                }
                if (en.rfind("__", 0) == 0)
                    continue;  // internal masks
                out[en].type = name_of(b, t);
                out[en].by_kernel[k] = v;
            }
        }
    }
    return out;
}

std::string hex(std::uint64_t v)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string make_enums(const std::vector<Kernel>& kernels)
{
    auto values = enum_values(kernels);
    std::string out = generated_banner(kernels,
        "The sched_ext enumerators. One whose value is the same in every kernel below stays the\n"
        " * compile-time constant vmlinux.h defines, usable in initializers, case labels and\n"
        " * _Static_assert. One whose value differs between kernels, or that some kernel lacks, is a\n"
        " * macro for a const volatile rodata variable that the scxx loader sets from the running\n"
        " * kernel's BTF before load (0 if that kernel lacks it); the verifier sees frozen rodata as\n"
        " * constants, so branches on them cost nothing. The default (used by loaders that do not set\n"
        " * them) is the newest kernel's value. The comment names each value per kernel.\n"
        " * SCXX_HAVE_<NAME> is defined for every name here.");
    out += "#ifndef SCXX_ENUMS_BPF_H\n#define SCXX_ENUMS_BPF_H\n\n#include <vmlinux.h>\n#include <bpf/bpf_helpers.h>\n\n";
    out += "/* The loader recognises these variables by this prefix. */\n#define SCXX_ENUM_PREFIX \"__scxx_enum_\"\n\n";
    for (const auto& [name, ev] : values) {
        std::string comment;
        std::set<std::uint64_t> distinct;
        for (const auto& [k, v] : ev.by_kernel) {
            comment += " " + kernels[k].name + "=" + hex(v);
            distinct.insert(v);
        }
        out += "/* enum " + ev.type + ":" + comment + " */\n";
        if (ev.by_kernel.size() != kernels.size() || distinct.size() != 1) {
            std::uint64_t dflt = ev.by_kernel.rbegin()->second;
            out += "const volatile u64 __scxx_enum_" + name + " __weak = " + hex(dflt) + "ULL;\n";
            out += "#define " + name + " __scxx_enum_" + name + "\n";
        }
        out += "#define SCXX_HAVE_" + name + " 1\n";
    }
    out += "\n#endif /* SCXX_ENUMS_BPF_H */\n";
    return out;
}

// ---- vmlinux.h -------------------------------------------------------------------------------

std::string make_vmlinux(const std::vector<Kernel>& kernels)
{
    const Kernel& k = kernels.back();
    const btf* b = k.types.get();
    Printer p(b);
    __u32 n = btf__type_cnt(b);
    for (__u32 id = 1; id < n; ++id)
        if (btf_dump__dump_type(p.get(), id) != 0)
            fail("btf_dump__dump_type failed for type " + std::to_string(id));

    // A known 64-bit enumerator proves the toolchain kept the upper half of 64-bit enums.
    std::string check;
    for (__u32 id = 1; id < n && check.empty(); ++id) {
        const btf_type* t = btf__type_by_id(b, id);
        if (!btf_is_enum64(t) || name_of(b, t) != "scx_dsq_id_flags")
            continue;
        for (int i = 0; i < btf_vlen(t); ++i) {
            std::uint64_t v = btf_enum64_value(&btf_enum64(t)[i]);
            if (v >> 32) {
                std::string en = btf__name_by_offset(b, btf_enum64(t)[i].name_off);
                check = "_Static_assert((unsigned long long)" + en + " == " + hex(v) +
                        "ULL,\n\t       \"64-bit enum values were truncated: compile with clang 19 or later\");\n";
                break;
            }
        }
    }
    if (check.empty())
        fail("no 64-bit enumerator of enum scx_dsq_id_flags in " + k.name + ": is this a sched_ext kernel?");

    std::string out = "/*\n * Kernel types of Linux " + k.name +
                      " (x86_64), for BPF programs built with scxx.\n"
                      " * Field accesses are CO-RE-relocated at load time, so programs built against this header\n"
                      " * run on older and newer kernels too, as far as the fields they touch exist there.\n"
                      " *\n * Generated by scxx-btfgen from the kernel's BTF. Do not edit: regenerate with\n"
                      " * tools/regen-headers (tools/lib/common.sh lists the kernels).\n */\n";
    out += "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n";
    out += "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n#endif\n\n";
    out += p.take();
    out += "\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n";
    out += check;
    out += "\n#endif /* __VMLINUX_H__ */\n";
    return out;
}

void write_file(const std::filesystem::path& path, const std::string& text)
{
    std::filesystem::create_directories(path.parent_path());
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        if (!out)
            fail("cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, path);
}

int usage(std::FILE* to)
{
    std::fputs("usage: scxx-btfgen --out DIR --kernel NAME=BTF_FILE [--kernel NAME=BTF_FILE ...]\n"
               "  Kernels oldest first; vmlinux.h comes from the last. BTF_FILE: raw BTF (/sys/kernel/btf/vmlinux)\n"
               "  or an ELF vmlinux.\n",
               to);
    return to == stdout ? 0 : 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<Kernel> kernels;
    std::optional<std::filesystem::path> out;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (a == "-h" || a == "--help")
                return usage(stdout);
            if (i + 1 >= argc)
                return usage(stderr);
            std::string v = argv[++i];
            if (a == "--out") {
                out = v;
            } else if (a == "--kernel") {
                auto eq = v.find('=');
                if (eq == std::string::npos || eq == 0)
                    fail("--kernel takes NAME=BTF_FILE, not '" + v + "'");
                std::string path = v.substr(eq + 1);
                btf* b = btf__parse(path.c_str(), nullptr);
                if (!b)
                    fail("cannot read BTF from " + path + ": " + std::strerror(errno));
                kernels.push_back({v.substr(0, eq), std::unique_ptr<btf, BtfFree>(b)});
            } else {
                return usage(stderr);
            }
        }
        if (!out || kernels.empty())
            return usage(stderr);
        write_file(*out / "vmlinux" / "vmlinux.h", make_vmlinux(kernels));
        write_file(*out / "kfuncs.bpf.h", make_kfuncs(kernels));
        write_file(*out / "kfunc_levels.h", make_kfunc_levels(kernels));
        write_file(*out / "enums.bpf.h", make_enums(kernels));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "scxx-btfgen: %s\n", e.what());
        return 1;
    }
    return 0;
}
