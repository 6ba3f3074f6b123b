#!/bin/sh
# Runs in the VM for tools/bench-samples, bench-upstream and bench-topology: ROUNDS times, for perf
# bench sched messaging and then pipe (or the benchmarks SCXX_BENCHES names), every configuration in turn, the order reversed every other round
# so that neither side of a pair always goes first. A configuration is NAME:COMMAND with the
# command's words separated by commas; it must attach a scheduler and run until SIGINT. NAME
# "default" runs the benchmark under the kernel's own scheduler. "@NCPUS@" in a command becomes
# the number of CPUs. Each scheduler gets SETTLE seconds after attaching before the benchmark.
# Prints "RESULT ROUND BENCH NAME SECONDS" per run, after each pipe run "PLACE ROUND pipe NAME SAME
# SAMPLES" (see pipe_placed) and, once per scheduler, "SIZE NAME XLATED JITED" (bytes of its
# struct_ops programs as the kernel holds them).
# usage: sched-bench-guest.sh ROUNDS SETTLE CONFIG...
. "$(dirname "$0")/../vm/lib.sh"
rounds=$1 settle=$2
shift 2
benches=${SCXX_BENCHES:-messaging pipe} # the ones bench() knows, in this order
ncpus=$(nproc)
# libbpf's own Kconfig lookup (what a plain libbpf loader such as the kernel's examples gets) reads
# /boot/config-RELEASE or /proc/config.gz; Debian's 7.x kernels, and this VM, keep the config in
# /usr/lib/modules/RELEASE/config only. Give the kernel's loaders the file in this VM's /boot.
release=$(uname -r)
if [ ! -f "/boot/config-$release" ] && [ -f "/usr/lib/modules/$release/config" ]; then
  mount -t tmpfs boot /boot && cp "/usr/lib/modules/$release/config" "/boot/config-$release" ||
    fail "cannot provide /boot/config-$release for the kernel's loaders"
fi

# CPU hogs, one per CPU, started and stopped around a loaded benchmark.
start_hogs() {
  hogs="" i=0
  while [ $i -lt "$ncpus" ]; do
    sh -c 'while :; do :; done' &
    hogs="$hogs $!" i=$((i + 1))
  done
}
stop_hogs() { kill $hogs; wait $hogs 2>/dev/null; }

# The seconds perf bench sched reports ("Total time: ... [sec]"); perf has no other output format.
perf_seconds() { sed -n 's/.*Total time: *\([0-9.]*\) \[sec\].*/\1/p'; }

# The 99th percentile of the wakeup latencies in cyclictest's JSON results (its histogram of
# microseconds, every thread's together; a thread's samples past the histogram, its cycles less
# the histogram's count, count as its maximum), in seconds.
p99_seconds() {
  python3 -c '
import json, re, sys
# cyclictest writes "nan" (not JSON) for the average of a thread that measured nothing.
text = re.sub(r":\s*-?nan\b", ": null", open(sys.argv[1]).read())
threads = json.loads(text)["thread"].values()
counts = {}
for t in threads:
    for us, n in t["histogram"].items():
        counts[int(us)] = counts.get(int(us), 0) + n
    past = t["cycles"] - sum(t["histogram"].values())
    if past > 0:
        counts[t["max"]] = counts.get(t["max"], 0) + past
total = sum(counts.values())
seen = 0
for us in sorted(counts):
    seen += counts[us]
    if seen >= 0.99 * total:
        print("%.6f" % (us / 1e6))
        break' "$1"
}

# Where the two tasks of a pipe run are, sampled every 0.1 s while it runs (no fork but sleep's:
# the shell's builtins read /proc): PLACE_SAME of PLACE_SAMPLES samples found both on one CPU. On
# two or more CPUs a pipe run either stacks both tasks on one CPU (the kernel's and scxx's idle
# selection put a synchronously woken task on its waker's CPU when its own is busy, and a stacked
# pair stays so) or splits them, and under TCG the two take very different times: comparing
# schedulers run by run compares that lottery.
cpu_of() { # CPU of task $1 (the 39th field of its stat; perf's comm has no spaces) into $cpu
  cpu=
  read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
  # shellcheck disable=SC2086 # the fields, split on spaces
  set -- $stat
  shift 38
  cpu=$1
}
pipe_placed() {
  log=$(mktemp)
  perf bench sched pipe -l 10000 >"$log" 2>&1 &
  perf_pid=$!
  PLACE_SAME=0 PLACE_SAMPLES=0 child=
  while kill -0 "$perf_pid" 2>/dev/null; do
    sleep 0.1
    [ -n "$child" ] || read -r child _ <"/proc/$perf_pid/task/$perf_pid/children" 2>/dev/null || continue
    cpu_of "$perf_pid" && a=$cpu && cpu_of "$child" || continue
    PLACE_SAMPLES=$((PLACE_SAMPLES + 1))
    [ "$a" != "$cpu" ] || PLACE_SAME=$((PLACE_SAME + 1))
  done
  wait "$perf_pid"
  t=$(perf_seconds <"$log")
  rm -f "$log"
}

# The time BENCH takes, in seconds (pipe: pipe_placed): "messaging", "pipe_pinned" (pipe with both tasks on
# CPU 0: every wakeup goes through the scheduler's enqueue and dispatch on one CPU, with none of the
# placement luck that splits 2-CPU pipe runs into a fast and a slow cluster), "pipe_threads" (pipe
# between two threads of one process: under TCG, two processes stacked on one CPU pay for the
# switch between their address spaces, two threads do not), "pipe_loaded" (a
# shorter pipe run while a CPU hog per CPU competes with it: how long a waking task waits for a CPU
# that is busy), or "wakeup_loaded" (not a run time: the 99th percentile of the wakeup latency of
# cyclictest's normal-priority threads, one per CPU waking every millisecond for 5 s, beside a CPU
# hog per CPU).
bench() {
  case $1 in
    messaging) perf bench sched messaging -g 2 -l 20 2>&1 | perf_seconds ;;
    pipe_pinned) taskset -c 0 perf bench sched pipe -l 10000 2>&1 | perf_seconds ;;
    pipe_threads) perf bench sched pipe -T -l 10000 2>&1 | perf_seconds ;;
    pipe_loaded)
      start_hogs
      perf bench sched pipe -l 500 2>&1 | perf_seconds
      stop_hogs
      ;;
    wakeup_loaded)
      start_hogs
      json=$(mktemp)
      cyclictest -q -t "$ncpus" -p 0 -i 1000 -D 5 -h 100000 --json="$json" >/dev/null 2>&1 &&
        p99_seconds "$json"
      stop_hogs
      rm -f "$json"
      ;;
  esac
}

bench_time() { t=$(bench "$1"); }

# Bytes of the attached scheduler's struct_ops programs: "XLATED JITED" (bpftool's JSON).
program_bytes() {
  bpftool -j prog show | python3 -c '
import json, sys
progs = [p for p in json.load(sys.stdin) if p.get("type") == "struct_ops"]
print(sum(p.get("bytes_xlated", 0) for p in progs), sum(p.get("bytes_jited", 0) for p in progs))'
}

# One run of BENCH under configuration $2 (NAME:COMMAND).
measure() {
  b=$1 name=${2%%:*} cmd=${2#*:}
  [ "$(cat $SCX/state)" = disabled ] || fail "sched_ext is not disabled before $name's $b run"
  if [ "$b" = pipe ]; then
    run=pipe_placed
  else
    run=bench_time
  fi
  if [ "$name" = default ]; then
    $run "$b"
  else
    sched_out=$(mktemp)
    # shellcheck disable=SC2086 # the command's words, split on commas
    (IFS=,; exec $(echo "$cmd" | sed "s/@NCPUS@/$ncpus/g")) >"$sched_out" 2>&1 &
    pid=$!
    wait_state enabled $pid
    sleep "$settle"
    $run "$b"
    case " $sized " in *" $name "*) ;; *) echo "SIZE $name $(program_bytes)"; sized="$sized $name" ;; esac
    kill -INT $pid
    wait $pid || fail "$name exited $? after the $b run"
    wait_state disabled
    rm -f "$sched_out"
  fi
  [ -n "$t" ] || fail "the $b benchmark gave no result under $name"
  echo "RESULT $r $b $name $t"
  [ "$run" != pipe_placed ] || echo "PLACE $r $b $name $PLACE_SAME $PLACE_SAMPLES"
}

sized=
r=0
while [ "$r" -lt "$rounds" ]; do
  r=$((r + 1))
  for b in $benches; do
    idx=1 step=1
    [ $((r % 2)) = 1 ] || { idx=$# step=-1; }
    while [ "$idx" -ge 1 ] && [ "$idx" -le $# ]; do
      eval "c=\${$idx}"
      measure "$b" "$c"
      idx=$((idx + step))
    done
  done
done
