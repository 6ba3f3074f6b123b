#!/bin/sh
# A scheduler shares a CPU by weight: two CPU-bound loops pinned to CPU 1, at nice 0 and nice 5,
# get CPU time in the ratio of their weights (1024:335 = 3.06) within 10% in a weighted mode, and
# about equal time (within 25%) in a FIFO mode. Each MODE is weighted[:ARGS] or fifo[:ARGS].
# usage: weights.sh PATH_TO_SCHEDULER MODE...      e.g. weights.sh simple weighted fifo:--fifo
. "$(dirname "$0")/lib.sh"
bin=$1
name=$(basename "$bin")
shift
sched_out=$(mktemp)

# CPU time of PID in ns: the scheduler's own account (sum_exec_runtime, /proc/PID/schedstat), on
# the clock the scheduler charges slices with. Tick sampling (utime + stime) was skewed by a loaded
# host: under TCG a stolen interval lands whole on whichever task a late tick finds running
# (nice 0 : nice 5 = 3.57 once, for 3.06), while the scheduler's account and its vtime agree.
runtime() { awk '{ print $1 }' "/proc/$1/schedstat"; }

measure() {
  mode=$1 lo=$2 hi=$3
  shift 3
  "$bin" "$@" >"$sched_out" 2>&1 &
  pid=$!
  wait_state enabled $pid
  taskset -c 1 sh -c 'while :; do :; done' &
  a=$!
  taskset -c 1 nice -n 5 sh -c 'while :; do :; done' &
  b=$!
  sleep 1 # both queued and running
  a0=$(runtime $a) b0=$(runtime $b)
  sleep 6
  a1=$(runtime $a) b1=$(runtime $b)
  kill $a $b
  kill -INT $pid
  wait $pid || fail "$name ($mode) exited $?"
  grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "$name ($mode) did not end with UNREG"
  da=$(awk -v x=$a0 -v y=$a1 'BEGIN { printf "%.0f", (y - x) / 1e6 }')
  db=$(awk -v x=$b0 -v y=$b1 'BEGIN { printf "%.0f", (y - x) / 1e6 }')
  [ "$db" -gt 0 ] || fail "the nice 5 loop got no CPU time in $mode mode"
  ratio=$(awk -v a="$da" -v b="$db" 'BEGIN { printf "%.2f", a / b }')
  echo "$mode: nice 0 ran $da ms, nice 5 ran $db ms: ratio $ratio (want $lo to $hi)"
  awk -v r="$ratio" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(r >= lo && r <= hi) }' \
    || fail "$mode: CPU time ratio $ratio is outside $lo to $hi"
  wait_state disabled
}

[ $# -gt 0 ] || fail "no MODE given"
for m in "$@"; do
  mode=${m%%:*} args=
  [ "$m" = "$mode" ] || args=$(echo "${m#*:}" | tr ':' ' ')
  # shellcheck disable=SC2086 # ARGS are words
  case $mode in
    weighted) measure "$mode" 2.75 3.36 $args ;;
    fifo) measure "$mode" 0.80 1.25 $args ;;
    *) fail "unknown mode '$mode'" ;;
  esac
done
echo PASS
