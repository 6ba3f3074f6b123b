#!/bin/sh
# SIGKILL of the loader: nothing in the process runs, yet the kernel detaches the scheduler because
# the process's BPF link closes with it. usage: sigkill.sh PATH_TO_MINIMAL
. "$(dirname "$0")/../vm/lib.sh"
sched_out=$(mktemp)
seq0=$(cat $SCX/enable_seq)
"$1" >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
[ "$(cat $SCX/root/ops)" = minimal ] || fail "root/ops is '$(cat $SCX/root/ops)', not minimal"
kill -KILL $pid
wait $pid
[ $? = 137 ] || fail "the loader did not die of SIGKILL"
wait_state disabled
[ ! -e $SCX/root/ops ] || [ -z "$(cat $SCX/root/ops 2>/dev/null)" ] || fail "root/ops still names a scheduler"
[ "$(cat $SCX/enable_seq)" = $((seq0 + 1)) ] || fail "enable_seq did not go up by exactly one"
dmesg | grep -q 'sched_ext: BPF scheduler "minimal" disabled' || fail "the kernel did not log the disable"
dmesg | grep 'sched_ext: BPF scheduler "minimal"' | tail -n 2
# The system schedules normally afterwards.
hackbench -g 1 -l 200 >/dev/null || fail "hackbench failed after the scheduler was gone"
echo PASS
