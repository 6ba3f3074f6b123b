#!/bin/sh
# A userspace-policy scheduler (scxx::userspace) under real load on a real kernel:
#  1. hackbench and CPU hogs complete under it; its counters agree: every task BPF sent reached
#     the policy, and each was placed by a decision, by the fallback, or left while waiting (CPU
#     hogs whose affinity keeps changing leave while they wait: ops.dequeue settles their wait);
#  2. with the policy stopped (SIGSTOP) the machine keeps running: the tasks it waited on fall
#     back, later ones bypass it; the scheduler stays attached; once continued the SDK reports it;
#  3. SIGINT detaches it with UNREG; a SIGKILLed policy is detached by the kernel;
#  4. with no work its loop yields and BPF holds (parks) its thread, rarely leaving it to poll,
#     and the parked loop still wakes for its reports on an idle machine.
# usage: userspace.sh PATH_TO_SCHEDULER
. "$(dirname "$0")/../vm/lib.sh"
bin=$1
name=$(basename "$bin")
out=$(mktemp)
sched_out=$out # fail() shows it

"$bin" --stats 0.5 --fallback-ms 50 >"$out" 2>&1 &
pid=$!
wait_state enabled $pid
# The samples want no stopped or cpu_idle events: those callbacks are left out (not even loaded).
for prog in scxx_us_stopping scxx_us_update_idle; do
  ! prog_loaded $prog || fail "$prog is loaded for a policy that wants no events"
done
sh -c 'grep -Eq "^ext\.enabled +: +1" /proc/self/sched && exec hackbench -g 2 -l 100' >/dev/null 2>&1 \
  || fail "hackbench failed (or ran outside sched_ext) under $name"
stress-ng --cpu 3 --timeout 2 >/dev/null 2>&1 || fail "stress-ng failed under $name"
python3 - <<'EOF' || fail "the CPU hogs whose affinity changed did not all finish under $name"
import os, time
hogs = []
for _ in range(4 * os.cpu_count()):
    pid = os.fork()
    if pid == 0:
        end = time.monotonic() + 2
        while time.monotonic() < end:
            pass
        os._exit(0)
    hogs.append(pid)
cpus = sorted(os.sched_getaffinity(0))
end, i = time.monotonic() + 2, 0
while time.monotonic() < end:
    for pid in hogs:
        try:
            os.sched_setaffinity(pid, {cpus[i % len(cpus)]})
        except ProcessLookupError:
            pass
    i += 1
for pid in hogs:
    if os.waitpid(pid, 0)[1] != 0:
        raise SystemExit(f"hog {pid} failed")
EOF
# Idle, the parked loop runs when its next report is due (--stats 0.5): 3 or more in 2 s.
reports() { grep -c '^  sleeps ' "$out"; }
before=$(reports)
sleep 2
[ $(($(reports) - before)) -ge 3 ] \
  || fail "$(($(reports) - before)) stats reports in 2 idle seconds, not one every 0.5 s: the parked loop did not wake on time"

kill -STOP $pid
start=$(date +%s)
stress-ng --cpu 2 --timeout 1 >/dev/null 2>&1 || fail "stress-ng failed while the policy was stopped"
for i in 1 2 3 4 5; do sleep 0.1; done
echo "ran CPU hogs and 5 sleeps with the policy stopped in $(($(date +%s) - start)) s"
[ "$(cat $SCX/state)" = enabled ] || fail "the scheduler was ejected while its policy was stopped"
kill -CONT $pid
wait_output "$out" "the policy did not run for" $pid "the SDK's report of the pause"
sleep 1
kill -INT $pid
# A hang is a failure with the policy's output, not a VM timeout without any.
wait_exit $pid "$name did not end after SIGINT"
wait $pid || fail "$name exited $?"
cat "$out"
grep -q '^exit: kind=UNREG (64)' "$out" || fail "$name did not end with UNREG"
wait_state disabled

enqueued=$(counter "$out" enqueued) received=$(counter "$out" received) decided=$(counter "$out" decided)
dispatched=$(counter "$out" dispatched) fallback=$(counter "$out" fallback) dequeued=$(counter "$out" dequeued)
waiting=$(counter "$out" waiting)
echo "enqueued=$enqueued received=$received decided=$decided dispatched=$dispatched fallback=$fallback dequeued=$dequeued waiting=$waiting"
[ "$enqueued" -ge 1000 ] || fail "only $enqueued tasks went through the policy"
[ "$received" = "$enqueued" ] || fail "BPF sent $enqueued tasks, the policy received $received"
[ $((dispatched + fallback + dequeued + waiting)) = "$enqueued" ] \
  || fail "placed $dispatched + fell back $fallback + left $dequeued + waiting $waiting != sent $enqueued"
[ "$dispatched" -le "$decided" ] || fail "BPF applied $dispatched decisions, the policy made only $decided"
[ "$dequeued" -gt 0 ] || fail "no task left while waiting, though CPU hogs had their affinity changed over and over"
[ "$fallback" -gt 0 ] || fail "no task fell back while the policy was stopped"
[ "$(counter "$out" bypassed)" -gt 0 ] || fail "no task bypassed the stopped policy"
parked=$(counter "$out" parked) polls=$(counter "$out" polls)
echo "sleeps=$(counter "$out" sleeps) parked=$parked polls=$polls"
[ "$parked" -gt 0 ] || fail "BPF never parked the policy's loop"
# It polls only when BPF saw records it could not yet read, four yields in a row: rarely.
[ $((polls * 20)) -le "$parked" ] || fail "the loop waited in poll $polls times, parked $parked: BPF does not park it"

"$bin" >"$out" 2>&1 &
pid=$!
wait_state enabled $pid
kill -KILL $pid
wait $pid
wait_state disabled
dmesg | grep -q "sched_ext: BPF scheduler \"$name\" disabled (unregistered from user space)" \
  || fail "the kernel did not log detaching the killed scheduler"
hackbench -g 1 -l 50 >/dev/null || fail "hackbench failed after the policy was killed"
echo "SIGKILL: the kernel detached $name; the default scheduler runs"
echo PASS
