#!/bin/sh
# Runs in the VM for tools/bench-samples: ROUNDS times, for each sample, perf bench sched messaging
# and pipe under the kernel's default scheduler and then under the sample, back to back.
# Prints "RESULT SAMPLE BENCH DEFAULT_SECONDS SAMPLE_SECONDS" lines.
# usage: samples-guest.sh BUILD_DIR ROUNDS SAMPLE...
. "$(dirname "$0")/../vm/lib.sh"
build=$1 rounds=$2
shift 2

# Seconds perf reports for BENCH ("messaging" or "pipe").
bench() {
  case $1 in
    messaging) perf bench sched messaging -g 2 -l 20 ;;
    pipe) perf bench sched pipe -l 10000 ;;
  esac 2>&1 | sed -n 's/.*Total time: *\([0-9.]*\) \[sec\].*/\1/p'
}

r=0
while [ $r -lt "$rounds" ]; do
  r=$((r + 1))
  for s in "$@"; do
    for b in messaging pipe; do
      [ "$(cat $SCX/state)" = disabled ] || fail "sched_ext is not disabled before the default run"
      base=$(bench $b)
      sched_out=$(mktemp)
      "$build/samples/$s/$s" >"$sched_out" 2>&1 &
      pid=$!
      wait_state enabled $pid
      under=$(bench $b)
      kill -INT $pid
      wait $pid || fail "$s exited $? after the $b run"
      wait_state disabled
      [ -n "$base" ] && [ -n "$under" ] || fail "perf bench sched $b printed no time"
      echo "RESULT $s $b $base $under"
    done
  done
done
