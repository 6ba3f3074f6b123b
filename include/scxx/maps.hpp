// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Typed views of a loaded object's maps. A view checks at construction that the map's type and
// key/value sizes match the C++ types, so a mismatch fails loudly instead of corrupting memory.

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <scxx/error.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace scxx {

namespace detail {
inline void check_map(const bpf_map* map, bpf_map_type type, const char* type_name, std::size_t key_size,
                      std::size_t value_size)
{
    if (!map)
        throw Error("open map view", "", EINVAL, "no map given (nullptr)");
    std::string name = bpf_map__name(map);
    if (bpf_map__type(map) != type)
        throw Error("open map view", name, EINVAL, std::string("map is not a ") + type_name);
    if (bpf_map__key_size(map) != key_size)
        throw Error("open map view", name, EINVAL,
                    "key is " + std::to_string(bpf_map__key_size(map)) + " bytes, the C++ key type is " +
                        std::to_string(key_size));
    if (bpf_map__value_size(map) != value_size)
        throw Error("open map view", name, EINVAL,
                    "value is " + std::to_string(bpf_map__value_size(map)) + " bytes, the C++ value type is " +
                        std::to_string(value_size));
}
} // namespace detail

// A BPF_MAP_TYPE_PERCPU_ARRAY of T, e.g. the counters that SCXX_COUNTERS defines.
template <class T>
class PerCpuArray {
    static_assert(std::is_trivially_copyable_v<T>, "BPF map values must be trivially copyable");

public:
    explicit PerCpuArray(const bpf_map* map) : map_(map)
    {
        detail::check_map(map, BPF_MAP_TYPE_PERCPU_ARRAY, "per-CPU array", sizeof(std::uint32_t), sizeof(T));
        int n = libbpf_num_possible_cpus();
        if (n <= 0)
            throw Error("count possible CPUs", bpf_map__name(map), detail::positive_errno(n));
        ncpus_ = static_cast<unsigned>(n);
    }

    std::uint32_t size() const noexcept { return bpf_map__max_entries(map_); }
    unsigned possible_cpus() const noexcept { return ncpus_; }

    // One value per possible CPU.
    std::vector<T> values(std::uint32_t index) const
    {
        // The kernel copies each CPU's value into an 8-byte aligned slot.
        constexpr std::size_t stride = (sizeof(T) + 7) / 8 * 8;
        std::vector<unsigned char> raw(stride * ncpus_);
        if (bpf_map__lookup_elem(map_, &index, sizeof(index), raw.data(), raw.size(), 0) != 0)
            throw Error("read map", bpf_map__name(map_), errno, "index " + std::to_string(index));
        std::vector<T> out(ncpus_);
        for (unsigned cpu = 0; cpu < ncpus_; ++cpu)
            std::memcpy(&out[cpu], raw.data() + cpu * stride, sizeof(T));
        return out;
    }

    // The sum over CPUs (for counters).
    T sum(std::uint32_t index) const
        requires std::is_arithmetic_v<T>
    {
        T total{};
        for (const T& v : values(index))
            total += v;
        return total;
    }

private:
    const bpf_map* map_;
    unsigned ncpus_ = 0;
};

} // namespace scxx
