// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
// Included before code bpftool generated (the skeleton header, the object's bytes) and
// skeleton_end.h after it: that code is C, with C casts, int sizes and string literals of any
// length, and is not the user's to fix, so the warnings C++ projects commonly turn on are off for
// it alone, whatever flags the user's build has. No include guard: it pairs with each use.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wzero-as-null-pointer-constant"
#pragma GCC diagnostic ignored "-Woverlength-strings"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wuseless-cast"
#endif
