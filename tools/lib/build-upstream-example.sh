#!/usr/bin/env bash
# Runs inside the build root: builds one of the kernel's example schedulers (tools/sched_ext/NAME)
# the kernel's way, with the kernel's own headers and its own C loader, as a reference for the
# benchmarks: clang with the flags of tools/sched_ext/Makefile, bpftool gen object and skeleton,
# gcc and the system's libbpf. vmlinux.h is scxx's (generated from the newest test kernel), as
# the kernel's Makefile would generate it from that kernel. Prints the loader's path. Nothing of
# it is committed.
# usage: build-upstream-example.sh NAME VERSION OUT_DIR VMLINUX_DIR UPSTREAM_CACHE
set -euo pipefail
name=$1 version=$2 out=$3 vmlinux_dir=$(cd "$4" && pwd) cache=$5
here=$(cd "$(dirname "$0")" && pwd)
src=$("$here/linux-source.sh" "$version" "$cache")/tools/sched_ext
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$src"
clang-19 -g -O2 -mcpu=v3 -target bpf -D__TARGET_ARCH_x86 -mlittle-endian -fms-extensions \
  -Wall -Wno-compare-distinct-pointer-types -Wno-microsoft-anon-tag \
  -I include -I include/bpf-compat -I "$vmlinux_dir" -idirafter /usr/include \
  -c "$name.bpf.c" -o "$out/$name.bpf.o"
bpftool gen object "$out/$name.linked.o" "$out/$name.bpf.o"
bpftool gen skeleton "$out/$name.linked.o" name "$name" >"$out/$name.bpf.skel.h"
gcc -O2 -pthread -I include -I "$out" -I . "$name.c" -lbpf -lelf -lz -o "$out/$name"
echo "$out/$name"
