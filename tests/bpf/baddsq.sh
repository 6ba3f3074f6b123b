#!/bin/sh
# A run-time user DSQ id with bit 63 set ejects the scheduler with an error naming the id; the
# scheduler's ops.dump line is in the exit info's dump.
# usage: baddsq.sh LOADER   (run with scxx-vm --expect-scx-error)
. "$(dirname "$0")/../vm/lib.sh"
sched_out=$(mktemp)
"$1" 30 >"$sched_out" 2>&1 || fail "loader exited $?"
cat "$sched_out"
grep -q '^exit: kind=ERROR_BPF (1025) .*message="scxx_dsq_user(): invalid user DSQ id 0x8000000000000007: bit 63 is reserved for built-in DSQs"' "$sched_out" \
  || fail "the exit info does not name the invalid DSQ id"
grep -q 'baddsq dump marker 5ca1ab1e' "$sched_out" || fail "the debug dump does not carry ops.dump's line"
wait_state disabled
echo PASS
