// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The object's scheduler before load, through BTF: which struct_ops map is the scheduler, its
// struct sched_ext_ops members (read, set, cleared), fitting them to the running kernel, the
// load-time enumerators, the kernel configuration libbpf needs, and the exit record read back
// after the run. scxx::open() and OpenScheduler use these; nothing here is in the kernel yet.

#include <scxx/bpf_types.hpp>
#include <scxx/btf.hpp>
#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/kernel.hpp>
#include <scxx/log.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <elf.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace scxx::detail {
inline constexpr const char* exit_map_name = "scxx_exit_info";
inline constexpr const char* exit_dump_map_name = "scxx_exit_dump";

template <class Skel>
struct SkelDeleter {
    void operator()(Skel* skel) const noexcept { Skel::destroy(skel); }
};
template <class Skel>
using SkelPtr = std::unique_ptr<Skel, SkelDeleter<Skel>>;

struct LinkDeleter {
    void operator()(bpf_link* link) const noexcept { bpf_link__destroy(link); }
};
using LinkPtr = std::unique_ptr<bpf_link, LinkDeleter>;

// The struct a struct_ops map implements ("sched_ext_ops", "tcp_congestion_ops" ...).
inline std::string struct_ops_type(bpf_object* obj, const bpf_map* map)
{
    const btf* obj_btf = bpf_object__btf(obj);
    const btf_type* t = obj_btf ? btf__type_by_id(obj_btf, bpf_map__btf_value_type_id(map)) : nullptr;
    return t ? btf__name_by_offset(obj_btf, t->name_off) : "";
}

// The struct_ops types that are sched_ext schedulers: sched_ext_ops, and 7.3's cid-form ops.
inline bool is_scheduler_ops(std::string_view type)
{
    return type == "sched_ext_ops" || type == "sched_ext_ops_cid";
}

// The object's scheduler: its one sched_ext struct_ops map, or the one named WANTED. The others
// are not created at load (their programs are not loaded either), so only this one reaches the
// kernel. Refuses objects whose struct_ops are not sched_ext schedulers.
inline bpf_map* find_struct_ops(bpf_object* obj, const std::string& name, std::string_view wanted)
{
    std::vector<bpf_map*> schedulers;
    std::string names;  // the schedulers' map names, for messages
    std::string others; // struct_ops maps of other types
    bpf_map* map;
    bpf_object__for_each_map(map, obj)
    {
        if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
            continue;
        std::string type = struct_ops_type(obj, map);
        std::string quoted = "'" + std::string(bpf_map__name(map)) + "'";
        if (!is_scheduler_ops(type)) {
            if (wanted == bpf_map__name(map))
                throw Error("open", name, EINVAL,
                            "the struct_ops map " + quoted + " is a struct " + type +
                                ", not a sched_ext scheduler (struct sched_ext_ops)");
            others += (others.empty() ? "" : ", ") + quoted + " (struct " + type + ")";
            continue;
        }
        schedulers.push_back(map);
        names += (names.empty() ? "" : ", ") + quoted;
    }
    bpf_map* chosen = nullptr;
    if (!wanted.empty()) {
        for (bpf_map* m : schedulers)
            if (wanted == bpf_map__name(m))
                chosen = m;
        if (!chosen)
            throw Error("open", name, ENOENT,
                        "the object has no scheduler named '" + std::string(wanted) + "'" +
                            (names.empty() ? std::string() : "; its schedulers: " + names));
    } else if (schedulers.size() == 1) {
        chosen = schedulers.front();
    } else if (schedulers.size() > 1) {
        throw Error("open", name, EINVAL,
                    "the object defines several schedulers (" + names +
                        "); name the one to attach: scxx::open<Skel>(\"" + bpf_map__name(schedulers.front()) + "\")");
    } else if (!others.empty()) {
        throw Error("open", name, EINVAL,
                    "the object's struct_ops " + others +
                        " is not a sched_ext scheduler (struct sched_ext_ops); scxx loads sched_ext schedulers only");
    } else {
        throw Error("open", name, EINVAL,
                    "the object defines no struct_ops map: define the scheduler with SCXX_SCHEDULER(...)");
    }
    bpf_object__for_each_map(map, obj)
    {
        if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS && map != chosen)
            bpf_map__set_autocreate(map, false);
    }
    return chosen;
}

inline ExitInfo read_exit(const bpf_map* map, const bpf_map* dump_map)
{
    if (!map)
        return {};
    scxx_exit_record rec{};
    std::uint32_t key = 0;
    if (bpf_map__lookup_elem(map, &key, sizeof(key), &rec, sizeof(rec), 0) != 0)
        return {};
    ExitInfo info;
    info.kind = static_cast<ExitKind>(rec.kind);
    info.exit_code = rec.exit_code;
    info.reason.assign(rec.reason, strnlen(rec.reason, sizeof(rec.reason)));
    info.message.assign(rec.msg, strnlen(rec.msg, sizeof(rec.msg)));
    if (dump_map && info.exited()) {
        std::string dump(exit_dump_len, '\0');
        if (bpf_map__lookup_elem(dump_map, &key, sizeof(key), dump.data(), dump.size(), 0) == 0)
            info.dump.assign(dump.c_str());
    }
    return info;
}

// Sets the object's load-time enumerators (bpf_include/scxx/enums.bpf.h: rodata variables named
// __scxx_enum_<NAME>) to the running kernel's values; 0 where the kernel lacks the enumerator.
inline void resolve_load_time_enums(bpf_object* obj, const btf* kernel_btf)
{
    constexpr std::string_view prefix = "__scxx_enum_"; // SCXX_ENUM_PREFIX in enums.bpf.h
    bpf_map* rodata = bpf_object__find_map_by_name(obj, ".rodata");
    const btf* obj_btf = bpf_object__btf(obj);
    if (!rodata || !obj_btf)
        return;
    __s32 sec_id = btf__find_by_name_kind(obj_btf, ".rodata", BTF_KIND_DATASEC);
    if (sec_id < 0)
        return;
    std::size_t size = 0;
    auto* data = static_cast<unsigned char*>(bpf_map__initial_value(rodata, &size));
    const btf_type* sec = btf__type_by_id(obj_btf, static_cast<__u32>(sec_id));
    const auto kernel = btf_read::enumerators(kernel_btf, "SCX_");
    const struct btf_var_secinfo* vars = btf_var_secinfos(sec);
    for (int i = 0; i < btf_vlen(sec); ++i) {
        const btf_type* var = btf__type_by_id(obj_btf, vars[i].type);
        std::string_view var_name = btf__name_by_offset(obj_btf, var->name_off);
        if (!var_name.starts_with(prefix) || vars[i].size != sizeof(std::uint64_t) ||
            vars[i].offset + sizeof(std::uint64_t) > size)
            continue;
        auto it = kernel.find(std::string(var_name.substr(prefix.size())));
        std::uint64_t value = it == kernel.end() ? 0 : it->second;
        std::memcpy(data + vars[i].offset, &value, sizeof(value));
    }
}

// The bytes of one member of the object's struct sched_ext_ops, in the struct_ops map's initial
// value (what libbpf copies to the kernel at load).
struct OpsField {
    unsigned char* data = nullptr;
    std::size_t size = 0;
};

// Calls FN(member name, OpsField, member type) for each member of the object's struct
// sched_ext_ops, until FN returns true.
template <class Fn>
void for_each_ops_field(bpf_object* obj, bpf_map* ops, Fn fn)
{
    const btf* obj_btf = bpf_object__btf(obj);
    const btf_type* st = obj_btf ? btf__type_by_id(obj_btf, bpf_map__btf_value_type_id(ops)) : nullptr;
    std::size_t size = 0;
    auto* data = static_cast<unsigned char*>(bpf_map__initial_value(ops, &size));
    if (!st || !btf_is_struct(st) || !data)
        return;
    const btf_member* m = btf_members(st);
    for (int i = 0; i < btf_vlen(st); ++i) {
        std::size_t off = btf_member_bit_offset(st, static_cast<__u32>(i)) / 8;
        __s64 msize = btf__resolve_size(obj_btf, m[i].type);
        if (msize <= 0 || off + static_cast<std::size_t>(msize) > size)
            continue;
        if (fn(std::string_view(btf__name_by_offset(obj_btf, m[i].name_off)),
               OpsField{data + off, static_cast<std::size_t>(msize)}, btf__type_by_id(obj_btf, m[i].type)))
            return;
    }
}

// MEMBER of the object's struct sched_ext_ops; null data if the object's ops lack it.
inline OpsField ops_field(bpf_object* obj, bpf_map* ops, std::string_view member)
{
    OpsField found;
    for_each_ops_field(obj, ops, [&](std::string_view name, OpsField field, const btf_type*) {
        if (name != member)
            return false;
        found = field;
        return true;
    });
    return found;
}

// Clears an ops member before load; for a callback, its program is then not loaded either.
inline void clear_ops_field(OpsField field, const btf_type* type)
{
    if (type && btf_is_ptr(type)) { // a callback: libbpf keeps the program's pointer here
        bpf_program* prog;
        std::memcpy(&prog, field.data, sizeof(prog));
        if (prog)
            bpf_program__set_autoload(prog, false);
    }
    std::memset(field.data, 0, field.size);
}

// Fits the object's struct sched_ext_ops to the running kernel before load: clears the members this
// kernel lacks (a callback of a newer kernel; its program is then not loaded either), reported at
// debug level, and sets hotplug_seq so that a CPU hotplug between load and attach is noticed.
inline void adapt_ops_to_kernel(bpf_object* obj, bpf_map* ops, const KernelInfo& kernel, const std::string& name)
{
    if (!kernel.has_sched_ext())
        return;
    const std::string ops_type = struct_ops_type(obj, ops);
    if (!kernel.has_struct(ops_type))
        throw Error("open", name, EOPNOTSUPP,
                    kernel.description() + " has no struct " + ops_type + " (the struct_ops map '" +
                        bpf_map__name(ops) + "'); it needs a newer kernel");
    for_each_ops_field(obj, ops, [&](std::string_view member, OpsField field, const btf_type* type) {
        if (member == "hotplug_seq" && kernel.has_struct_member(ops_type, member)) {
            std::uint64_t seq = system::hotplug_seq().value_or(0);
            std::memcpy(field.data, &seq, sizeof(seq));
            return false;
        }
        bool set = false;
        for (std::size_t b = 0; b < field.size; ++b)
            set |= field.data[b] != 0;
        if (!set || kernel.has_struct_member(ops_type, member))
            return false;
        clear_ops_field(field, type);
        emit(LogLevel::debug, name,
             kernel.description() + " has no " + ops_type + "." + std::string(member) + "; left it unset\n");
        return false;
    });
}

// The running kernel's build configuration, for libbpf's __kconfig externs, when it is where
// libbpf does not look: libbpf reads /boot/config-<release> and /proc/config.gz only, while some
// distributions (Debian's 7.x packages) ship it as /usr/lib/modules/<release>/config alone.
// Empty when libbpf will find it itself, or nothing has it.
inline std::string kernel_config_for_libbpf(const std::string& release)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists("/boot/config-" + release, ec) || fs::exists("/proc/config.gz", ec))
        return {};
    for (const char* dir : {"/usr/lib/modules/", "/lib/modules/"}) {
        std::ifstream in(dir + release + "/config");
        if (in)
            return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return {};
}

// The names of the object's undefined ELF symbols: its externs (kfuncs, ksyms, kconfig), from the
// symbol table of its bytes. libbpf keeps its own list of externs private and rewrites their BTF
// at open, so the ELF is where they are still plain. Empty for bytes that are no ELF64 object.
inline std::vector<std::string> undefined_symbols(const void* data, std::size_t size)
{
    std::vector<std::string> names;
    const auto* bytes = static_cast<const unsigned char*>(data);
    Elf64_Ehdr eh;
    if (!data || size < sizeof(eh))
        return names;
    std::memcpy(&eh, bytes, sizeof(eh));
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > size || eh.e_shnum > (size - eh.e_shoff) / sizeof(Elf64_Shdr))
        return names;
    auto section = [&](std::size_t i) {
        Elf64_Shdr sh;
        std::memcpy(&sh, bytes + eh.e_shoff + i * sizeof(sh), sizeof(sh));
        return sh;
    };
    for (std::size_t i = 0; i < eh.e_shnum; ++i) {
        const Elf64_Shdr symtab = section(i);
        if (symtab.sh_type != SHT_SYMTAB || symtab.sh_link >= eh.e_shnum || symtab.sh_entsize != sizeof(Elf64_Sym) ||
            symtab.sh_offset > size || symtab.sh_size > size - symtab.sh_offset)
            continue;
        const Elf64_Shdr strtab = section(symtab.sh_link);
        if (strtab.sh_offset > size || strtab.sh_size > size - strtab.sh_offset)
            continue;
        const char* strings = reinterpret_cast<const char*>(bytes + strtab.sh_offset);
        for (std::size_t off = 0; off + sizeof(Elf64_Sym) <= symtab.sh_size; off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            std::memcpy(&sym, bytes + symtab.sh_offset + off, sizeof(sym));
            if (sym.st_shndx != SHN_UNDEF || sym.st_name == 0 || sym.st_name >= strtab.sh_size)
                continue;
            names.emplace_back(strings + sym.st_name, strnlen(strings + sym.st_name, strtab.sh_size - sym.st_name));
        }
    }
    return names;
}

// The kfuncs the object calls that KERNEL does not have, in the object's order: its externs (ELF)
// that its BTF knows as functions (a "___suffix" names a variant of the same kfunc). Guarded calls
// to them are fine; an unguarded one, or a strong declaration, fails the load.
inline std::vector<std::string> missing_kfuncs(bpf_object* obj, const void* elf, std::size_t elf_size,
                                               const KernelInfo& kernel)
{
    std::vector<std::string> missing;
    const btf* obj_btf = bpf_object__btf(obj);
    if (!obj_btf)
        return missing;
    for (const std::string& symbol : undefined_symbols(elf, elf_size)) {
        if (btf__find_by_name_kind(obj_btf, symbol.c_str(), BTF_KIND_FUNC) < 0)
            continue; // a ksym or kconfig variable
        std::string name = symbol.substr(0, symbol.find("___"));
        if (!kernel.has_kfunc(name) && std::find(missing.begin(), missing.end(), name) == missing.end())
            missing.push_back(name);
    }
    return missing;
}

} // namespace scxx::detail
