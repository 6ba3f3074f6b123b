#!/bin/bash
# Compiles every sched_ext source of the kernel's 6.12 and 7.3 trees (tools/sched_ext and its
# selftests) unchanged with scxx's CMake functions (project/), after fetching Debian's
# linux-source packages into the cache. Passes when every source compiles except those
# exceptions.txt lists for "build", each with its reason; a listed source that now compiles fails
# too, so the list cannot go stale. Runs inside the build root (ctest runs there).
# usage: build.sh SCXX_SOURCE_DIR SCXX_BUILD_DIR OUT_DIR
set -euo pipefail
src=$1 scxx_build=$2 out=$3
here=$src/tests/upstream
cache=${SCXX_CACHE:-$HOME/.cache/scxx}/upstream
trees=()
for version in 7.3 6.12; do
  trees+=("$version=$("$src/tools/lib/linux-source.sh" "$version" "$cache")")
done
mkdir -p "$out"
cmake -S "$here/project" -B "$out" -G Ninja -Dscxx_DIR="$scxx_build" -DCMAKE_UNITY_BUILD=ON \
  "-DUPSTREAM_TREES=$(IFS=';'; echo "${trees[*]}")" >"$out/configure.log" 2>&1 || { cat "$out/configure.log"; exit 1; }
cmake --build "$out" -- -k 0 >"$out/build.log" 2>&1 || true

total=0 built=0 failures=0
while read -r name path; do
  total=$((total + 1))
  reason=$(awk -v n="$name" '$1 == n && $2 == "build" { $1 = $2 = ""; sub(/^ +/, ""); print }' "$here/exceptions.txt")
  if [[ -x $out/$name ]]; then
    built=$((built + 1))
    if [[ -n $reason ]]; then
      echo "FAIL: $name compiles now: drop it from exceptions.txt ($reason)"
      failures=$((failures + 1))
    fi
  elif [[ -n $reason ]]; then
    echo "not built (listed): $name: $reason"
  else
    echo "FAIL: $name (${path#"$cache/"}) does not compile unchanged:"
    { grep -E -- "($(basename "$path")|$name[._]).*error:" "$out/build.log" || true; } | sort -u | head -n 6 | sed 's/^/  /'
    failures=$((failures + 1))
  fi
done <"$out/manifest.txt"
echo "upstream: $built of $total sources compile unchanged; $failures unexpected"
[[ $total -gt 0 && $failures == 0 ]]
