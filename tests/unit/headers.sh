#!/bin/sh
# Every public C++ header compiles on its own (it includes what it uses), and a consumer (a
# scheduler's main.cpp with its generated skeleton, and the skeleton's data) compiles cleanly,
# with each compiler and the warnings C++ projects commonly turn on, as errors. Whether a header
# includes what it uses depends on the standard library's own includes, not on the compiler:
# the g++ compilers (libstdc++ 12 and 14; clang++ uses the newest installed libstdc++) compile
# each header alone, the clang++ ones all headers in one translation unit, for their warnings.
# usage: headers.sh INCLUDE_DIR BPF_INCLUDE_DIR "CXX..." [SOURCE@INCLUDE_DIR@... ...]
# (BPF_INCLUDE_DIR for the records both sides share.)
inc=$1 bpf_inc=$2 compilers=$3
shift 3
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
warnings="-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wold-style-cast -Wcast-qual -Wshadow
  -Wzero-as-null-pointer-constant -Werror"
for cxx in $compilers; do
  if ! command -v "$cxx" >/dev/null; then
    echo "FAIL: $cxx is not installed (tools/bootstrap installs it in the build root)"
    failed=1
    continue
  fi
  extra=
  case $cxx in g++*) extra=-Wuseless-cast ;; esac
  case $cxx in
    g++*)
      for h in "$inc"/scxx/*.hpp; do
        # shellcheck disable=SC2086
        if printf '#include <scxx/%s>\n' "$(basename "$h")" |
            "$cxx" -std=c++20 $warnings $extra -I "$inc" -I "$bpf_inc" -x c++ -fsyntax-only - 2>"$log"; then
          echo "ok: $cxx: scxx/$(basename "$h")"
        else
          head -n 30 "$log"
          echo "FAIL: $cxx: scxx/$(basename "$h") does not compile on its own"
          failed=1
        fi
      done
      ;;
    *)
      # shellcheck disable=SC2086
      if for h in "$inc"/scxx/*.hpp; do printf '#include <scxx/%s>\n' "$(basename "$h")"; done |
          "$cxx" -std=c++20 $warnings $extra -I "$inc" -I "$bpf_inc" -x c++ -fsyntax-only - 2>"$log"; then
        echo "ok: $cxx: every scxx/*.hpp"
      else
        head -n 30 "$log"
        echo "FAIL: $cxx: the scxx headers do not compile cleanly together"
        failed=1
      fi
      ;;
  esac
  for consumer in "$@"; do
    src=${consumer%%@*}
    dirs=$(printf '%s' "${consumer#*@}" | tr '@' ' ')
    flags=
    for d in $dirs; do flags="$flags -I $d"; done
    # shellcheck disable=SC2086
    if "$cxx" -std=c++20 $warnings $extra -I "$inc" -I "$bpf_inc" $flags -fsyntax-only "$src" 2>"$log"; then
      echo "ok: $cxx: $src"
    else
      head -n 30 "$log"
      echo "FAIL: $cxx: $src does not compile cleanly"
      failed=1
    fi
  done
done
exit $failed
