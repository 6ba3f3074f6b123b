#!/bin/sh
# The rest of scxx::userspace, with tests/userspace/us_test: decisions onto idle CPUs picked
# through the BPF side and the stopped and cpu_idle events (a policy that throws: tests/faults/policy.sh).
# usage: hooks.sh PATH_TO_US_TEST
. "$(dirname "$0")/../vm/lib.sh"
bin=$1
out=$(mktemp)
sched_out=$out # fail() shows it
policy() { grep '^policy:' "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }


"$bin" --idle-cpu --events --stats 0.5 >"$out" 2>&1 &
pid=$!
wait_state enabled $pid
# The callbacks only the optional events need are loaded for a policy that wants them
# (userspace.sh checks that they are not loaded for one that does not).
prog_loaded scxx_us_stopping && prog_loaded scxx_us_update_idle || fail "the event callbacks are not loaded for a policy that wants events"
timeout 120 hackbench -g 2 -l 100 >/dev/null || fail "hackbench failed (or took over 120 s) under us_test"
sleep 0.6
kill -INT $pid
# A hang is a failure with the policy's output, not a VM timeout without any.
wait_exit $pid "us_test did not end after SIGINT"
wait $pid || fail "us_test exited $?"
cat "$out"
grep -q '^exit: kind=UNREG (64)' "$out" || fail "us_test did not end with UNREG"
picked=$(policy picked) local=$(counter "$out" local)
[ "$picked" -gt 0 ] || fail "no idle CPU was picked through the BPF side"
[ "$local" -gt 0 ] || fail "no decision placed a task on a chosen CPU"
[ "$(policy stopped_events)" -gt 0 ] || fail "no stopped event reached the policy"
[ "$(policy idle_events)" -gt 0 ] || fail "no cpu_idle event reached the policy"
wait_state disabled
echo PASS
