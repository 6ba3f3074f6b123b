#!/bin/sh
# samples/percpu under an imbalanced load: four CPU hogs start pinned to CPU 0, then may run
# anywhere, but each keeps queueing on CPU 0's DSQ (the CPU it last ran on). The other CPUs must
# steal from it: steals are counted and every CPU did work. usage: percpu.sh PATH_TO_PERCPU
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
"$1" --stats 0.5 --rebalance >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
ncpu=$(nproc)
hogs=
for i in 1 2 3 4; do
  taskset -c 0 sh -c 'while :; do :; done' &
  hogs="$hogs $!"
done
sleep 0.5
for h in $hogs; do taskset -p -c "0-$((ncpu - 1))" "$h" >/dev/null || fail "cannot widen the affinity of $h"; done
sleep 3
kill $hogs
kill -INT $pid
wait $pid || fail "percpu exited $?"
cat "$sched_out"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "percpu did not end with UNREG"
# Work per CPU: what it took from its own DSQ, stole, or got directly on wakeup.
cpu=0 stolen=0
while [ $cpu -lt "$ncpu" ]; do
  stolen=$((stolen + $(counter "$sched_out" "stolen{cpu=$cpu}")))
  work=$(( $(counter "$sched_out" "local{cpu=$cpu}") + $(counter "$sched_out" "stolen{cpu=$cpu}") + $(counter "$sched_out" "direct{cpu=$cpu}") ))
  echo "CPU $cpu: $work tasks run (own queue, stolen or direct)"
  [ $work -gt 0 ] || fail "CPU $cpu did no work"
  cpu=$((cpu + 1))
done
[ "$stolen" -gt 0 ] || fail "no steals counted under an imbalanced load"
# The loader's per-DSQ gauge: with four hogs on fewer CPUs, some queue held waiting tasks.
grep '^  queued{cpu=[0-9]*} ' "$sched_out" | awk '$2 > 0 { found = 1 } END { exit !found }' ||
  fail "no CPU's queue ever showed waiting tasks in the queued{cpu=N} stats"
echo "steals: $stolen"
echo PASS
