#!/bin/sh
# A sample scheduler attaches, schedules a real workload (hackbench), and detaches cleanly, once per
# ROUND: SIG:LABEL[:ARGS] stops the run started with ARGS by signal SIG. tools/demo shows this run.
# The ops name must be the binary's name; its stats (run_main's table, SCXX_STATS) must
# have enqueued (and may have direct and dispatched).
# usage: sample.sh PATH_TO_SAMPLE ROUND...     e.g. sample.sh simple INT:vtime TERM:fifo:--fifo
. "$(dirname "$0")/lib.sh"
bin=$1
name=$(basename "$bin")
shift
sched_out=$(mktemp)
echo "kernel: $(uname -r)"

decisions() {
  echo $(( $(counter "$sched_out" enqueued) + $(counter "$sched_out" direct) + 0 ))
}

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
  [ "$ops" = "$name" ] || fail "root/ops is '$ops', expected '$name'"
  sleep 0.5
  before=$(decisions)

  # The workload first proves it runs in the sched_ext class: 2 groups of 20 senders and 20
  # receivers passing 100 messages each.
  echo "$tag workload: hackbench -g 2 -l 100"
  sh -c 'grep -Eq "^ext\.enabled +: +1" /proc/self/sched || { echo "the workload is not in the sched_ext class"; exit 9; }
         exec hackbench -g 2 -l 100' >/dev/null 2>&1 || fail "the workload failed under $name (exit $?)"

  kill -"$sig" $pid
  wait $pid
  rc=$?
  no_sanitizer_report "$sched_out" "$name"
  [ $rc = 0 ] || fail "$name exited $rc after SIG$sig"
  echo "$tag enqueued=$(counter "$sched_out" enqueued) direct=$(counter "$sched_out" direct) dispatched=$(counter "$sched_out" dispatched)"
  echo "$tag $(grep '^exit:' "$sched_out")"
  echo "$tag detached: state=$(cat $SCX/state)"
  [ "$(cat $SCX/state)" = disabled ] || fail "state after detach is '$(cat $SCX/state)'"
  grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "exit kind is not UNREG"
  after=$(decisions)
  echo "$tag $((after - before)) scheduling decisions during the workload"
  # The workload takes over a thousand decisions here; the idle guest makes a few dozen a second.
  [ $((after - before)) -ge 500 ] || fail "only $((after - before)) scheduling decisions during the workload"
  if [ -n "$(counter "$sched_out" dispatched)" ]; then
    [ "$(counter "$sched_out" dispatched)" -ge 1 ] || fail "nothing was dispatched"
  fi
}

for round in "$@"; do
  sig=${round%%:*} rest=${round#*:}
  label=${rest%%:*} args=
  [ "$rest" = "$label" ] || args=${rest#*:}
  # shellcheck disable=SC2086 # ARGS are words
  run_round "$sig" "$label" $args
done
[ $# -gt 0 ] || fail "no ROUND given"
echo PASS
