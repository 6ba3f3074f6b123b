#!/bin/sh
# samples/qmap: the queue a task lands in follows its priority. Three CPU hogs at nice 15, 0 and -10
# must be queued in queues 0, 2 and 4. usage: qmap.sh PATH_TO_QMAP
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
nice -n 15 sh -c 'while :; do :; done' &
low=$!
sh -c 'while :; do :; done' &
mid=$!
nice -n -10 sh -c 'while :; do :; done' &
high=$!
"$1" --stats 0.5 --task $low --task $mid --task $high >"$sched_out" 2>&1 &
pid=$!
wait_state enabled $pid
sleep 3
kill -INT $pid
wait $pid || fail "qmap exited $?"
kill $low $mid $high
cat "$sched_out"
grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "qmap did not end with UNREG"
check_queue() { # PID NICE QUEUE
  line=$(grep "^task $1: " "$sched_out" | tail -n 1)
  echo "$line" | grep -q "queue=$3 enqueues=[1-9]" || fail "the nice $2 hog ($1) is not in queue $3: '$line'"
  echo "nice $2 -> $line"
}
check_queue $low 15 0
check_queue $mid 0 2
check_queue $high -10 4
echo PASS
