#!/bin/sh
# samples/qmap: the queue a task lands in follows its priority. Three CPU hogs at nice 15, 0 and -10
# must be queued in queues 0, 2 and 4, in the per-task and per-queue stats alike. usage: qmap.sh PATH_TO_QMAP
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
  queue=$(counter "$sched_out" "task_queue{pid=$1}") enqueues=$(counter "$sched_out" "task_enqueues{pid=$1}")
  [ "$queue" = "$3" ] && [ "${enqueues:-0}" -gt 0 ] ||
    fail "the nice $2 hog ($1) is not in queue $3: queue '$queue', $enqueues enqueues"
  echo "nice $2 -> queue $queue, $enqueues enqueues"
}
check_queue $low 15 0
check_queue $mid 0 2
check_queue $high -10 4
# The per-queue breakdown agrees: the hogs' queues saw enqueues.
for q in 0 2 4; do
  n=$(counter "$sched_out" "queue_enqueued{queue=$q}")
  [ "${n:-0}" -gt 0 ] || fail "queue $q shows no enqueues in the per-queue stats: '$n'"
done
echo PASS
