// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// scxx's version, for preprocessor tests (#if SCXX_VERSION_NUMBER >= 100) and for printing
// (SCXX_VERSION, "0.1.0"). The one place it is written: CMakeLists.txt reads the three numbers
// from here for the project, the CMake package and pkg-config.
#define SCXX_VERSION_MAJOR 0
#define SCXX_VERSION_MINOR 1
#define SCXX_VERSION_PATCH 0

#define SCXX_VERSION_NUMBER (SCXX_VERSION_MAJOR * 10000 + SCXX_VERSION_MINOR * 100 + SCXX_VERSION_PATCH)
#define SCXX_VERSION_STRINGIFY_(x) #x
#define SCXX_VERSION_STRINGIFY(x) SCXX_VERSION_STRINGIFY_(x)
#define SCXX_VERSION                                                                        \
    SCXX_VERSION_STRINGIFY(SCXX_VERSION_MAJOR) "." SCXX_VERSION_STRINGIFY(SCXX_VERSION_MINOR) \
        "." SCXX_VERSION_STRINGIFY(SCXX_VERSION_PATCH)
