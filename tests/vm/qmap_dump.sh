#!/bin/sh
# samples/qmap --fail-after: the forced error ends the scheduler, and the exit info carries the
# kernel's debug dump with qmap's own lines (ops.dump per queue, ops.dump_task per task).
# Run with --expect-scx-error. usage: qmap_dump.sh PATH_TO_QMAP
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
# More CPU hogs than CPUs: a hog alone on its CPU keeps running without passing through
# ops.enqueue (it is the CPU's last task), so qmap would hold no state for it; sharing a CPU, each
# goes through ops.enqueue at every slice's end.
hogs=""
for i in $(seq $(($(nproc) + 1))); do
  sh -c 'while :; do :; done' &
  hogs="$hogs $!"
done
"$1" --fail-after 1 >"$sched_out" 2>&1
status=$?
kill $hogs
cat "$sched_out"
[ $status = 1 ] || fail "qmap exited $status after its forced error, not 1"
grep -q '^exit: kind=ERROR_BPF (1025) .*message="qmap: forced error (--fail-after) to show the debug dump"' "$sched_out" \
  || fail "the exit info does not name the forced error"
grep -q '^--- debug dump ---$' "$sched_out" || fail "no debug dump printed"
grep -q 'qmap: queue 2 holds [0-9-]* tasks' "$sched_out" || fail "ops.dump's lines are not in the dump"
grep -q 'qmap: queue=[0-4] enqueues=[0-9]' "$sched_out" || fail "ops.dump_task's lines are not in the dump"
wait_state disabled
echo PASS
