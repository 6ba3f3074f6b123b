// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The kernel's fixed-width type names, which bpftool-generated skeletons use for BPF globals, and
// the SDK's BPF-side types a skeleton may name (UEI_DEFINE puts a struct scxx_exit_record in .data).
// Included before every skeleton (scxx_add_bpf_skeleton's NAME.skel.hpp does it for you).

#include <cstddef>
#include <cstdint>

#include <linux/types.h>
#include <scxx/runtime.h> // struct scxx_exit_record and the other records both sides share

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using s8 = std::int8_t;
using s16 = std::int16_t;
using s32 = std::int32_t;
using s64 = std::int64_t;

namespace scxx::detail {
inline constexpr std::size_t exit_dump_len = SCXX_EXIT_DUMP_LEN;
}
