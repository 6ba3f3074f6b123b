#!/bin/sh
# A sample restarts when the kernel asks: taking CPU 1 offline ends the scheduler with a restart
# exit code, and scxx::Cli attaches it again (generation 2); SIGINT then ends it with UNREG.
# usage: hotplug.sh PATH_TO_SAMPLE
. "$(dirname "$0")/lib.sh"
name=$(basename "$1")
sched_out=$(mktemp)
"$1" >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
echo 0 >/sys/devices/system/cpu/cpu1/online || fail "cannot take CPU 1 offline"
wait_output "$sched_out" "^$name: attached again, generation 2" $pid "$name attached again after the hotplug"
echo 1 >/sys/devices/system/cpu/cpu1/online || fail "cannot bring CPU 1 back"
sleep 1
kill -INT $pid
wait $pid
status=$?
cat "$sched_out"
[ $status = 0 ] || fail "$name exited $status"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "$name did not end with UNREG"
wait_state disabled
echo PASS
