#!/bin/sh
# samples/central with CPU 1 as the central CPU: under CPU hogs and hackbench, every scheduling
# decision is counted on CPU 1 and none elsewhere, every CPU ran tasks it was given, and the timer
# preempted hogs that overran their slice. usage: central.sh PATH_TO_CENTRAL
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
"$1" --central 1 --stats 0.5 >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
stress-ng --cpu 3 --timeout 3 >/dev/null 2>&1 || fail "stress-ng failed under central"
hackbench -g 1 -l 100 >/dev/null || fail "hackbench failed under central"
sleep 0.6
kill -INT $pid
wait $pid || fail "central exited $?"
cat "$sched_out"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "central did not end with UNREG"
ncpu=$(nproc) cpu=0
while [ $cpu -lt "$ncpu" ]; do
  d=$(counter "$sched_out" "decisions{cpu=$cpu}") l=$(counter "$sched_out" "local{cpu=$cpu}")
  echo "CPU $cpu: $d decisions, ran $l tasks"
  if [ $cpu = 1 ]; then
    [ "$d" -ge 500 ] || fail "the central CPU made only $d decisions"
  else
    [ "$d" = 0 ] || fail "CPU $cpu made $d decisions; only the central CPU may"
  fi
  [ "$l" -gt 0 ] || fail "CPU $cpu ran no task"
  cpu=$((cpu + 1))
done
preempts=$(counter "$sched_out" preempts)
[ "${preempts:-0}" -gt 0 ] || fail "no overrunning hog was preempted"
echo "preempts: $preempts"
echo PASS
