#!/bin/sh
# A userspace policy that throws, from each of its callbacks, with tests/userspace/us_test: the
# SDK detaches, names the callback and the exception, exits 1, and sched_ext ends disabled.
# usage: policy.sh PATH_TO_US_TEST
. "$(dirname "$0")/../vm/lib.sh"
bin=$1
sched_out=$(mktemp)
for callback in enqueue dispatch stopped cpu_idle; do
  "$bin" --throw-in $callback --throw-after 50 >"$sched_out" 2>&1 &
  pid=$!
  # Scheduling work until the policy's 50th call of the callback (cpu_idle's come at once).
  (while kill -0 $pid 2>/dev/null; do hackbench -g 2 -l 20 >/dev/null 2>&1; done) &
  load=$!
  wait_exit $pid "us_test, whose $callback threw"
  wait $pid
  status=$?
  wait $load
  no_sanitizer_report "$sched_out" "$callback"
  grep -q "^us_test: attached (state=enabled" "$sched_out" || fail "us_test never attached: $(cat "$sched_out")"
  [ $status = 1 ] || fail "us_test exited $status after its $callback threw, expected 1"
  grep -q "^us_test: scxx: run 'Policy::$callback' failed: Operation canceled (errno 125): it threw std::runtime_error: $callback call 50 failed on purpose" \
    "$sched_out" || fail "the error does not name the policy's $callback and its exception"
  grep -q "terminate called" "$sched_out" && fail "the $callback exception reached std::terminate"
  wait_state disabled
  echo "ok: $callback"
done
# Before load: Policy::wants() is asked while the scheduler is configured.
"$bin" --throw-in wants >"$sched_out" 2>&1
status=$?
no_sanitizer_report "$sched_out" wants
[ $status = 1 ] || fail "us_test exited $status when wants() threw, expected 1"
grep -q "^us_test: stopped: the scheduler's code threw std::runtime_error: wants call 1 failed on purpose" \
  "$sched_out" || fail "the error does not name the exception from wants(): $(cat "$sched_out")"
wait_state disabled
echo "ok: wants"
echo PASS
