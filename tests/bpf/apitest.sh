#!/bin/sh
# Every portable API group takes effect on this kernel; userspace control works through the
# runtime's syscall programs; scxx_exit() ends the scheduler with its code and formatted message.
# The build of the object that ran is the one SCXX_ABI names, else the one for this kernel.
# usage: [SCXX_ABI=level] apitest.sh APITEST
. "$(dirname "$0")/../vm/lib.sh"
sched_out=$(mktemp)
"$1" >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
case "$(uname -r)" in
  6.1[6-9].* | 6.[2-9][0-9].* | 7.[0-2].*) build=6.16 ;;
  *) build=7.3 ;;
esac
grep -qx "abi: ${SCXX_ABI:-$build}" "$sched_out" || fail "expected the build for ABI level ${SCXX_ABI:-$build}: $(head -1 "$sched_out")"
# Renicing a running task from another CPU makes the kernel call ops.stopping and ops.running
# there, on the renicing CPU (counters 21 and 20): what samples that keep per-CPU state must
# allow for.
sh -c 'while :; do :; done' &
hog=$!
i=0
while [ $i -lt 100 ]; do
  renice -n $((i % 10)) -p $hog >/dev/null
  i=$((i + 1))
done
kill $hog
wait $hog 2>/dev/null || true
# Keep the system busy until the scheduler has made its 3000 decisions and ended itself.
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 30 ]; do
  hackbench -g 2 -l 20 >/dev/null 2>&1
  i=$((i + 1))
done
wait $pid || fail "apitest exited $?"
cat "$sched_out"
grep -q '^control: created DSQs 1000 and 1001, nr_queued(1000)=0$' "$sched_out" || fail "creating a DSQ from userspace"
grep -q '^control: moved 0 tasks from DSQ 1000 to 1001$' "$sched_out" || fail "moving tasks from userspace"
grep -q '^control: destroyed DSQ 1000 answers errno 2 (ENOENT)$' "$sched_out" || fail "destroying a DSQ from userspace"
grep -q '^control: [1-9][0-9]* event counters, first SCX_EV_[A-Z_]*=[0-9]*$' "$sched_out" || fail "reading sched_ext's event counters"
grep -q '^exit: kind=UNREG_BPF (65) exit_code=42 reason="[^"]*" message="apitest done after 3000 enqueues"$' "$sched_out" \
  || fail "scxx_exit() did not end the scheduler with code 42 and its message"
for i in 0 1 2 3 4 5 6 7 8 9 11 12 13 14 15 16 18 20 21; do
  v=$(counter "$sched_out" $i)
  [ "${v:-0}" -gt 0 ] || fail "API group counter $i never took effect"
done
[ "$(counter "$sched_out" 10)" = 0 ] || fail "scxx_now() went backwards"
[ "$(counter "$sched_out" 17)" = 0 ] || fail "scxx_dsq_peek found a task in an empty DSQ"
[ "$(counter "$sched_out" 19)" = 0 ] || fail "scxx_task_cpu disagreed with scx_bpf_task_cpu"
wait_state disabled
echo PASS
