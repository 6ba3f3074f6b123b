#!/bin/bash
# docs/getting-started.md as a new user follows it: every command its sections 1-4 show (the
# "# " lines of its console blocks) runs in order in one shell, with /opt/scxx a temporary prefix
# and the clone a copy of this source tree (without .git and build directories). scxx-new's
# output must be the page's, line for line, and the scaffold's ctest must report what the page
# shows.
# usage: getting_started.sh SCXX_SOURCE_DIR
set -euo pipefail
src=$1
page=$src/docs/getting-started.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/opt
fail() { echo "FAIL: $*"; exit 1; }

# The page's steps, in order: "CMD<TAB>command" and "OUT<TAB>line" (what the page shows it print).
awk '/^## 5\./ { exit }
     /^```console/ { block = 1; next }
     /^```/ { block = 0; next }
     block { if (substr($0, 1, 2) == "# ") print "CMD\t" substr($0, 3); else print "OUT\t" $0 }' "$page" >"$work/steps"
grep -q "^CMD" "$work/steps" || fail "no commands found in $page"

cd "$work"
cmd= expected=
run() {
  [[ -n $cmd ]] || return 0
  local shown=${cmd//\/opt\/scxx/$prefix}
  echo "# $cmd"
  if [[ $cmd == "git clone <scxx> && cd scxx" ]]; then
    mkdir scxx
    tar -C "$src" --exclude=./.git --exclude=./build --exclude='./build-*' -cf - . | tar -C scxx -xf -
    cd scxx
    return
  fi
  eval "$shown" >"$work/out" 2>&1 || { cat "$work/out"; fail "'$cmd' failed"; }
  case $cmd in
    */bin/scxx-new\ *)
      [[ $(cat "$work/out") == "${expected//\/opt\/scxx/$prefix}" ]] ||
        { diff <(echo "${expected//\/opt\/scxx/$prefix}") "$work/out" || true; fail "scxx-new does not print what the page shows"; } ;;
    *ctest\ *)
      grep -qxF "$(echo "$expected" | tail -n 1)" "$work/out" ||
        { cat "$work/out"; fail "ctest does not end as the page shows: $(echo "$expected" | tail -n 1)"; } ;;
  esac
  echo "ok"
}
while IFS=$'\t' read -r kind line; do
  if [[ $kind == CMD ]]; then
    run
    cmd=$line expected=
  else
    expected+=${expected:+$'\n'}$line
  fi
done <"$work/steps"
run
[[ -x $work/scxx/myfifo/build/myfifo ]] || fail "the page's steps built no myfifo"
echo PASS
