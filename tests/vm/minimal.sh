#!/bin/sh
# samples/minimal attaches, schedules a real workload (hackbench), and detaches cleanly: once in
# vtime mode stopped by SIGINT, once in fifo mode stopped by SIGTERM. tools/demo shows this run.
# usage: minimal.sh PATH_TO_MINIMAL
. "$(dirname "$0")/lib.sh"
bin=$1
sched_out=$(mktemp)
echo "kernel: $(uname -r)"

run_round() {
  sig=$1 mode=$2
  shift 2
  tag="[$mode, stopped by SIG$sig]"
  [ "$(cat $SCX/state)" = disabled ] || fail "state before attach is '$(cat $SCX/state)'"
  "$bin" --stats 0.2 "$@" >"$sched_out" 2>&1 &
  pid=$!
  wait_state enabled $pid
  ops=$(cat $SCX/root/ops)
  echo "$tag attached: state=$(cat $SCX/state) root/ops=$ops"
  [ "$ops" = minimal ] || fail "root/ops is '$ops', expected 'minimal'"
  sleep 0.5
  before=$(( $(counter "$sched_out" enqueued) + $(counter "$sched_out" direct) ))

  # The workload first proves it runs in the sched_ext class: 2 groups of 20 senders and 20
  # receivers passing 100 messages each.
  echo "$tag workload: hackbench -g 2 -l 100"
  sh -c 'grep -Eq "^ext\.enabled +: +1" /proc/self/sched || { echo "the workload is not in the sched_ext class"; exit 9; }
         exec hackbench -g 2 -l 100' >/dev/null 2>&1 || fail "the workload failed under minimal (exit $?)"

  kill -"$sig" $pid
  wait $pid
  rc=$?
  [ $rc = 0 ] || fail "minimal exited $rc after SIG$sig"
  echo "$tag $(grep '^counters:' "$sched_out" | tail -n 1)"
  echo "$tag $(grep '^exit:' "$sched_out")"
  echo "$tag detached: state=$(cat $SCX/state)"
  [ "$(cat $SCX/state)" = disabled ] || fail "state after detach is '$(cat $SCX/state)'"
  grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "exit kind is not UNREG"
  after=$(( $(counter "$sched_out" enqueued) + $(counter "$sched_out" direct) ))
  echo "$tag $((after - before)) scheduling decisions during the workload"
  # The workload takes over a thousand decisions here; the idle guest makes a few dozen a second.
  [ $((after - before)) -ge 500 ] || fail "only $((after - before)) scheduling decisions during the workload"
  [ "$(counter "$sched_out" dispatched)" -ge 1 ] || fail "nothing was dispatched from the shared queue"
}

run_round INT vtime
run_round TERM fifo --fifo
echo PASS
