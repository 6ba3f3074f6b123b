#!/bin/sh
# Runs in the VM for tools/bench-userspace: ROUNDS times, for each workload, every scheduler in
# turn, the order reversed every other round so that none always goes first. Workloads: "yieldN"
# (N processes calling sched_yield() for 3 s, stress-ng --yield N: every yield is a decision, so
# the scheduler, not the workload, sets the pace), "pipe" (perf bench sched pipe -l 2000) and
# "messaging" (perf bench sched messaging -g 1 -l 10). Prints, per run,
#   "RESULT WORKLOAD LABEL ROUND WALL_SECONDS DECISIONS PROCESS_CPU_SECONDS BPF_SECONDS
#    WAITS WAIT_P50_US WAIT_P90_US WAIT_P99_US BUSIEST_CPU_SHARE"
# where DECISIONS is the scheduler's own counter read from its BPF map right before and right
# after the workload (the same window as the times), PROCESS_CPU the scheduler process's CPU time,
# BPF the run time of the scheduler's BPF programs in that window, and WAITS the times a task
# (not the scheduler's own) went from runnable to running in it, with their median, 90th and 99th
# percentile in microseconds (the tracer RUNQ_WAIT_OBJ, tests/bench/runq_wait.bpf.c), and
# BUSIEST_CPU_SHARE the busiest CPU's share of all context switches in it (1/NR_CPUS: spread
# evenly; 1: all on one CPU).
# usage: userspace-guest.sh ROUNDS "WORKLOAD..." RUNQ_WAIT_OBJ LABEL:MAP/FIELD:COMMAND[,ARG...]...
#   MAP/FIELD: the decision counter, FIELD of BPF map MAP summed over its (per-CPU) values; "value"
#   for a map of plain counters.
. "$(dirname "$0")/../vm/lib.sh"
rounds=$1 workloads=$2 tracer=$3
shift 3
echo 1 >/proc/sys/kernel/bpf_stats_enabled || fail "cannot enable BPF run-time statistics"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || fail "cannot mount the BPF filesystem"
bpftool prog loadall "$tracer" /sys/fs/bpf/runq_wait autoattach || fail "cannot load the wait tracer $tracer"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
bpf_ns() {
  bpftool -j prog show | python3 -c '
import json, sys
print(sum(p.get("run_time_ns", 0) for p in json.load(sys.stdin) if not p.get("name", "").startswith("runq_wait")))'
}
# The wait histogram, summed over the CPUs: "BUCKET COUNT" lines.
waits() {
  bpftool -j map dump name runq_wait_hist | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    e = e.get("formatted", e)
    n = sum(v["value"] for v in e["values"])
    if n:
        print(e["key"], n)'
}
# The waits between two histograms (files): count, then the median, 90th and 99th percentile in
# microseconds (each the middle of its bucket; see runq_wait.bpf.c for the buckets).
wait_stats() {
  python3 -c '
import sys
def load(f):
    return {int(k): int(v) for k, v in (l.split() for l in open(f))}
a, b = load(sys.argv[1]), load(sys.argv[2])
d = sorted((k, b[k] - a.get(k, 0)) for k in b if b[k] > a.get(k, 0))
def us(k):
    if k < 256:
        return k + 0.5
    l, sub = 8 + (k - 256) // 32, (k - 256) % 32
    return (32 + sub + 0.5) * 2 ** (l - 5)
total = sum(n for _, n in d)
out = [str(total)]
for q in (0.5, 0.9, 0.99):
    seen, v = 0, 0
    for k, n in d:
        seen += n
        if seen >= q * total:
            v = us(k)
            break
    out.append("%.1f" % v)
print(" ".join(out))' "$1" "$2"
}
# PID as the four bytes of a little-endian s32, for bpftool map update.
le32() {
  printf '%d %d %d %d' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}
# FIELD summed over every value of BPF map MAP (each CPU's copy of a per-CPU map; each variable of a
# data section), from bpftool's JSON with BTF ("formatted").
map_count() {
  bpftool -j map dump name "$1" | python3 -c '
import json, sys
field, total = sys.argv[1], 0
def walk(o):
    global total
    if isinstance(o, dict):
        for k, v in o.items():
            if k == field and isinstance(v, int):
                total += v
            else:
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
for entry in json.load(sys.stdin):
    walk(entry.get("formatted", {}))
print(total)' "$2"
}
# Context switches per CPU so far, one number per CPU on one line.
switches() {
  bpftool -j map dump name runq_wait_sw | python3 -c '
import json, sys
e = json.load(sys.stdin)[0]
e = e.get("formatted", e)
print(" ".join(str(v["value"]) for v in e["values"]))'
}
# The busiest CPU's share of the switches between two switches() lines; fails if none were counted.
busiest_share() {
  python3 -c '
import sys
d = [int(b) - int(a) for a, b in zip(sys.argv[1].split(), sys.argv[2].split())]
if not d or sum(d) <= 0:
    sys.exit("no context switches counted")
print("%.3f" % (max(d) / sum(d)))' "$1" "$2"
}
now() { date +%s.%N; }
workload() {
  case $1 in
    yield*) stress-ng --yield "${1#yield}" --timeout 3 >/dev/null 2>&1 ;;
    pipe) perf bench sched pipe -l 2000 >/dev/null 2>&1 ;;
    messaging) perf bench sched messaging -g 1 -l 10 >/dev/null 2>&1 ;;
    *) fail "unknown workload $1" ;;
  esac
}

run() {
  label=$1 counter=$2 cmd=$3 round=$4 w=$5
  map=${counter%/*} field=${counter#*/}
  out=$(mktemp)
  # shellcheck disable=SC2046 # the command's words
  $(echo "$cmd" | tr ',' ' ') >"$out" 2>&1 &
  pid=$!
  wait_state enabled $pid
  # shellcheck disable=SC2046 # four bytes
  bpftool map update name runq_wait_skip key 0 0 0 0 value $(le32 $pid) || fail "cannot set the tracer's skip"
  sleep 1
  waits >"$out.w0"
  s0=$(switches)
  d0=$(map_count "$map" "$field") c0=$(ticks $pid) b0=$(bpf_ns) t0=$(now)
  workload "$w" || fail "the workload $w failed under $label"
  t1=$(now) d1=$(map_count "$map" "$field") c1=$(ticks $pid) b1=$(bpf_ns)
  s1=$(switches)
  share=$(busiest_share "$s0" "$s1") || fail "$label: cannot count context switches per CPU (runq_wait_sw)"
  waits >"$out.w1"
  kill -INT $pid
  wait $pid
  wait_state disabled
  [ "$d1" -gt "$d0" ] || { cat "$out"; fail "$label: its counter $counter did not move ($d0, then $d1)"; }
  awk -v w="$w" -v l="$label" -v r="$round" -v t0="$t0" -v t1="$t1" -v d=$((d1 - d0)) -v c=$((c1 - c0)) -v b=$((b1 - b0)) \
    -v waits="$(wait_stats "$out.w0" "$out.w1")" -v share="$share" \
    'BEGIN { printf "RESULT %s %s %d %.3f %d %.2f %.4f %s %s\n", w, l, r, t1 - t0, d, c / 100, b / 1e9, waits, share }'
  rm -f "$out" "$out.w0" "$out.w1"
}

r=0
while [ $r -lt "$rounds" ]; do
  r=$((r + 1))
  order=""
  for spec in "$@"; do
    if [ $((r % 2)) = 1 ]; then order="$order $spec"; else order="$spec $order"; fi
  done
  for w in $workloads; do
    for spec in $order; do
      label=${spec%%:*} rest=${spec#*:}
      run "$label" "${rest%%:*}" "${rest#*:}" $r "$w"
    done
  done
done
