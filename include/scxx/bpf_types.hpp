// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The kernel's fixed-width type names, which bpftool-generated skeletons use for BPF globals, and
// the SDK's BPF-side types a skeleton may name (UEI_DEFINE puts a struct scxx_exit_record in .data).
// Included before every skeleton (scxx_add_bpf_skeleton's NAME.skel.hpp does it for you).

#include <cstddef>
#include <cstdint>

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using s8 = std::int8_t;
using s16 = std::int16_t;
using s32 = std::int32_t;
using s64 = std::int64_t;

// Layout shared with bpf_include/scxx/runtime.bpf.h.
struct scxx_exit_record {
    s32 kind;  // enum scx_exit_kind; written last, so non-zero means the record is whole
    u32 reserved;
    s64 exit_code;
    char reason[128];
    char msg[1024];
};

namespace scxx::detail {
inline constexpr std::size_t exit_dump_len = 32768;  // SCXX_EXIT_DUMP_LEN
}
