#!/bin/sh
# Runs in the VM (scxx-vm): attaches @NAME@, runs a workload under it, detaches with SIGINT.
# usage: run.sh PATH_TO_@NAME@
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }
out=$(mktemp)
"$1" >"$out" 2>&1 &
pid=$!
i=0
until [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" = @NAME@ ]; do
  i=$((i + 1))
  [ $i -le 200 ] || fail "@NAME@ did not attach within 20 s"
  kill -0 $pid 2>/dev/null || fail "@NAME@ exited before attaching"
  sleep 0.1
done
hackbench -g 2 -l 100 >/dev/null || fail "the workload failed under @NAME@"
kill -INT $pid
wait $pid || fail "@NAME@ exited with status $?"
cat "$out"
grep -q '^exit: kind=UNREG (64)' "$out" || fail "@NAME@ did not end with UNREG"
# The stats it printed as it ended: "  dispatched  <total>  <description>".
dispatched=$(awk '$1 == "dispatched" { v = $2 } END { print v }' "$out")
[ "${dispatched:-0}" -gt 0 ] || fail "@NAME@ dispatched nothing"
[ "$(cat /sys/kernel/sched_ext/state)" = disabled ] || fail "sched_ext is still enabled"
echo PASS
