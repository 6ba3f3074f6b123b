#!/bin/sh
# usage: compile_fail.sh CXX CASE.cpp FLAGS...
# CASE must compile as written, and fail with SCXX_MISUSE defined, the error matching its
# "// expect: REGEX" line: so the misuse is rejected for the stated reason, not for a typo.
cxx=$1 case=$2
shift 2
expect=$(sed -n 's|^// expect: ||p' "$case")
[ -n "$expect" ] || { echo "FAIL: $case has no '// expect:' line"; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if ! "$cxx" "$@" -fsyntax-only "$case" >"$out" 2>&1; then
  cat "$out"
  echo "FAIL: the correct use in $case does not compile"
  exit 1
fi
if "$cxx" "$@" -DSCXX_MISUSE -fsyntax-only "$case" >"$out" 2>&1; then
  echo "FAIL: the misuse in $case compiles"
  exit 1
fi
if ! grep -Eq "$expect" "$out"; then
  cat "$out"
  echo "FAIL: the compiler refused $case, but not with /$expect/"
  exit 1
fi
echo "PASS: $(grep -E "$expect" "$out" | head -n 1)"
