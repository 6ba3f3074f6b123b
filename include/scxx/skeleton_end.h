// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// Ends what skeleton_begin.h began. No include guard: it pairs with each use.
#pragma GCC diagnostic pop
