#!/bin/sh
# The builds of one object for different ABI levels must agree on maps, programs and globals: a
# source whose globals depend on SCXX_ABI is refused when its skeleton is made, saying why, and
# no skeleton is written.
# usage: abi_mismatch.sh SPLIT_SCRIPT SOURCE CMAKE BPFTOOL CLANG FLAGS...
split=$1 src=$2 cmake=$3 bpftool=$4
shift 4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
builds=
for level in 703 0; do
  "$@" "-DSCXX_ABI=$level" -c "$src" -o "$dir/$level.o" || { echo "FAIL: $src does not compile at level $level"; exit 1; }
  "$bpftool" gen skeleton "$dir/$level.o" name mismatch_bpf >"$dir/$level.skel.h" || { echo "FAIL: bpftool"; exit 1; }
  builds="$builds${builds:+;}$level=$dir/$level.skel.h"
done
if out=$("$cmake" "-DBUILDS=$builds" -DNAME=mismatch_bpf "-DHEADER=$dir/skel.h" "-DSOURCE=$dir/skel-data.cpp" \
  -DSKEL_HPP=mismatch.skel.hpp -P "$split" 2>&1); then
  echo "FAIL: builds with different globals were accepted"
  exit 1
fi
expected="the build for ABI level 0 has other maps, programs or globals than the build for level 703"
if ! printf '%s\n' "$out" | tr '\n' ' ' | tr -s ' ' | grep -qF "$expected"; then
  echo "FAIL: refused, but without '$expected':"
  printf '%s\n' "$out"
  exit 1
fi
if [ -e "$dir/skel.h" ] || [ -e "$dir/skel-data.cpp" ]; then
  echo "FAIL: a skeleton was written"
  exit 1
fi
echo "ok: refused with: $expected"
