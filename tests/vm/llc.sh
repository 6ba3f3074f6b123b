#!/bin/sh
# samples/llc in a guest booted with scxx-vm --topology SPEC, judged by its counters and the
# kernel's sysfs. Under hackbench most wakeups stay in their LLC and short-burst tasks are boosted.
# A ping-pong on one CPU bypasses the LLC's queue and does not preempt itself.
# With a CPU hog on every CPU, a pipe's waking tasks preempt hogs and are pulled by the other LLC's
# CPUs. Then CPU hogs started on LLC 0's CPUs and let loose run on other LLCs too, which only
# stealing can do (they never sleep, so never pass through select_cpu); with one LLC nothing is
# stolen or pulled and no wakeup leaves it. usage: llc.sh LLC_BINARY SPEC
. "$(dirname "$0")/lib.sh"
sockets=${2%%s*}
n=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
sched_out=$(mktemp)
"$1" --stats 1 >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
[ "$(cat $SCX/root/ops)" = llc ] || fail "root/ops is '$(cat $SCX/root/ops)', not llc"
hackbench -g 2 -l 100 >/dev/null 2>&1 || fail "hackbench failed under llc"
sleep 1.5
stat() { v=$(counter "$sched_out" "$1"); [ -n "$v" ] || fail "no $1 in the stats"; echo "$v"; }
same_core=$(stat woke_same_core) same_llc=$(stat woke_same_llc) other_llc=$(stat woke_other_llc)
echo "hackbench: woke_same_core=$same_core woke_same_llc=$same_llc woke_other_llc=$other_llc" \
  "boosted=$(stat boosted) local=$(stat local)"
[ $((same_core + same_llc)) -gt "$other_llc" ] || fail "most wakeups left their LLC"
[ "$(stat boosted)" -gt 0 ] || fail "no task of hackbench was boosted"
[ "$(stat local)" -gt 0 ] || fail "no CPU ran a task from its own LLC's queue"

# A pipe ping-pong with both tasks on CPU 0: with nothing else queued, each waking task goes
# straight to CPU 0's own queue, and neither preempts the other (a task preempted as soon as it
# wakes its partner never sleeps, so it would look CPU-bound and be preempted at every wakeup).
pinned_before=$(stat pinned) preempted_before=$(stat preempted)
taskset -c 0 perf bench sched pipe -l 1000 >/dev/null 2>&1 || fail "perf bench sched pipe failed on one CPU under llc"
sleep 1.5
pinned=$(($(stat pinned) - pinned_before)) preempted=$(($(stat preempted) - preempted_before))
echo "pipe on CPU 0 (1000 round trips): $pinned pinned wakeups put on their CPU's queue, $preempted preemptions"
[ "$pinned" -ge 1000 ] || fail "only $pinned of the pipe's 2000 wakeups on CPU 0 went to its own queue"
[ "$preempted" -lt 100 ] || fail "the pipe's tasks preempted each other $preempted times in 1000 round trips"

# A CPU hog on every CPU, then a pipe ping-pong: its tasks wake to find no CPU idle, queue in
# their LLC and preempt the hog on their previous CPU; a CPU of the other LLC that ends a slice
# first pulls them ahead of its own CPU-bound work.
pulled_before=$(stat pulled) preempted_before=$(stat preempted)
hogs="" i=0
while [ $i -lt "$n" ]; do
  taskset -c "$i" sh -c 'while :; do :; done' &
  hogs="$hogs $!" i=$((i + 1))
done
perf bench sched pipe -l 200 >/dev/null 2>&1 || fail "perf bench sched pipe failed under llc with a hog per CPU"
kill $hogs
sleep 1.5
pulled=$(($(stat pulled) - pulled_before)) preempted=$(($(stat preempted) - preempted_before))
echo "pipe beside a hog per CPU: $preempted hogs preempted, $pulled interactive tasks pulled from another LLC"
[ "$preempted" -gt 0 ] || fail "with every CPU busy, no waking interactive task preempted a hog"
stolen_before=$(stat stolen)

llc0=$(llc_cpus 0)
# LLC 0's CPUs as " 0 1 2 3 ", read while the CPUs are free: with a hog on every CPU each process
# the check starts takes seconds on TCG, so the check below uses shell builtins only.
in_llc0=" " i=0
while [ $i -lt "$n" ]; do
  [ "$(llc_cpus $i)" = "$llc0" ] && in_llc0="$in_llc0$i "
  i=$((i + 1))
done
hogs="" i=0
while [ $i -lt "$n" ]; do
  taskset -c "$llc0" sh -c 'while :; do :; done' &
  hogs="$hogs $!" i=$((i + 1))
done
sleep 1
for h in $hogs; do taskset -p -c "0-$((n - 1))" "$h" >/dev/null || fail "cannot widen hog $h"; done
sleep 3
# Sets cpu to the CPU process $1 last ran on (field 39 of /proc/PID/stat), with builtins only.
last_cpu_of() {
  read -r stat <"/proc/$1/stat"
  # shellcheck disable=SC2086 # split into the file's fields (a hog's comm, "sh", has no space)
  set -- $stat
  shift 38
  cpu=$1
}
outside=0
for h in $hogs; do
  last_cpu_of "$h"
  case $in_llc0 in *" $cpu "*) ;; *) outside=$((outside + 1)) ;; esac
done
kill $hogs
sleep 1.5
stolen=$(($(stat stolen) - stolen_before))
echo "hogs: $outside of $n outside LLC 0 ($llc0), $stolen tasks stolen"
if [ "$sockets" -gt 1 ]; then
  [ "$outside" -gt 0 ] || fail "no hog left LLC 0: nothing was stolen by the idle LLC"
  [ "$stolen" -gt 0 ] || fail "hogs moved, but the stolen counter did not"
  [ "$pulled" -gt 0 ] || fail "with every CPU busy, no waiting interactive task was pulled by the other LLC"
else
  [ "$other_llc" = 0 ] || fail "$other_llc wakeups placed in another LLC, with one LLC"
  [ "$(stat stolen)" = 0 ] || fail "tasks stolen with one LLC"
  [ "$(stat pulled)" = 0 ] || fail "tasks pulled from another LLC, with one LLC"
fi
kill -INT $pid
wait $pid || fail "llc exited $?"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "exit kind is not UNREG"
wait_state disabled
# The scheduler's last stats table, for the reader of a log.
awk '/^llc stats:/ { table = "" } { table = table $0 "\n" } END { printf "%s", table }' "$sched_out"
echo PASS
