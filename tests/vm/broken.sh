#!/bin/sh
# A scheduler that inserts into a DSQ that does not exist is ejected by the kernel; the loader sees
# exit kind ERROR with the kernel's reason, and the system goes back to the default scheduler.
# usage: broken.sh PATH_TO_BROKEN
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
"$1" >"$sched_out" 2>&1
rc=$?
cat "$sched_out"
[ $rc = 0 ] || fail "the loader exited $rc, expected 0 (ran until the kernel stopped the scheduler)"
grep -q '^exit: kind=ERROR (1024) reason="runtime error" message="non-existent DSQ 0x3039' "$sched_out" \
  || fail "the exit info does not show the kernel's ERROR and its reason"
wait_state disabled
echo PASS
