#!/bin/sh
# A verifier rejection reaches the user as one error naming the object, the program and the
# verifier's reason, and leaves nothing attached; also when the verifier's log outgrows the loader's
# buffer (the kernel then fails with ENOSPC, which the error explains).
# usage: rejected.sh PATH_TO_LOADER PATH_TO_LONG_LOG_LOADER
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)

# Runs loader $1, which must be refused: exit status 2, the verifier's reason (worded differently
# from 7.x on) in its error, nothing attached. Its output is left in $sched_out.
refused() {
  "$1" >"$sched_out" 2>&1
  rc=$?
  cat "$sched_out"
  [ $rc = 2 ] || fail "$1 exited $rc, expected 2 (load refused)"
  grep -Eq "invalid mem access 'map_value_or_null'|invalid dereference of R[0-9] \(a nullable map value pointer\)" \
    "$sched_out" || fail "the error of $1 does not carry the verifier's reason"
  [ "$(cat $SCX/state)" = disabled ] || fail "state is '$(cat $SCX/state)' after $1's refused load"
}

refused "$1"
grep -q "^error: scxx: load 'rejected_bpf' failed: Permission denied (errno 13): the verifier rejected program 'rejected_enqueue'" \
  "$sched_out" || fail "the error does not say the verifier rejected the program, by name"
grep -q "^verifier log of 'rejected_enqueue'" "$sched_out" || fail "the error does not carry the program's verifier log"

refused "$2"
grep -q "^error: scxx: load 'rejected_long_b[a-z_]*' failed: No space left on device (errno 28): the verifier rejected program 'rejected_enqueue' (its log outgrew the 64 KiB kept, so the errno is the log's, not the refusal's" \
  "$sched_out" || fail "the error does not say that ENOSPC comes from the verifier's long log"
echo PASS
