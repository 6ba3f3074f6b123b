// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The userspace half of the kernel example headers' arena names, for a header shared by a BPF
// source and its loader (the BPF half is bpf_include/scx/bpf_arena_common.bpf.h): in userspace an
// arena pointer is a plain pointer into the arena's mapping, so the qualifiers and casts vanish.

#include <sys/user.h>  // PAGE_SIZE

#include <scxx/bpf_types.hpp>

#define __arena
#define __arena_global
#define __arg_arena
#define cast_kern(ptr)
#define cast_user(ptr)
