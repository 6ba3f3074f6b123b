#!/bin/sh
# The fault suite on a real kernel, with tests/faults/faults: every way the scheduler or the
# program's own code fails ends in a clean detach, a message saying what happened and exit 1, and
# sched_ext disabled afterwards. usage: faults.sh PATH_TO_FAULTS
. "$(dirname "$0")/../vm/lib.sh"
bin=$1
sched_out=$(mktemp)

# run_fault NAME WANT_STATUS ARGS...: runs faults with ARGS to its end; checks its status and
# that sched_ext is disabled afterwards.
run_fault() {
  name=$1 want=$2
  shift 2
  timeout 60 "$bin" "$@" >"$sched_out" 2>&1
  got=$?
  no_sanitizer_report "$sched_out" "$name"
  [ $got = "$want" ] || fail "$name: faults $* exited $got, expected $want"
  wait_state disabled
  echo "ok: $name"
}
has() {
  grep -q -- "$1" "$sched_out" || fail "$2: the output lacks /$1/"
}

# ops.init fails: the attach succeeds, the kernel unregisters it at once.
run_fault "ejected while enabling" 1 --fail-init --duration 10
has "^faults: attached, but the kernel stopped the scheduler as it was enabled; the exit below says why" "fail-init"
has '^exit: kind=ERROR (1024) .*ops.init() failed (-12' "fail-init"
grep -q "state=disabled" "$sched_out" && fail "fail-init: printed the state as if attached"

# The watchdog: one process's tasks are never run; after the timeout the kernel ejects the scheduler.
(while :; do :; done) &
victim=$!
run_fault "watchdog stall" 1 --stall-pid $victim --timeout 1 --duration 30
kill $victim
has '^exit: kind=ERROR_STALL (1026)' "stall"
has 'runnable task stall' "stall"
stalled=$(counter "$sched_out" stalled)
[ "${stalled:-0}" -gt 0 ] || fail "stall: the victim's tasks never reached the stalling queue"

# The program's own callbacks throw: before load, once attached, while printing counters.
run_fault "configure throws" 1 --throw-in configure
has "^faults: stopped: the scheduler's code threw std::runtime_error: injected in configure" "configure"
run_fault "on_attach throws" 1 --throw-in attach --duration 10
has "^faults: stopped: the scheduler's code threw std::runtime_error: injected in attach" "attach"
run_fault "print_stats throws" 1 --throw-in stats --stats 0.2 --duration 10
has "^faults: stopped: the scheduler's code threw std::runtime_error: injected in stats" "stats"
grep -q "terminate called" "$sched_out" && fail "an exception reached std::terminate"

# Two threads attach at once.
timeout 120 "$bin" race >"$sched_out" 2>&1 || fail "race: $(cat "$sched_out")"
no_sanitizer_report "$sched_out" race
cat "$sched_out"
wait_state disabled
echo PASS
