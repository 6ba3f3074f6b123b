# scxx's CMake functions for BPF schedulers:
#   scxx_add_bpf_skeleton(<target> SOURCES a.bpf.c [b.bpf.c ...] [NAME name] [INCLUDES dir...]
#                         [DEFINES X=1 ...] [VMLINUX_H file] [SKELETON_INCLUDES header...])
#     Compiles the BPF sources, links them into one object, strips debug info and generates the
#     skeleton <name>.skel.h (struct <name>_bpf) plus <name>.skel.hpp for C++. <target> is an
#     INTERFACE library: link it to get the skeleton's include directory and scxx::scxx.
#     The object is built once per kernel ABI level in SCXX_ABI_LEVELS (bpf_include/scxx/abi.h),
#     as <name>.abi<level>.bpf.o; the skeleton embeds every build and scxx::open() picks the one
#     for the running kernel. The builds must agree on maps, programs and globals.
#     SKELETON_INCLUDES: headers the skeleton needs first, for the types of globals the BPF
#     source declares with its own structs (e.g. a header shared by the BPF and C++ sides).
#   scxx_add_scheduler(<name> BPF a.bpf.c ... [SOURCES main.cpp ...] [INCLUDES ...] [DEFINES ...]
#                      [VMLINUX_H file])
#     The above plus an executable <name> built from SOURCES.
#
# Settings (cache variables, or environment variables of the same name at first configure):
#   SCXX_CLANG        clang that targets BPF          SCXX_BPFTOOL   bpftool
#   SCXX_LLVM_STRIP   llvm-strip                      SCXX_BPF_CFLAGS extra flags for BPF sources
#   SCXX_VMLINUX_H    a vmlinux.h to use instead of scxx's (generated from the newest test kernel)
#   SCXX_ABI_LEVELS   the kernel ABI levels each BPF object is built for (default 703;616;0: 7.3,
#                     6.16, any kernel); 0 alone builds once, with a load-time test per portable call
include_guard(GLOBAL)

if(NOT DEFINED SCXX_BPF_INCLUDE_DIR)
  get_filename_component(SCXX_BPF_INCLUDE_DIR "${CMAKE_CURRENT_LIST_DIR}/../bpf_include" ABSOLUTE)
endif()
# What the functions below need, kept global so that they work from any directory (also when scxx
# is added with add_subdirectory, whose variables the parent does not see).
set(_SCXX_BPF_INCLUDE_DIR "${SCXX_BPF_INCLUDE_DIR}" CACHE INTERNAL "")
set(_SCXX_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "")
include("${CMAKE_CURRENT_LIST_DIR}/ScxxDeb.cmake")
set(SCXX_MIN_CLANG 17)
set(SCXX_MIN_BPFTOOL 7.4)

function(_scxx_setting var doc)
  if(NOT DEFINED ${var} AND DEFINED ENV{${var}})
    set(${var} "$ENV{${var}}" CACHE STRING "${doc}")
  endif()
endfunction()

_scxx_setting(SCXX_CLANG "clang used to compile BPF sources")
_scxx_setting(SCXX_BPFTOOL "bpftool used to link objects and generate skeletons")
_scxx_setting(SCXX_LLVM_STRIP "llvm-strip used to drop debug info from BPF objects")
_scxx_setting(SCXX_BPF_CFLAGS "extra flags for BPF sources")
_scxx_setting(SCXX_VMLINUX_H "vmlinux.h to compile BPF sources against")
_scxx_setting(SCXX_ABI_LEVELS "kernel ABI levels BPF objects are built for (bpf_include/scxx/abi.h)")
if(NOT DEFINED SCXX_ABI_LEVELS)
  set(SCXX_ABI_LEVELS "703;616;0" CACHE STRING "kernel ABI levels BPF objects are built for (bpf_include/scxx/abi.h)")
endif()
foreach(level IN LISTS SCXX_ABI_LEVELS)
  if(NOT level MATCHES "^(0|[1-9][0-9][0-9]+)$")
    message(FATAL_ERROR "scxx: SCXX_ABI_LEVELS='${SCXX_ABI_LEVELS}': '${level}' is not a level; levels are 0 (any "
                        "kernel) or a kernel release as major*100+minor, e.g. 703;616;0 (see bpf_include/scxx/abi.h)")
  endif()
endforeach()
if(SCXX_ABI_LEVELS STREQUAL "")
  message(FATAL_ERROR "scxx: SCXX_ABI_LEVELS is empty; 0 builds each BPF object once, for any kernel")
endif()

# Finds the BPF tools and checks their versions. PROBLEM_VAR is set to what is wrong (empty if
# nothing): find_package(scxx) reports it as the reason scxx was not found (so QUIET lookups go on
# without scxx), scxx's own build stops with it.
function(_scxx_check_version var what pattern min problem_var)
  execute_process(COMMAND "${${var}}" --version OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "${pattern}")
    set(${problem_var} "scxx: ${var} (${${var}}) does not say which ${what} version it is; ${what} ${min} or newer is needed" PARENT_SCOPE)
  elseif(CMAKE_MATCH_1 VERSION_LESS min)
    set(${problem_var} "scxx: ${what} ${CMAKE_MATCH_1} (${${var}}) is too old: scxx needs ${what} ${min} or newer. Install a newer one (Debian: clang-19 bpftool) or point ${var} at it." PARENT_SCOPE)
  endif()
endfunction()

function(_scxx_find_bpf_tools problem_var)
  set(problem "")
  find_program(SCXX_CLANG NAMES clang-19 clang-20 clang-21 clang-22 clang-18 clang-17 clang DOC "clang used to compile BPF sources")
  find_program(SCXX_BPFTOOL NAMES bpftool PATHS /usr/sbin /usr/local/sbin DOC "bpftool")
  find_program(SCXX_LLVM_STRIP NAMES llvm-strip-19 llvm-strip-20 llvm-strip-21 llvm-strip-22 llvm-strip-18 llvm-strip-17
               llvm-strip DOC "llvm-strip")
  foreach(tool SCXX_CLANG SCXX_BPFTOOL SCXX_LLVM_STRIP)
    if(NOT problem AND (NOT ${tool} OR (IS_ABSOLUTE "${${tool}}" AND NOT EXISTS "${${tool}}")))
      set(problem "scxx: ${tool} not found (${${tool}}). Install clang, llvm and bpftool (Debian: clang-19 llvm-19 bpftool), or point ${tool} at it (-D${tool}=/path or the environment variable ${tool}).")
    endif()
  endforeach()
  # Minimum versions: clang for the BPF features sched_ext programs use, bpftool for linking
  # objects and struct_ops skeletons.
  if(NOT problem)
    _scxx_check_version(SCXX_CLANG clang "clang version ([0-9]+\\.[0-9]+(\\.[0-9]+)?)" ${SCXX_MIN_CLANG} problem)
  endif()
  if(NOT problem)
    _scxx_check_version(SCXX_BPFTOOL bpftool "v([0-9]+\\.[0-9]+(\\.[0-9]+)?)" ${SCXX_MIN_BPFTOOL} problem)
  endif()
  set(${problem_var} "${problem}" PARENT_SCOPE)
endfunction()

_scxx_find_bpf_tools(SCXX_BPF_TOOLS_PROBLEM)
if(SCXX_BPF_TOOLS_PROBLEM)
  if(_SCXX_FROM_PACKAGE_CONFIG) # scxxConfig.cmake reports it through scxx_NOT_FOUND_MESSAGE
    return()
  endif()
  message(FATAL_ERROR "${SCXX_BPF_TOOLS_PROBLEM}")
endif()

find_package(PkgConfig REQUIRED)
pkg_get_variable(_scxx_libbpf_includedir libbpf includedir)
set(_SCXX_LIBBPF_INCLUDEDIR "${_scxx_libbpf_includedir}" CACHE INTERNAL "")

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|i.86)$")
  set(_scxx_bpf_arch x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(_scxx_bpf_arch arm64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^riscv")
  set(_scxx_bpf_arch riscv)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(ppc64|powerpc64)")
  set(_scxx_bpf_arch powerpc)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^s390")
  set(_scxx_bpf_arch s390)
else()
  message(FATAL_ERROR "scxx: no BPF target architecture known for ${CMAKE_SYSTEM_PROCESSOR}")
endif()
if(CMAKE_C_BYTE_ORDER STREQUAL "BIG_ENDIAN" OR CMAKE_CXX_BYTE_ORDER STREQUAL "BIG_ENDIAN")
  set(_scxx_bpf_endian -mbig-endian)
else()
  set(_scxx_bpf_endian -mlittle-endian)
endif()
set(_SCXX_BPF_TARGET_FLAGS "-D__TARGET_ARCH_${_scxx_bpf_arch};${_scxx_bpf_endian}" CACHE INTERNAL "")

message(STATUS "scxx: BPF clang: ${SCXX_CLANG}; bpftool: ${SCXX_BPFTOOL}; llvm-strip: ${SCXX_LLVM_STRIP}")
if(SCXX_VMLINUX_H)
  message(STATUS "scxx: vmlinux.h: ${SCXX_VMLINUX_H}")
endif()
if(SCXX_BPF_CFLAGS)
  message(STATUS "scxx: extra BPF flags: ${SCXX_BPF_CFLAGS}")
endif()

# The directory holding the vmlinux.h BPF sources compile against, and the file itself.
function(_scxx_vmlinux target file_arg dir_var file_var)
  set(file "${file_arg}")
  if(NOT file)
    set(file "${SCXX_VMLINUX_H}")
  endif()
  if(NOT file)
    set(file "${_SCXX_BPF_INCLUDE_DIR}/scxx/vmlinux/vmlinux.h")
  endif()
  get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(name "${file}" NAME)
  if(NOT name STREQUAL "vmlinux.h" OR NOT EXISTS "${file}")
    message(FATAL_ERROR "${target}: the vmlinux.h to compile against must be an existing file named vmlinux.h, not '${file}'")
  endif()
  get_filename_component(dir "${file}" DIRECTORY)
  set(${dir_var} "${dir}" PARENT_SCOPE)
  set(${file_var} "${file}" PARENT_SCOPE)
endfunction()

# The flags every BPF source is compiled with, before its include directories (also scxx.pc's
# bpf_cflags).
function(_scxx_bpf_base_flags out_var)
  set(${out_var} -g -O2 -target bpf -mcpu=v3 ${_SCXX_BPF_TARGET_FLAGS}
                 -Wall -Wno-compare-distinct-pointer-types
                 # BPF_PROG callbacks take (u64 *ctx) whatever the ops member's type: a struct_ops
                 # initializer without a (void *) cast is fine by construction (the kernel's too).
                 -Wno-incompatible-function-pointer-types
                 # Newer kernels' BTF has anonymous tagged members that only this keeps in the layout.
                 -fms-extensions -Wno-microsoft-anon-tag
     PARENT_SCOPE)
endfunction()

# The flags BPF sources are compiled with (exposed for tools that compile BPF code themselves).
function(scxx_bpf_compile_flags out_var vmlinux_dir)
  _scxx_bpf_base_flags(flags)
  list(APPEND flags "-I${vmlinux_dir}" "-I${_SCXX_BPF_INCLUDE_DIR}")
  if(SCXX_WERROR)
    list(APPEND flags -Werror)
  endif()
  if(_SCXX_LIBBPF_INCLUDEDIR)
    list(APPEND flags -idirafter "${_SCXX_LIBBPF_INCLUDEDIR}")
  endif()
  separate_arguments(extra UNIX_COMMAND "${SCXX_BPF_CFLAGS}")
  list(APPEND flags ${extra})
  set(${out_var} "${flags}" PARENT_SCOPE)
endfunction()

function(scxx_add_bpf_skeleton target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "NAME;VMLINUX_H" "SOURCES;INCLUDES;DEFINES;SKELETON_INCLUDES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "scxx_add_bpf_skeleton(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "scxx_add_bpf_skeleton(${target}): SOURCES names no BPF source")
  endif()
  if(NOT arg_NAME)
    set(arg_NAME "${target}")
  endif()
  if(NOT arg_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "scxx_add_bpf_skeleton(${target}): NAME '${arg_NAME}' is not a C identifier")
  endif()

  _scxx_vmlinux(${target} "${arg_VMLINUX_H}" vmlinux_dir vmlinux_dep)

  set(outdir "${CMAKE_CURRENT_BINARY_DIR}/${target}.bpf")
  scxx_bpf_compile_flags(flags "${vmlinux_dir}")
  foreach(inc IN LISTS arg_INCLUDES)
    get_filename_component(inc "${inc}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND flags "-I${inc}")
  endforeach()
  foreach(def IN LISTS arg_DEFINES)
    list(APPEND flags "-D${def}")
  endforeach()

  # One build per ABI level, highest first (scxx::open() takes the first the kernel can run).
  set(levels ${SCXX_ABI_LEVELS})
  list(REMOVE_DUPLICATES levels)
  list(SORT levels COMPARE NATURAL ORDER DESCENDING)
  set(skel "${CMAKE_CURRENT_BINARY_DIR}/${arg_NAME}.skel.h")
  set(skel_data "${CMAKE_CURRENT_BINARY_DIR}/${arg_NAME}.skel-data.cpp")
  set(builds)
  set(build_outputs)
  foreach(level IN LISTS levels)
    set(objects)
    foreach(src IN LISTS arg_SOURCES)
      get_filename_component(src "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      get_filename_component(stem "${src}" NAME_WE)
      set(obj "${outdir}/abi${level}/${stem}.o")
      add_custom_command(
        OUTPUT "${obj}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${outdir}/abi${level}"
        COMMAND "${SCXX_CLANG}" ${flags} -DSCXX_ABI=${level} -MD -MF "${obj}.d" -c "${src}" -o "${obj}"
        DEPENDS "${src}" "${vmlinux_dep}"
        DEPFILE "${obj}.d"
        COMMENT "Compiling BPF ${stem}.bpf.c (ABI level ${level})"
        COMMAND_EXPAND_LISTS VERBATIM)
      list(APPEND objects "${obj}")
    endforeach()
    set(linked "${outdir}/abi${level}/${arg_NAME}.linked.o")
    set(stripped "${CMAKE_CURRENT_BINARY_DIR}/${arg_NAME}.abi${level}.bpf.o")
    set(full "${outdir}/abi${level}/${arg_NAME}.skel.full.h")
    # The skeleton is split (ScxxSplitSkeleton.cmake): a change of the BPF code alone rewrites only
    # the objects' bytes in ${arg_NAME}.skel-data.cpp, not the header C++ sources include.
    add_custom_command(
      OUTPUT "${stripped}" "${full}"
      COMMAND "${SCXX_BPFTOOL}" gen object "${linked}" ${objects}
      COMMAND "${SCXX_LLVM_STRIP}" -g "${linked}" -o "${stripped}"
      COMMAND sh -c "\"$1\" gen skeleton \"$2\" name \"$3\" > \"$4\""
              sh "${SCXX_BPFTOOL}" "${stripped}" "${arg_NAME}_bpf" "${full}"
      DEPENDS ${objects}
      COMMENT "Linking BPF object ${arg_NAME}.abi${level}.bpf.o"
      VERBATIM)
    list(APPEND builds "${level}=${full}")
    list(APPEND build_outputs "${full}")
  endforeach()
  add_custom_command(
    OUTPUT "${skel}" "${skel_data}"
    COMMAND "${CMAKE_COMMAND}" "-DBUILDS=${builds}" "-DNAME=${arg_NAME}_bpf" "-DHEADER=${skel}"
            "-DSOURCE=${skel_data}" "-DSKEL_HPP=${arg_NAME}.skel.hpp" -P "${_SCXX_CMAKE_DIR}/ScxxSplitSkeleton.cmake"
    DEPENDS ${build_outputs} "${_SCXX_CMAKE_DIR}/ScxxSplitSkeleton.cmake"
    COMMENT "Generating BPF skeleton ${arg_NAME}.skel.h"
    VERBATIM)
  set(skel_includes "")
  foreach(header IN LISTS arg_SKELETON_INCLUDES)
    get_filename_component(header "${header}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    string(APPEND skel_includes "#include \"${header}\"\n")
  endforeach()
  # bpftool's skeleton is C (C casts, int sizes): its own warnings are kept out of the user's build,
  # whatever the user's warning flags (scxx/skeleton_begin.h and skeleton_end.h).
  file(CONFIGURE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${arg_NAME}.skel.hpp" CONTENT
    "// Generated by scxx_add_bpf_skeleton: the skeleton of ${arg_NAME}, ready for C++.\n#pragma once\n#include <scxx/abi.hpp>\n#include <scxx/bpf_types.hpp>\n${skel_includes}#include <scxx/skeleton_begin.h>\n#include \"${arg_NAME}.skel.h\"\n#include <scxx/skeleton_end.h>\n\n#include <span>\n\n// The object's builds, one per kernel ABI level (${arg_NAME}.skel-data.cpp), for scxx::open().\nstd::span<const scxx::detail::AbiBuild> scxx_abi_builds(const ${arg_NAME}_bpf*);\n")

  # For clangd and other tools that read compile_commands.json: an object library that is never
  # built, whose entries carry the BPF flags. It needs C enabled (project(... LANGUAGES C CXX)).
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("C" IN_LIST languages)
    set(ide_sources)
    foreach(src IN LISTS arg_SOURCES)
      get_filename_component(src "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      list(APPEND ide_sources "${src}")
    endforeach()
    add_library(${target}_clangd OBJECT EXCLUDE_FROM_ALL ${ide_sources})
    set_source_files_properties(${ide_sources} TARGET_DIRECTORY ${target}_clangd PROPERTIES LANGUAGE C)
    target_compile_options(${target}_clangd PRIVATE ${flags})
  endif()

  add_custom_target(${target}_generate DEPENDS "${skel}")
  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_generate)
  target_sources(${target} INTERFACE "${skel_data}")
  target_include_directories(${target} INTERFACE "${CMAKE_CURRENT_BINARY_DIR}")
  target_link_libraries(${target} INTERFACE scxx::scxx)
endfunction()

function(scxx_add_scheduler name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "VMLINUX_H" "BPF;SOURCES;INCLUDES;DEFINES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "scxx_add_scheduler(${name}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_BPF)
    message(FATAL_ERROR "scxx_add_scheduler(${name}): BPF names no BPF source")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "scxx_add_scheduler(${name}): SOURCES names no C++ source for the loader")
  endif()
  set(skel_args NAME ${name} SOURCES ${arg_BPF} INCLUDES ${arg_INCLUDES} DEFINES ${arg_DEFINES})
  if(arg_VMLINUX_H)
    list(APPEND skel_args VMLINUX_H ${arg_VMLINUX_H})
  endif()
  scxx_add_bpf_skeleton(${name}_skel ${skel_args})
  add_executable(${name} ${arg_SOURCES})
  target_include_directories(${name} PRIVATE ${arg_INCLUDES})
  target_link_libraries(${name} PRIVATE ${name}_skel)
endfunction()

# A scheduler whose policy is C++ in userspace (include/scxx/userspace.hpp): the SDK's own BPF side
# (scxx/userspace.bpf.c) compiled under NAME, and the loader from SOURCES, which includes
# NAME.skel.hpp and runs its policy with scxx::userspace::run<NAME_bpf>().
function(scxx_add_userspace_scheduler name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "VMLINUX_H" "SOURCES;INCLUDES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "scxx_add_userspace_scheduler(${name}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  set(args BPF "${_SCXX_BPF_INCLUDE_DIR}/scxx/userspace.bpf.c" SOURCES ${arg_SOURCES} INCLUDES ${arg_INCLUDES}
      DEFINES SCXX_US_NAME=${name})
  if(arg_VMLINUX_H)
    list(APPEND args VMLINUX_H ${arg_VMLINUX_H})
  endif()
  scxx_add_scheduler(${name} ${args})
endfunction()

# Installs scheduler NAME as a service: the executable, a hardened systemd unit NAME.service whose
# ExecStart is the installed executable (written at install time, so `cmake --install --prefix P`
# gets P's path) and which reads its flags from SCHEDULER_FLAGS in <sysconfdir>/default/NAME
# (/etc/default/NAME for the prefix /usr; an existing file is kept). The unit goes to
# SCXX_SYSTEMD_UNIT_DIR: by default systemd's own unit directory (pkg-config systemd) for the prefix
# /usr, lib/systemd/system below any other prefix.
function(scxx_install_scheduler name)
  if(NOT TARGET ${name})
    message(FATAL_ERROR "scxx_install_scheduler(${name}): no target ${name} (scxx_add_scheduler makes it)")
  endif()
  include(GNUInstallDirs)
  set(unit_dir "${SCXX_SYSTEMD_UNIT_DIR}")
  if(NOT unit_dir)
    set(unit_dir "lib/systemd/system")
    if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
      find_package(PkgConfig QUIET)
      if(PKG_CONFIG_FOUND)
        pkg_get_variable(systemd_unit_dir systemd systemdsystemunitdir)
        if(systemd_unit_dir)
          set(unit_dir "${systemd_unit_dir}")
        endif()
      endif()
    endif()
  endif()
  install(TARGETS ${name})
  # At install time, from the prefix given then: where the executable and the flags file are.
  install(CODE "
    set(SCXX_UNIT_NAME \"${name}\")
    set(bindir \"${CMAKE_INSTALL_BINDIR}\")
    if(NOT IS_ABSOLUTE \"\${bindir}\")
      set(bindir \"\${CMAKE_INSTALL_PREFIX}/\${bindir}\")
    endif()
    set(SCXX_UNIT_BINDIR \"\${bindir}\")
    set(etc \"${CMAKE_INSTALL_SYSCONFDIR}\")
    if(NOT IS_ABSOLUTE \"\${etc}\")
      if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
        set(etc \"/\${etc}\")
      else()
        set(etc \"\${CMAKE_INSTALL_PREFIX}/\${etc}\")
      endif()
    endif()
    set(SCXX_UNIT_DEFAULTS \"\${etc}/default/${name}\")
    configure_file(\"${_SCXX_CMAKE_DIR}/scxx-scheduler.service.in\" \"${CMAKE_CURRENT_BINARY_DIR}/${name}.service\" @ONLY)
    configure_file(\"${_SCXX_CMAKE_DIR}/scxx-scheduler.default.in\" \"${CMAKE_CURRENT_BINARY_DIR}/${name}.default\" @ONLY)
    if(EXISTS \"\$ENV{DESTDIR}\${SCXX_UNIT_DEFAULTS}\")
      message(STATUS \"Keeping: \$ENV{DESTDIR}\${SCXX_UNIT_DEFAULTS}\")
    else()
      file(INSTALL \"${CMAKE_CURRENT_BINARY_DIR}/${name}.default\" DESTINATION \"\${etc}/default\"
           RENAME \"${name}\" FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    endif()
  ")
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/${name}.service" DESTINATION "${unit_dir}")
endfunction()

# scxx_package_scheduler(NAME [VERSION V] [CONTACT "Name <mail>"] [SUMMARY TEXT]): cpack (or
# cmake --workflow --preset deb in a scaffold) makes a Debian package of what
# scxx_install_scheduler(NAME) installs, for /usr: the executable, the unit in systemd's unit
# directory and /etc/default/NAME as a conffile (dpkg -r keeps it, dpkg -P removes it). Depends on
# the shared libraries it links (dpkg-shlibdeps where dpkg-dev is installed, else libbpf1, libstdc++6
# and libc6 at no less than the versions built against). The unit is not enabled on install.
# VERSION defaults to the project's (0.1.0 if it has none). Call once, after scxx_install_scheduler.
function(scxx_package_scheduler name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "VERSION;CONTACT;SUMMARY" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "scxx_package_scheduler(${name}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${name})
    message(FATAL_ERROR "scxx_package_scheduler(${name}): no target ${name} (scxx_add_scheduler makes it)")
  endif()
  _scxx_deb_common(/usr)
  set(CPACK_PACKAGE_NAME "${name}")
  set(CPACK_PACKAGE_VERSION "${arg_VERSION}")
  if(NOT CPACK_PACKAGE_VERSION)
    set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
  endif()
  if(NOT CPACK_PACKAGE_VERSION)
    set(CPACK_PACKAGE_VERSION 0.1.0)
  endif()
  set(CPACK_PACKAGE_CONTACT "${arg_CONTACT}")
  if(NOT CPACK_PACKAGE_CONTACT)
    set(CPACK_PACKAGE_CONTACT "${name} maintainer <root@localhost>")
  endif()
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${arg_SUMMARY}")
  if(NOT CPACK_PACKAGE_DESCRIPTION_SUMMARY)
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${name} sched_ext scheduler")
  endif()
  set(CPACK_DEBIAN_PACKAGE_SECTION admin)
  find_program(_scxx_dpkg_shlibdeps dpkg-shlibdeps)
  if(_scxx_dpkg_shlibdeps)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  else()
    _scxx_deb_depends_installed(CPACK_DEBIAN_PACKAGE_DEPENDS libbpf1 libstdc++6 libc6)
  endif()
  # /etc/default/NAME is the administrator's: a conffile, kept across upgrades and dpkg -r.
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/scxx-deb/conffiles" "/etc/default/${name}\n")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_BINARY_DIR}/scxx-deb/conffiles")
  set(CPACK_OUTPUT_FILE_PREFIX "${CMAKE_BINARY_DIR}")
  include(CPack)
endfunction()
