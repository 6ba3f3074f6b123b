#!/bin/sh
# CPU hotplug ends a scheduler with a restart request; run_with_restarts brings it back each time.
# On 6.16, which lacks ops.cgroup_set_bandwidth, the loader leaves that callback unset and says so.
# usage: restart.sh PATH_TO_RESTART_LOADER
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
"$1" >"$sched_out" 2>&1 &
pid=$!

wait_generation() {
  wait_output "$sched_out" "^attached generation $1\$" $pid "generation $1 attached"
}

wait_generation 1
echo 0 >/sys/devices/system/cpu/cpu1/online || fail "cannot take CPU 1 offline"
wait_generation 2
echo 1 >/sys/devices/system/cpu/cpu1/online || fail "cannot bring CPU 1 back"
wait_generation 3
kill -INT $pid
wait $pid || fail "the loader exited $?"
cat "$sched_out"
[ "$(grep -c '^log: restart_bpf: restarting after kind=UNREG_KERN (66) exit_code=[0-9]* .*cpu 1' "$sched_out")" = 2 ] \
  || fail "expected two restarts, each for CPU 1"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "the last generation did not end with UNREG"
if grep -qw cgroup_set_bandwidth /sys/kernel/btf/vmlinux 2>/dev/null && [ "$(uname -r | cut -d. -f1-2)" != 6.16 ]; then
  ! grep -q 'has no sched_ext_ops' "$sched_out" || fail "a field this kernel has was reported missing"
else
  grep -q "^log: restart_bpf: this kernel ($(uname -r)) has no sched_ext_ops.cgroup_set_bandwidth; left it unset" "$sched_out" \
    || fail "the missing ops field was not reported"
fi
wait_state disabled

# SIGINT while generation 2 is being set up (the loader sends it itself, so the moment is exact):
# generation 2 is never attached and the loader ends with generation 1's exit. The test shell
# starts it in the background, where SIGINT is ignored unless scxx's handler is in place.
"$1" --sigint-in-generation 2 >"$sched_out" 2>&1 &
pid=$!
wait_generation 1
echo 0 >/sys/devices/system/cpu/cpu1/online || fail "cannot take CPU 1 offline"
wait_exit $pid "the loader, sent SIGINT during the restart"
wait $pid || fail "the loader exited $?"
echo 1 >/sys/devices/system/cpu/cpu1/online || fail "cannot bring CPU 1 back"
cat "$sched_out"
! grep -q '^attached generation 2' "$sched_out" || fail "generation 2 was attached after SIGINT"
grep -q '^exit: kind=UNREG_KERN (66) .*cpu 1' "$sched_out" || fail "the exit is not generation 1's hotplug exit"
wait_state disabled
echo PASS
