// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The kernel examples' C loader header <scx/user_exit_info.h> has no scxx counterpart: scxx loaders are C++.
#error "<scx/user_exit_info.h> (the kernel examples' C loader API: SCX_OPS_OPEN/LOAD/ATTACH, UEI_EXITED/UEI_REPORT, __COMPAT_ENUM_OR_ZERO) is not provided by scxx: load the skeleton with scxx::open<Skel>() -> .load() -> .attach() -> .run(), which returns the exit as scxx::ExitInfo (see docs/cpp-api.md); a header shared with the BPF side needs only <scx/bpf_arena_common.h> or <scxx/bpf_types.hpp>"
