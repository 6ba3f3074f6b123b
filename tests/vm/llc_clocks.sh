#!/bin/sh
# A scheduler with a vtime clock per LLC ($1), on a guest with two LLCs: three CPU hogs per CPU on
# LLC 0 and one per CPU on LLC 1 for 8 s, so that LLC 1's clock runs three times as fast as LLC 0's.
# Then a task started on LLC 1 and moved to LLC 0 brings a vtime seconds ahead of LLC 0's tasks:
# it must run there with its fair share, not wait until they catch up (about 16 s here; with a
# longer run, a stall the kernel ejects the scheduler for).
# usage: llc_clocks.sh SCHEDULER
. "$(dirname "$0")/lib.sh"
n=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
llc0=$(llc_cpus 0) llc1=$(llc_cpus $((n - 1)))
[ "$llc0" != "$llc1" ] || fail "CPUs 0 and $((n - 1)) share an LLC: boot with two (scxx-vm --topology 2s2c2t)"
sched_out=$(mktemp)
"$1" >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
hogs="" i=0
while [ $i -lt $((n / 2)) ]; do
  for llc in "$llc0" "$llc0" "$llc0" "$llc1"; do
    taskset -c "$llc" sh -c 'while :; do :; done' &
    hogs="$hogs $!"
  done
  i=$((i + 1))
done
warm=8
sleep $warm
# Three tasks started from a shell on LLC 1 and moved to LLC 0 by taskset before they run true:
# the longest time from before a start to after its end, from /proc/uptime (10 ms) and shell
# builtins only. Each needs about 2.5 s of LLC 0's fair share on TCG; one that kept LLC 1's clock
# waits about twice as long as the hogs ran.
moved=$(taskset -c "$llc1" sh -c '
  for i in 1 2 3; do
    read -r t0 _ </proc/uptime
    taskset -c "$1" true
    read -r t1 _ </proc/uptime
    echo "$t0 $t1"
  done' sh "$llc0" | awk '{ d = $2 - $1; if (d > max) max = d } END { printf "%.2f", max }')
kill $hogs
wait $hogs 2>/dev/null
[ "$(cat $SCX/state)" = enabled ] || fail "the scheduler was ejected: $(dmesg | grep sched_ext | tail -n 2)"
echo "the longest of three short tasks moved from LLC 1 to LLC 0 took ${moved} s (the hogs ran $warm s before)"
awk -v m="$moved" -v w="$warm" 'BEGIN { exit !(m < w) }' ||
  fail "a task moved from LLC 1 took ${moved} s on LLC 0: it kept LLC 1's clock"
kill -INT $pid
wait $pid || fail "the scheduler exited $?"
wait_state disabled
echo PASS
