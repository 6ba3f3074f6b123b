#!/bin/sh
# Every public C++ header compiles on its own (it includes what it uses), warnings as errors.
# usage: headers.sh CXX INCLUDE_DIR BPF_INCLUDE_DIR (the second for the records both sides share)
cxx=$1 inc=$2 bpf_inc=$3
failed=0
for h in "$inc"/scxx/*.hpp; do
  if printf '#include <scxx/%s>\n' "$(basename "$h")" |
      "$cxx" -std=c++20 -Wall -Wextra -Wpedantic -Werror -I "$inc" -I "$bpf_inc" -x c++ -fsyntax-only - 2>/tmp/headers.$$; then
    echo "ok: scxx/$(basename "$h")"
  else
    cat /tmp/headers.$$
    echo "FAIL: scxx/$(basename "$h") does not compile on its own"
    failed=1
  fi
done
rm -f /tmp/headers.$$
exit $failed
