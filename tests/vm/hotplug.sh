#!/bin/sh
# A sample restarts when the kernel asks: taking CPU 1 offline ends the scheduler with a restart
# exit code, and scxx::Cli attaches it again (generation 2, and 3 once the CPU is back; three such
# cycles); SIGINT then ends it with UNREG.
# A 60% CPU load runs meanwhile: the hotplug waits for kthreads (RCU's among them) that the scheduler must
# still run while the CPU is going down. usage: hotplug.sh PATH_TO_SAMPLE
. "$(dirname "$0")/lib.sh"
name=$(basename "$1")
sched_out=$(mktemp)
"$1" >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
stress-ng --cpu 3 --cpu-load 60 --timeout 300 >/dev/null 2>&1 &
hogs=$!
cycle=1
while [ $cycle -le 3 ]; do
  echo 0 >/sys/devices/system/cpu/cpu1/online || fail "cannot take CPU 1 offline"
  wait_output "$sched_out" "^$name: attached again, generation $((2 * cycle))" $pid "$name attached again after CPU 1 went offline"
  echo 1 >/sys/devices/system/cpu/cpu1/online || fail "cannot bring CPU 1 back"
  wait_output "$sched_out" "^$name: attached again, generation $((2 * cycle + 1))" $pid "$name attached again after CPU 1 came back"
  cycle=$((cycle + 1))
done
kill $hogs
wait $hogs
kill -INT $pid
wait $pid
status=$?
cat "$sched_out"
[ $status = 0 ] || fail "$name exited $status"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "$name did not end with UNREG"
wait_state disabled
echo PASS
