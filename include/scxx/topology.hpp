// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The machine's CPU topology as sysfs describes it: possible and online CPUs, SMT siblings,
// cores, last-level caches, NUMA nodes with their distances, and each CPU's capacity (big/little)
// and top frequency.
//
//   scxx::Topology t = scxx::Topology::read();        // from /sys (or a test's fake tree)
//   for (const scxx::Llc& llc : t.llcs()) ... llc.cpus
//   t.cpu(3).core, t.cpu(3).llc, t.cpu(3).node        // indexes into cores(), llcs(), nodes()
//   std::fputs(t.to_string().c_str(), stdout);
//
// Offline CPUs are listed (online = false) but have no core, cache or node: sysfs has no topology
// for them; read it again after a hotplug (a restart attaches a new generation). Cores, LLCs and
// nodes are numbered from 0 in the order of their first CPU; their kernel ids are kept too.

#include <scxx/error.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scxx {

struct TopologyCpu {
    int id = -1;
    bool online = false;
    int core = -1;    // index into Topology::cores()
    int llc = -1;     // index into Topology::llcs()
    int node = -1;    // index into Topology::nodes()
    int package = -1; // physical_package_id (socket)
    unsigned capacity = 1024;       // cpu_capacity (1024 when sysfs has none: all equal)
    std::uint64_t max_freq_khz = 0; // cpufreq's cpuinfo_max_freq, 0 if unknown
};

struct Core {
    int kernel_id = -1; // core_id (unique only within its package)
    int package = -1;
    std::vector<int> cpus; // SMT siblings
};

struct Llc {
    int kernel_id = -1;          // the cache's id, or -1 where sysfs has none
    int level = 0;               // 2 or 3 usually
    std::uint64_t size_bytes = 0;
    std::vector<int> cpus;       // online CPUs sharing it
};

struct Node {
    int kernel_id = -1;
    std::vector<int> cpus;       // online CPUs
    std::vector<int> distances;  // to every node, in nodes() order (10: local)
};

// A list of CPUs or nodes as sysfs writes it ("0-3,8,10-11") into the numbers; throws
// std::invalid_argument for anything else.
inline std::vector<int> parse_cpu_list(std::string_view text)
{
    std::vector<int> out;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    auto number = [&](std::string_view s) {
        int v = -1;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || v < 0 || v > 65535)
            throw std::invalid_argument("'" + std::string(s) + "' is not a CPU number");
        return v;
    };
    while (!text.empty()) {
        std::size_t comma = text.find(',');
        std::string_view part = text.substr(0, comma);
        std::size_t dash = part.find('-');
        int first = number(part.substr(0, dash));
        int last = dash == std::string_view::npos ? first : number(part.substr(dash + 1));
        if (last < first)
            throw std::invalid_argument("'" + std::string(part) + "' is a range that runs backwards");
        for (int c = first; c <= last; ++c)
            out.push_back(c);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    }
    return out;
}

// "0-3,8": the shortest sysfs-style text for CPUS (sorted, no duplicates).
inline std::string format_cpu_list(const std::vector<int>& cpus)
{
    std::string out;
    for (std::size_t i = 0; i < cpus.size();) {
        std::size_t j = i;
        while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1)
            ++j;
        out += (out.empty() ? "" : ",") + std::to_string(cpus[i]) + (j > i ? "-" + std::to_string(cpus[j]) : "");
        i = j + 1;
    }
    return out;
}

class Topology {
public:
    // Reads the topology under SYSFS (the directory that holds devices/system). Throws scxx::Error
    // naming the file when sysfs lacks what every Linux system has (the possible and online lists).
    static Topology read(const std::filesystem::path& sysfs = "/sys")
    {
        const std::filesystem::path cpu_dir = sysfs / "devices/system/cpu";
        Topology t;
        std::vector<int> possible = list(cpu_dir / "possible", true);
        std::vector<int> online = list(cpu_dir / "online", true);
        std::set<int> is_online(online.begin(), online.end());
        std::map<std::pair<int, int>, int> core_of;         // (package, core_id) -> index
        std::map<std::vector<int>, int> llc_of;             // shared CPUs -> index (ids are optional)
        for (int id : possible) {
            TopologyCpu c;
            c.id = id;
            c.online = is_online.count(id) > 0;
            const std::filesystem::path dir = cpu_dir / ("cpu" + std::to_string(id));
            if (auto cap = number(dir / "cpu_capacity"))
                c.capacity = static_cast<unsigned>(*cap);
            if (auto f = number(dir / "cpufreq/cpuinfo_max_freq"))
                c.max_freq_khz = static_cast<std::uint64_t>(*f);
            if (c.online) {
                c.package = static_cast<int>(number(dir / "topology/physical_package_id").value_or(0));
                const int core_id = static_cast<int>(number(dir / "topology/core_id").value_or(id));
                auto [it, fresh] = core_of.try_emplace({c.package, core_id}, static_cast<int>(t.cores_.size()));
                if (fresh)
                    t.cores_.push_back({core_id, c.package, {}});
                c.core = it->second;
                t.cores_[static_cast<std::size_t>(c.core)].cpus.push_back(id);
                if (std::optional<Llc> llc = last_level_cache(dir / "cache", is_online)) {
                    auto [l, added] = llc_of.try_emplace(llc->cpus, static_cast<int>(t.llcs_.size()));
                    if (added)
                        t.llcs_.push_back(*llc);
                    c.llc = l->second;
                }
            }
            t.cpus_.push_back(c);
        }
        t.read_nodes(sysfs / "devices/system/node");
        return t;
    }

    const std::vector<TopologyCpu>& cpus() const noexcept { return cpus_; } // every possible CPU
    const std::vector<Core>& cores() const noexcept { return cores_; }
    const std::vector<Llc>& llcs() const noexcept { return llcs_; }
    const std::vector<Node>& nodes() const noexcept { return nodes_; }

    // The possible CPU ID; throws std::out_of_range for one this machine cannot have.
    const TopologyCpu& cpu(int id) const
    {
        for (const TopologyCpu& c : cpus_)
            if (c.id == id)
                return c;
        throw std::out_of_range("CPU " + std::to_string(id) + " is not a possible CPU here");
    }
    std::vector<int> online() const
    {
        std::vector<int> out;
        for (const TopologyCpu& c : cpus_)
            if (c.online)
                out.push_back(c.id);
        return out;
    }
    // The capacities of the online CPUs, highest first: one entry on a machine of equal CPUs,
    // two or more on a big/little one.
    std::vector<unsigned> capacity_classes() const
    {
        std::set<unsigned, std::greater<>> caps;
        for (const TopologyCpu& c : cpus_)
            if (c.online)
                caps.insert(c.capacity);
        return {caps.begin(), caps.end()};
    }
    bool smt() const
    {
        return std::any_of(cores_.begin(), cores_.end(), [](const Core& c) { return c.cpus.size() > 1; });
    }

    // What `--topology` prints: a summary line, then each node, LLC and core with its CPUs.
    std::string to_string() const
    {
        std::vector<int> on = online();
        std::string out = std::to_string(cpus_.size()) + " possible CPUs (" + std::to_string(on.size()) +
                          " online: " + format_cpu_list(on) + "), " + std::to_string(cores_.size()) + " cores" +
                          (smt() ? " with SMT" : "") + ", " + std::to_string(llcs_.size()) + " LLCs, " +
                          std::to_string(nodes_.size()) + " NUMA nodes";
        std::vector<unsigned> caps = capacity_classes();
        if (caps.size() > 1) {
            out += "; capacities";
            for (unsigned c : caps)
                out += " " + std::to_string(c);
        }
        out += "\n";
        for (std::size_t n = 0; n < nodes_.size(); ++n) {
            out += "  node " + std::to_string(nodes_[n].kernel_id) + ": CPUs " + format_cpu_list(nodes_[n].cpus);
            if (!nodes_[n].distances.empty()) {
                out += ", distances";
                for (int d : nodes_[n].distances)
                    out += " " + std::to_string(d);
            }
            out += "\n";
        }
        for (std::size_t l = 0; l < llcs_.size(); ++l)
            out += "  LLC " + std::to_string(l) + " (L" + std::to_string(llcs_[l].level) + ", " +
                   std::to_string(llcs_[l].size_bytes / 1024) + " KiB): CPUs " + format_cpu_list(llcs_[l].cpus) + "\n";
        for (std::size_t k = 0; k < cores_.size(); ++k) {
            const Core& core = cores_[k];
            const TopologyCpu& first = cpu(core.cpus.front());
            out += "  core " + std::to_string(k) + " (package " + std::to_string(core.package) + "): CPUs " +
                   format_cpu_list(core.cpus) + ", capacity " + std::to_string(first.capacity) +
                   (first.max_freq_khz ? ", " + std::to_string(first.max_freq_khz / 1000) + " MHz" : "") + "\n";
        }
        std::vector<int> off;
        for (const TopologyCpu& c : cpus_)
            if (!c.online)
                off.push_back(c.id);
        if (!off.empty())
            out += "  offline: CPUs " + format_cpu_list(off) + "\n";
        return out;
    }

private:
    static std::optional<std::string> text(const std::filesystem::path& p)
    {
        std::ifstream in(p);
        if (!in)
            return std::nullopt;
        std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
            s.pop_back();
        return s;
    }
    // A whole number in P ("491520K" for a cache size: K means KiB), or nullopt.
    static std::optional<long long> number(const std::filesystem::path& p)
    {
        std::optional<std::string> s = text(p);
        if (!s || s->empty())
            return std::nullopt;
        long long scale = 1;
        if (s->back() == 'K' || s->back() == 'M') {
            scale = s->back() == 'K' ? 1024 : 1024 * 1024;
            s->pop_back();
        }
        long long v = 0;
        auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
        if (ec != std::errc() || end != s->data() + s->size())
            return std::nullopt;
        return v * scale;
    }
    static std::vector<int> list(const std::filesystem::path& p, bool required)
    {
        std::optional<std::string> s = text(p);
        if (!s) {
            if (required)
                throw Error("read topology", p.string(), ENOENT, "sysfs has no such file: is /sys mounted?");
            return {};
        }
        try {
            return parse_cpu_list(*s);
        } catch (const std::invalid_argument& e) {
            throw Error("read topology", p.string(), EINVAL, e.what());
        }
    }

    // The highest-level data or unified cache of the CPU whose cache directory is DIR, with the
    // online CPUs that share it.
    static std::optional<Llc> last_level_cache(const std::filesystem::path& dir, const std::set<int>& online)
    {
        std::optional<Llc> best;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (!name.starts_with("index"))
                continue;
            std::optional<std::string> type = text(entry.path() / "type");
            auto level = number(entry.path() / "level");
            if (!type || *type == "Instruction" || !level)
                continue;
            if (best && *level <= best->level)
                continue;
            Llc llc;
            llc.level = static_cast<int>(*level);
            llc.kernel_id = static_cast<int>(number(entry.path() / "id").value_or(-1));
            llc.size_bytes = static_cast<std::uint64_t>(number(entry.path() / "size").value_or(0));
            for (int c : list(entry.path() / "shared_cpu_list", false))
                if (online.count(c))
                    llc.cpus.push_back(c);
            best = std::move(llc);
        }
        return best;
    }

    void read_nodes(const std::filesystem::path& dir)
    {
        std::vector<int> ids = list(dir / "online", false);
        if (ids.empty()) { // no NUMA in this kernel: one node of every online CPU
            nodes_.push_back({0, online(), {10}});
            for (TopologyCpu& c : cpus_)
                if (c.online)
                    c.node = 0;
            return;
        }
        for (int id : ids) {
            Node n;
            n.kernel_id = id;
            const std::filesystem::path nd = dir / ("node" + std::to_string(id));
            for (int c : list(nd / "cpulist", false))
                for (TopologyCpu& cpu : cpus_)
                    if (cpu.id == c && cpu.online) {
                        n.cpus.push_back(c);
                        cpu.node = static_cast<int>(nodes_.size());
                    }
            if (std::optional<std::string> d = text(nd / "distance")) {
                std::string_view rest = *d;
                while (!rest.empty()) {
                    std::size_t sp = rest.find(' ');
                    std::string_view tok = rest.substr(0, sp);
                    int v = 0;
                    if (!tok.empty() && std::from_chars(tok.data(), tok.data() + tok.size(), v).ec == std::errc())
                        n.distances.push_back(v);
                    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
                }
            }
            nodes_.push_back(std::move(n));
        }
    }

    std::vector<TopologyCpu> cpus_;
    std::vector<Core> cores_;
    std::vector<Llc> llcs_;
    std::vector<Node> nodes_;
};

namespace detail {
// Writes T into the read-only data of an object that includes scxx/topology.bpf.h (what
// OpenScheduler::topology does): each possible CPU's core, LLC and node index and capacity, and
// the counts. Throws for a machine with more CPU ids than the object has room for.
template <class Rodata>
void write_bpf_topology(Rodata& r, const Topology& t, const std::string& object)
{
    constexpr std::uint32_t none = ~0u;
    const std::size_t room = std::size(r.scxx_topo_core_ids);
    std::size_t nr_cpu_ids = 0;
    for (const TopologyCpu& c : t.cpus())
        nr_cpu_ids = std::max(nr_cpu_ids, static_cast<std::size_t>(c.id) + 1);
    if (nr_cpu_ids > room)
        throw Error("write topology", object, E2BIG,
                    "this machine has CPU ids up to " + std::to_string(nr_cpu_ids - 1) + " and the object room for " +
                        std::to_string(room) + ": define SCXX_TOPO_MAX_CPUS as " + std::to_string(nr_cpu_ids) +
                        " or more before including scxx/topology.bpf.h");
    auto index = [](int i) { return i < 0 ? none : static_cast<std::uint32_t>(i); };
    for (std::size_t i = 0; i < room; ++i) {
        r.scxx_topo_core_ids[i] = none;
        r.scxx_topo_llc_ids[i] = none;
        r.scxx_topo_node_ids[i] = none;
        r.scxx_topo_capacities[i] = 0;
        r.scxx_topo_llc_node_ids[i] = none;
    }
    for (const TopologyCpu& c : t.cpus()) {
        const auto i = static_cast<std::size_t>(c.id);
        r.scxx_topo_core_ids[i] = index(c.core);
        r.scxx_topo_llc_ids[i] = index(c.llc);
        r.scxx_topo_node_ids[i] = index(c.node);
        r.scxx_topo_capacities[i] = c.online ? c.capacity : 0;
    }
    for (std::size_t l = 0; l < t.llcs().size(); ++l)
        r.scxx_topo_llc_node_ids[l] = index(t.cpu(t.llcs()[l].cpus.front()).node);
    r.scxx_topo_nr_cpu_ids = static_cast<std::uint32_t>(nr_cpu_ids);
    r.scxx_topo_nr_core_ids = static_cast<std::uint32_t>(t.cores().size());
    r.scxx_topo_nr_llc_ids = static_cast<std::uint32_t>(t.llcs().size());
    r.scxx_topo_nr_node_ids = static_cast<std::uint32_t>(t.nodes().size());
    r.scxx_topo_smt_on = t.smt() ? 1 : 0;
}
} // namespace detail

} // namespace scxx
