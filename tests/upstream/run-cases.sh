#!/bin/bash
# Runs in the VM: every case of cases.sh whose name starts with PREFIX, with the runners
# build.sh built in DIR. A case exceptions.txt lists for this kernel is reported with its reason
# and not run; so is an object the exceptions list as not building. Exits 0 only if every other
# case passed; the last line is "N passed, N failed".
# usage: run-cases.sh DIR PREFIX
set -u
dir=$1 prefix=$2
here=$(cd "$(dirname "$0")" && pwd)
kernel=$(uname -r | grep -o '^[0-9]*\.[0-9]*')
NCPUS=$(nproc)
WORK=$dir/upstream-work
# The selftests' drivers mostly just sleep while attached ("plenty of scheduling events"); the
# examples get a real workload. A heavier load trips 1 s watchdogs (select_cpu_vtime) under TCG.
case $prefix in
  *_st_*) WORKLOAD="sleep 1" ;;
  *) WORKLOAD="hackbench -g 2 -l 50" ;;
esac
passed=0 failed=0 listed=0 retried=0 ran=" "

reason_for() { # NAME WHERE...
  local name=$1 where
  shift
  for where in "$@"; do
    awk -v n="$name" -v w="$where" '$1 == n && $2 == w { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' \
      "$here/exceptions.txt"
  done | head -n 1
}

expect() {
  local name=$1
  shift
  [[ $name == "$prefix"* ]] || return 0
  ran+="$name "
  local reason
  reason=$(reason_for "$name" build "$kernel")
  if [[ -n $reason ]]; then
    echo "LISTED $name on $kernel: $reason"
    listed=$((listed + 1))
    return 0
  fi
  local out status attempt attempts=1
  # A case of RETRY_ONCE (cases.sh) that fails is run once more and passes only if the second run
  # passes; the first failure is printed in full either way. Every other case runs once.
  [[ ${RETRY_ONCE:-} == *" $name "* ]] && attempts=2
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    out=$(timeout 120 "$dir/$name" "$@" 2>&1)
    status=$?
    if [[ $status == 0 ]] && grep -q '^PASS' <<<"$out"; then
      break
    fi
    echo "ATTEMPT $attempt FAILED $name $* (status $status):"
    sed 's/^/  | /' <<<"$out" | tail -n 25
  done
  if [[ $status == 0 ]] && grep -q '^PASS' <<<"$out"; then
    local note=""
    if [[ $attempt == 2 ]]; then
      note=" (on the second attempt)"
      retried=$((retried + 1))
    fi
    echo "ok $name $*: $(grep '^PASS' <<<"$out")$note"
    passed=$((passed + 1))
  else
    echo "FAILED $name $*"
    failed=$((failed + 1))
  fi
}

# shellcheck source=cases.sh
source "$here/cases.sh"
# Every object of the set has a case, or an exceptions entry saying why not.
while read -r name _; do
  [[ $name == "$prefix"* && $ran != *" $name "* ]] || continue
  reason=$(reason_for "$name" build run "$kernel")
  if [[ -n $reason ]]; then
    echo "LISTED $name on $kernel: $reason"
    listed=$((listed + 1))
  else
    echo "FAILED $name: no case in cases.sh and no reason in exceptions.txt"
    failed=$((failed + 1))
  fi
done <"$dir/manifest.txt"
echo "upstream $prefix on $kernel: $listed listed in exceptions.txt; $retried passed only on the second attempt"
echo "$passed passed, $failed failed"
[[ $failed == 0 && $passed -gt 0 ]]
