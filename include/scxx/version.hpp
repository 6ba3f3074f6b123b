// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// scxx's version. The one place it is written: CMakeLists.txt reads it from here for the project,
// the CMake package and pkg-config.
#define SCXX_VERSION "0.1.0"
