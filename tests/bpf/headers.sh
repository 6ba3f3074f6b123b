#!/bin/sh
# Every BPF-side header compiles on its own for the BPF target, warnings as errors.
# usage: headers.sh BPF_INCLUDE_DIR CLANG FLAGS...
dir=$1
shift
failures=0
for h in $(cd "$dir" && ls scxx/*.bpf.h scx/*.bpf.h); do
  if out=$(printf '#include <%s>\n' "$h" | "$@" -Werror -fsyntax-only -x c - 2>&1); then
    echo "ok: $h"
  else
    echo "FAIL: $h does not compile on its own:"
    echo "$out" | head -n 20
    failures=$((failures + 1))
  fi
done
echo "headers: $failures failure(s)"
[ $failures = 0 ]
