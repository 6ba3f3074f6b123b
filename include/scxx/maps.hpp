// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Typed views of a loaded object's maps. A view checks at construction that the map's type and
// key/value sizes match the C++ types, so a mismatch fails loudly instead of corrupting memory.
//
//   scxx::Array<Config> cfg(sched.maps().config);        cfg.set(0, c);  cfg.get(0)
//   scxx::PerCpuArray<u64> stats(sched.maps().stats);    stats.sum(i)    stats.values(i)
//   scxx::Hash<u32, TaskInfo> tasks(sched.maps().tasks); tasks.get(pid)  tasks.keys()
//   scxx::RingBuffer<Event> events(sched.maps().events, [](const Event& e) { ... });  events.poll(100ms)
//   scxx::UserRingBuffer<Cmd> cmds(sched.maps().cmds);  cmds.push(cmd)
//
// A view made once the map is in the kernel (from a loaded or attached scheduler) holds its own
// fd of the map, so it stays valid after the scheduler is gone (reading, say, the final counters):
// the kernel keeps a map while an fd refers to it. A view made before load reads through the
// object's map and must not outlive the object. The ring buffer views (which need a loaded map)
// own their libbpf consumer/producer and are move-only.

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <scxx/error.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace scxx {

namespace detail {
inline void check_map(const bpf_map* map, bpf_map_type type, std::size_t key_size, std::size_t value_size)
{
    if (!map)
        throw Error("open map view", "", EINVAL, "no map given (nullptr)");
    std::string name = bpf_map__name(map);
    if (bpf_map__type(map) != type)
        throw Error("open map view", name, EINVAL,
                    std::string("the map's type is '") + libbpf_bpf_map_type_str(bpf_map__type(map)) +
                        "'; this view needs '" + libbpf_bpf_map_type_str(type) + "'");
    if (bpf_map__key_size(map) != key_size)
        throw Error("open map view", name, EINVAL,
                    "key is " + std::to_string(bpf_map__key_size(map)) + " bytes, the C++ key type is " +
                        std::to_string(key_size));
    if (bpf_map__value_size(map) != value_size)
        throw Error("open map view", name, EINVAL,
                    "value is " + std::to_string(bpf_map__value_size(map)) + " bytes, the C++ value type is " +
                        std::to_string(value_size));
}

// A view's hold on its map: a duplicate of the map's fd once it is loaded (closed with the last
// copy of the view), or the object's map before load.
class MapHandle {
public:
    explicit MapHandle(const bpf_map* map) : name_(bpf_map__name(map)), max_entries_(bpf_map__max_entries(map))
    {
        if (int fd = bpf_map__fd(map); fd >= 0) {
            int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
            if (own < 0)
                throw Error("open map view", name_, errno, "could not duplicate the map's fd");
            fd_ = std::shared_ptr<const int>(new int(own), [](const int* f) {
                ::close(*f);
                delete f;
            });
        } else {
            map_ = map;
        }
    }

    // The map's fd for OPERATION; before load, the object's (EBADF if it is not loaded yet).
    int fd(const char* operation) const
    {
        if (fd_)
            return *fd_;
        int fd = bpf_map__fd(map_);
        if (fd < 0)
            throw Error(operation, name_, EBADF, "the map is not in the kernel yet: use the view after load()");
        return fd;
    }
    // The fd of a map that must be loaded when the view is made (the ring buffers).
    int loaded_fd(const char* view) const
    {
        if (!fd_)
            throw Error(std::string("open ") + view, name_, EBADF,
                        "the map is not in the kernel yet: make the view after load()");
        return *fd_;
    }
    const std::string& name() const noexcept { return name_; }
    std::uint32_t max_entries() const noexcept { return max_entries_; }

private:
    std::string name_;
    std::uint32_t max_entries_;
    std::shared_ptr<const int> fd_;
    const bpf_map* map_ = nullptr;
};

template <class T>
concept MapValue = std::is_trivially_copyable_v<T>;
} // namespace detail

// A BPF_MAP_TYPE_ARRAY of T.
template <detail::MapValue T>
class Array {
public:
    explicit Array(const bpf_map* map) : map_((detail::check_map(map, BPF_MAP_TYPE_ARRAY, sizeof(std::uint32_t), sizeof(T)), map)) {}

    std::uint32_t size() const noexcept { return map_.max_entries(); }

    T get(std::uint32_t index) const
    {
        T value;
        if (bpf_map_lookup_elem(map_.fd("read map"), &index, &value) != 0)
            throw Error("read map", map_.name(), errno, "index " + std::to_string(index));
        return value;
    }

    void set(std::uint32_t index, const T& value) const
    {
        if (bpf_map_update_elem(map_.fd("write map"), &index, &value, BPF_ANY) != 0)
            throw Error("write map", map_.name(), errno, "index " + std::to_string(index));
    }

private:
    detail::MapHandle map_;
};

// A BPF_MAP_TYPE_HASH or LRU_HASH from K to V.
template <detail::MapValue K, detail::MapValue V>
class Hash {
public:
    explicit Hash(const bpf_map* map) : map_((check(map), map)) {}

    std::optional<V> get(const K& key) const
    {
        V value;
        if (bpf_map_lookup_elem(map_.fd("read map"), &key, &value) == 0)
            return value;
        if (errno == ENOENT)
            return std::nullopt;
        throw Error("read map", map_.name(), errno);
    }

    // Throws E2BIG when the map is full.
    void set(const K& key, const V& value) const
    {
        if (bpf_map_update_elem(map_.fd("write map"), &key, &value, BPF_ANY) != 0)
            throw Error("write map", map_.name(), errno,
                        errno == E2BIG ? "the map is full (" + std::to_string(map_.max_entries()) + " entries)"
                                       : std::string());
    }

    // False if KEY was not there.
    bool erase(const K& key) const
    {
        if (bpf_map_delete_elem(map_.fd("delete from map"), &key) == 0)
            return true;
        if (errno == ENOENT)
            return false;
        throw Error("delete from map", map_.name(), errno);
    }

    // The keys present now (entries may come and go while BPF runs).
    std::vector<K> keys() const
    {
        std::vector<K> out;
        K key, prev;
        bool first = true;
        const int fd = map_.fd("list map keys");
        while (bpf_map_get_next_key(fd, first ? nullptr : &prev, &key) == 0) {
            out.push_back(key);
            prev = key;
            first = false;
        }
        if (errno != ENOENT)
            throw Error("list map keys", map_.name(), errno);
        return out;
    }

private:
    static void check(const bpf_map* map)
    {
        if (map && bpf_map__type(map) == BPF_MAP_TYPE_LRU_HASH)
            detail::check_map(map, BPF_MAP_TYPE_LRU_HASH, sizeof(K), sizeof(V));
        else
            detail::check_map(map, BPF_MAP_TYPE_HASH, sizeof(K), sizeof(V));
    }

    detail::MapHandle map_;
};

// Consumes a BPF_MAP_TYPE_RINGBUF whose records are T (bpf_ringbuf_output/reserve of a T in BPF).
// Each record is handed to the callback; a record of another size makes poll() throw.
template <detail::MapValue T>
class RingBuffer {
public:
    RingBuffer(const bpf_map* map, std::function<void(const T&)> on_record)
        : map_((detail::check_map(map, BPF_MAP_TYPE_RINGBUF, 0, 0), map)),
          state_(std::make_unique<State>(State{std::move(on_record), map_.name(), 0}))
    {
        ring_buffer* rb = ring_buffer__new(map_.loaded_fd("ring buffer"), &RingBuffer::receive, state_.get(), nullptr);
        if (!rb)
            throw Error("open ring buffer", state_->name, errno);
        rb_.reset(rb);
    }

    // Waits up to TIMEOUT for records and hands each to the callback; returns how many.
    int poll(std::chrono::milliseconds timeout = std::chrono::milliseconds(0))
    {
        return check(ring_buffer__poll(rb_.get(), static_cast<int>(timeout.count())));
    }

    // Hands the records already there to the callback without a system call; returns how many.
    int consume() { return check(ring_buffer__consume(rb_.get())); }

    // For epoll: readable when records are waiting.
    int fd() const noexcept { return ring_buffer__epoll_fd(rb_.get()); }

private:
    int check(int n)
    {
        if (n == -EINTR)
            return 0;
        if (state_->bad_size != 0)
            throw Error("read ring buffer", state_->name, EMSGSIZE,
                        "a record is " + std::to_string(std::exchange(state_->bad_size, 0)) +
                            " bytes, the C++ record type is " + std::to_string(sizeof(T)));
        if (n < 0)
            throw Error("read ring buffer", state_->name, -n);
        return n;
    }

    struct State {
        std::function<void(const T&)> on_record;
        std::string name;
        std::size_t bad_size;
    };
    struct Free {
        void operator()(ring_buffer* rb) const noexcept { ring_buffer__free(rb); }
    };

    static int receive(void* ctx, void* data, std::size_t size)
    {
        auto* state = static_cast<State*>(ctx);
        if (size != sizeof(T)) {
            state->bad_size = size;
            return -EMSGSIZE; // stops this poll; poll() reports it
        }
        T record;
        std::memcpy(&record, data, sizeof(T));
        state->on_record(record);
        return 0;
    }

    detail::MapHandle map_;        // declared first: the fd outlives libbpf's consumer
    std::unique_ptr<State> state_; // stable address for libbpf's callback context
    std::unique_ptr<ring_buffer, Free> rb_;
};

// Produces T records into a BPF_MAP_TYPE_USER_RINGBUF that BPF drains with bpf_user_ringbuf_drain().
template <detail::MapValue T>
class UserRingBuffer {
public:
    explicit UserRingBuffer(const bpf_map* map)
        : map_((detail::check_map(map, BPF_MAP_TYPE_USER_RINGBUF, 0, 0), map)), name_(map_.name())
    {
        user_ring_buffer* rb = user_ring_buffer__new(map_.loaded_fd("user ring buffer"), nullptr);
        if (!rb)
            throw Error("open user ring buffer", name_, errno);
        rb_.reset(rb);
    }

    // Queues RECORD; false (nothing written) when the buffer is full.
    bool try_push(const T& record)
    {
        void* slot = user_ring_buffer__reserve(rb_.get(), sizeof(T));
        if (!slot) {
            if (errno == ENOSPC)
                return false;
            throw Error("write user ring buffer", name_, errno);
        }
        std::memcpy(slot, &record, sizeof(T));
        user_ring_buffer__submit(rb_.get(), slot);
        return true;
    }

    // Queues RECORD, waiting up to TIMEOUT for BPF to make room; throws ETIMEDOUT if it does not.
    void push(const T& record, std::chrono::milliseconds timeout = std::chrono::milliseconds(1000))
    {
        void* slot = user_ring_buffer__reserve_blocking(rb_.get(), sizeof(T), static_cast<int>(timeout.count()));
        if (!slot)
            throw Error("write user ring buffer", name_, errno,
                        errno == ETIMEDOUT ? "full for " + std::to_string(timeout.count()) + " ms: is BPF draining it?"
                                           : std::string());
        std::memcpy(slot, &record, sizeof(T));
        user_ring_buffer__submit(rb_.get(), slot);
    }

private:
    struct Free {
        void operator()(user_ring_buffer* rb) const noexcept { user_ring_buffer__free(rb); }
    };
    detail::MapHandle map_; // declared first: the fd outlives libbpf's producer
    std::string name_;
    std::unique_ptr<user_ring_buffer, Free> rb_;
};

// A BPF_MAP_TYPE_PERCPU_ARRAY of T, e.g. the counters that SCXX_COUNTERS defines.
template <detail::MapValue T>
class PerCpuArray {
public:
    explicit PerCpuArray(const bpf_map* map)
        : map_((detail::check_map(map, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(std::uint32_t), sizeof(T)), map))
    {
        int n = libbpf_num_possible_cpus();
        if (n <= 0)
            throw Error("count possible CPUs", map_.name(), detail::positive_errno(n));
        ncpus_ = static_cast<unsigned>(n);
    }

    std::uint32_t size() const noexcept { return map_.max_entries(); }
    unsigned possible_cpus() const noexcept { return ncpus_; }

    // One value per possible CPU.
    std::vector<T> values(std::uint32_t index) const
    {
        // The kernel copies each CPU's value into an 8-byte aligned slot.
        constexpr std::size_t stride = (sizeof(T) + 7) / 8 * 8;
        std::vector<unsigned char> raw(stride * ncpus_);
        if (bpf_map_lookup_elem(map_.fd("read map"), &index, raw.data()) != 0)
            throw Error("read map", map_.name(), errno, "index " + std::to_string(index));
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
    detail::MapHandle map_;
    unsigned ncpus_ = 0;
};

} // namespace scxx
