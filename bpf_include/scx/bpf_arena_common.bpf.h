/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The arena and loop names of the kernel's example headers: see <scxx/arena.bpf.h>. */
#ifndef SCXX_SCX_BPF_ARENA_COMMON_BPF_H
#define SCXX_SCX_BPF_ARENA_COMMON_BPF_H

#include <scxx/arena.bpf.h>

#endif /* SCXX_SCX_BPF_ARENA_COMMON_BPF_H */
