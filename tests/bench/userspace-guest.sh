#!/bin/sh
# Runs in the VM for tools/bench-userspace: ROUNDS times, for each number of yielders N, each
# scheduler in turn schedules the same workload: N processes calling sched_yield() for 3 s
# (stress-ng --yield N), so that every yield is a decision and the scheduler, not the workload, sets
# the pace. Prints, per run,
#   "RESULT N LABEL ROUND WALL_SECONDS DECISIONS PROCESS_CPU_SECONDS BPF_SECONDS"
# where DECISIONS are the scheduling decisions the policy made during the workload, PROCESS_CPU
# the scheduler process's CPU time and BPF the run time of all loaded BPF programs in that time.
# usage: userspace-guest.sh ROUNDS "N..." LABEL:KIND:COMMAND[,ARG...]...
#   KIND: scxx (counter decided=), bpf (counter enqueued=), userland (scx_userland's "disp:")
. "$(dirname "$0")/../vm/lib.sh"
rounds=$1 yielders=$2
shift 2
echo 1 >/proc/sys/kernel/bpf_stats_enabled || fail "cannot enable BPF run-time statistics"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
bpf_ns() { bpftool prog show -j | tr '{' '\n' | sed -n 's/.*"run_time_ns":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'; }
decisions() {
  case $1 in
    scxx) counter "$2" decided ;;
    bpf) counter "$2" enqueued ;;
    userland) sed -n 's/^| *disp: *\([0-9]*\) *|$/\1/p' "$2" | tail -n 1 ;;
  esac
}
now() { date +%s.%N; }

run() {
  label=$1 kind=$2 cmd=$3 round=$4 n=$5
  out=$(mktemp)
  # shellcheck disable=SC2046 # the command's words
  $(echo "$cmd" | tr ',' ' ') >"$out" 2>&1 &
  pid=$!
  wait_state enabled $pid
  sleep 1.2 # every scheduler has printed its counters once
  d0=$(decisions "$kind" "$out") c0=$(ticks $pid) b0=$(bpf_ns) t0=$(now)
  stress-ng --yield "$n" --timeout 3 >/dev/null 2>&1 || fail "the workload failed under $label"
  t1=$(now) c1=$(ticks $pid) b1=$(bpf_ns)
  sleep 1.2 # and once more after the workload
  d1=$(decisions "$kind" "$out")
  kill -INT $pid
  wait $pid
  wait_state disabled
  [ -n "$d0" ] && [ -n "$d1" ] || { cat "$out"; fail "no decision count from $label"; }
  awk -v n="$n" -v l="$label" -v r="$round" -v t0="$t0" -v t1="$t1" -v d=$((d1 - d0)) -v c=$((c1 - c0)) -v b=$((b1 - b0)) \
    'BEGIN { printf "RESULT %d %s %d %.3f %d %.2f %.4f\n", n, l, r, t1 - t0, d, c / 100, b / 1e9 }'
  rm -f "$out"
}

r=0
while [ $r -lt "$rounds" ]; do
  r=$((r + 1))
  for n in $yielders; do
    for spec in "$@"; do
      label=${spec%%:*} rest=${spec#*:}
      run "$label" "${rest%%:*}" "${rest#*:}" $r "$n"
    done
  done
done
