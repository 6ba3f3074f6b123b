#!/bin/sh
# The topology inside BPF (scxx/topology.bpf.h) in a guest booted with scxx-vm --topology SPEC:
# every CPU's core, LLC and node masks as ops.init built them are the kernel's own (sysfs), one
# index per distinct mask; under hackbench, free and pinned to two CPUs, and a pipe on two CPUs one
# of which a hog holds, scxx_topo_pick_idle never picks a CPU outside the task's cpumask nor one its
# level does not describe, picks the waker's CPU for the pipe, and reports the SMT and cross-node
# levels only where the topology has them. Then an object handed no topology must
# be ejected by ops.init saying so (the run expects that sched_ext error).
# usage: topology.sh LOADER SPEC
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/lib.sh"
loader=$1 spec=$2
sockets=${spec%%s*} threads=${spec##*c}
threads=${threads%t}
n=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
sched_out=$(mktemp)
"$loader" 120 >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
hackbench -g 2 -l 50 >/dev/null 2>&1 || fail "hackbench failed"
taskset -c "1,$((n - 1))" hackbench -g 1 -l 30 >/dev/null 2>&1 || fail "pinned hackbench failed"
# A pipe allowed on CPUs 0 and 1 beside a CPU hog on CPU 1, the other CPUs idle: a synchronous
# wakeup whose wakee's previous CPU is busy (the hog's, or the waker's own) goes to the waker's CPU.
taskset -c 1 sh -c 'while :; do :; done' &
hog=$!
taskset -c 0,1 perf bench sched pipe -l 500 >/dev/null 2>&1 || fail "the pipe beside a hog failed"
kill $hog
wait $hog 2>/dev/null
kill -INT $pid
wait $pid || fail "the loader exited $?"
wait_state disabled
cat "$sched_out"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "exit kind is not UNREG"

# sysfs's view of CPU $1: its SMT siblings, its last-level cache's CPUs (llc_cpus), its node's CPUs.
node_list() {
  for d in /sys/devices/system/node/node*; do
    [ -e "$d/cpu$1" ] && cat "$d/cpulist" && return
  done
}
cpu=0
while [ $cpu -lt "$n" ]; do
  line=$(grep "^cpu $cpu " "$sched_out") || fail "no masks for CPU $cpu"
  for kind in core llc node; do
    got=$(echo "$line" | sed "s/.* $kind=[0-9]*:\([^ ]*\).*/\1/")
    case $kind in
      core) want=$(cat /sys/devices/system/cpu/cpu$cpu/topology/thread_siblings_list) ;;
      llc) want=$(llc_cpus $cpu) ;;
      node) want=$(node_list $cpu) ;;
    esac
    [ "$got" = "$want" ] || fail "CPU $cpu: the BPF $kind mask is '$got', sysfs says '$want'"
  done
  cpu=$((cpu + 1))
done
for kind in core llc node; do
  pairs=$(grep '^cpu ' "$sched_out" | sed "s/.* $kind=\([0-9]*:[^ ]*\).*/\1/" | sort -u)
  [ "$(echo "$pairs" | cut -d: -f1 | sort -u | wc -l)" = "$(echo "$pairs" | wc -l)" ] &&
    [ "$(echo "$pairs" | cut -d: -f2 | sort -u | wc -l)" = "$(echo "$pairs" | wc -l)" ] ||
    fail "the $kind indexes and masks do not pair one to one: $(echo $pairs)"
done

# Counters: 0-7 picks per level (none, prev core, LLC core, prev, waker, LLC, node, any), 8 outside
# the task's cpumask, 9 wrong level, 10 picks for tasks with a narrowed cpumask, 11 LLC contexts
# missing where an LLC exists or present for SCXX_TOPO_NONE.
picked=0 level=1
while [ $level -le 7 ]; do
  picked=$((picked + $(counter "$sched_out" $level)))
  level=$((level + 1))
done
[ $picked -gt 0 ] || fail "scxx_topo_pick_idle found no idle CPU under hackbench"
expect_counter 8 eq 0  # picks outside the task's cpumask
expect_counter 9 eq 0  # picks their level does not describe
expect_counter 10 gt 0 # picks for the pinned hackbench
expect_counter 4 gt 0  # waker's-CPU picks for the pipe beside the hog
expect_counter 11 eq 0 # per-LLC context lookups that went wrong
if [ "$threads" = 1 ]; then
  expect_counter 1 eq 0 # whole-core picks without SMT
  expect_counter 2 eq 0 # LLC-core picks without SMT
fi
if [ "$sockets" = 1 ]; then
  expect_counter 7 eq 0 # picks in another node, with one node
fi

# An empty topology: ops.init refuses it, and the loader reports why.
# Whether the attach fails or the scheduler is ejected right after it depends on the kernel.
"$loader" 30 --no-topology >"$sched_out" 2>&1
cat "$sched_out"
grep -Eq '^(error: .*|exit: kind=ERROR_BPF .*)scxx_topo_init\(\): no topology' "$sched_out" ||
  fail "an object given no topology was not refused by ops.init with the reason"
wait_state disabled
echo PASS
