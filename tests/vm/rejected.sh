#!/bin/sh
# A verifier rejection reaches the user as one error naming the object, the program and the
# verifier's reason, and leaves nothing attached; also when the verifier's log outgrows the loader's
# buffer (the kernel then fails with ENOSPC, which the error explains).
# usage: rejected.sh PATH_TO_LOADER PATH_TO_LONG_LOG_LOADER
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
"$1" >"$sched_out" 2>&1
rc=$?
cat "$sched_out"
[ $rc = 2 ] || fail "the loader exited $rc, expected 2 (load refused)"
grep -q "^error: scxx: load 'rejected_bpf' failed: Permission denied (errno 13): the verifier rejected program 'rejected_enqueue'" \
  "$sched_out" || fail "the error does not say the verifier rejected the program, by name"
grep -q "^verifier log of 'rejected_enqueue'" "$sched_out" || fail "the error does not carry the program's verifier log"
# The verifier words it differently from 7.x on.
grep -Eq "invalid mem access 'map_value_or_null'|invalid dereference of R0 \(a nullable map value pointer\)" "$sched_out" \
  || fail "the error does not carry the verifier's reason"
[ "$(cat $SCX/state)" = disabled ] || fail "state is '$(cat $SCX/state)' after a refused load"

"$2" >"$sched_out" 2>&1
rc=$?
cat "$sched_out"
[ $rc = 2 ] || fail "the long-log loader exited $rc, expected 2 (load refused)"
grep -q "^error: scxx: load 'rejected_long_b[a-z_]*' failed: No space left on device (errno 28): the verifier rejected program 'rejected_long_enqueue' (its log outgrew the 64 KiB kept, so the errno is the log's, not the refusal's" \
  "$sched_out" || fail "the error does not say that ENOSPC comes from the verifier's long log"
grep -Eq "invalid mem access 'map_value_or_null'|invalid dereference of R[0-9] \(a nullable map value pointer\)" "$sched_out" \
  || fail "the long log's end, with the verifier's reason, is not in the error"
[ "$(cat $SCX/state)" = disabled ] || fail "state is '$(cat $SCX/state)' after a refused load"
echo PASS
