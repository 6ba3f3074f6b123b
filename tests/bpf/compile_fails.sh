#!/bin/sh
# A source that must not compile, with the diagnostic it must give.
# usage: compile_fails.sh EXPECTED_MESSAGE SOURCE CLANG FLAGS...
expected=$1 src=$2
shift 2
if out=$("$@" -c "$src" -o /dev/null 2>&1); then
  echo "FAIL: $src compiled"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -qF -- "$expected"; then
  echo "FAIL: $src failed to compile, but without '$expected':"
  printf '%s\n' "$out" | head -n 20
  exit 1
fi
echo "ok: $src is refused with: $expected"
