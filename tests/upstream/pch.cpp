// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// The host of the upstream runners' precompiled header (project/CMakeLists.txt): it compiles
// nothing but the header, which every runner then reuses.
