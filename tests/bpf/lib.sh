# Guest-side helpers of the BPF API tests (POSIX sh; sourced after tests/vm/lib.sh).

# Runs LOADER in the background, waits until the scheduler named OPS is the system's, runs
# hackbench under it, stops it with SIGINT and leaves its output in $sched_out.
run_with_workload() {
  loader=$1 ops=$2
  "$loader" 60 >"$sched_out" 2>&1 &
  pid=$!
  wait_state enabled $pid
  [ "$(cat $SCX/root/ops)" = "$ops" ] || fail "root/ops is '$(cat $SCX/root/ops)', expected '$ops'"
  hackbench -g 2 -l 50 >/dev/null 2>&1 || fail "the workload failed under $ops"
  kill -INT $pid
  wait $pid || fail "the loader exited $?"
  cat "$sched_out"
  grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "exit kind is not UNREG"
  wait_state disabled
}

# expect_counter INDEX OP VALUE: the loader's counter INDEX compares (gt, eq) with VALUE.
expect_counter() {
  v=$(counter "$sched_out" "$1")
  [ -n "$v" ] || fail "no counter $1 in the output"
  [ "$v" -"$2" "$3" ] || fail "counter $1 is $v, expected -$2 $3"
}
