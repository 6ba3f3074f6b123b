# Helpers for the guest-side test scripts (POSIX sh; sourced).
SCX=/sys/kernel/sched_ext

fail() {
  echo "FAIL: $*"
  if [ -n "${sched_out:-}" ] && [ -f "$sched_out" ]; then
    echo "--- scheduler output:"
    cat "$sched_out"
  fi
  exit 1
}

# Waits (up to 20 s) until /sys/kernel/sched_ext/state reads $1; $2 is a PID that must stay alive.
wait_state() {
  i=0
  while [ "$(cat $SCX/state)" != "$1" ]; do
    i=$((i + 1))
    [ $i -le 200 ] || fail "sched_ext state is '$(cat $SCX/state)', not '$1', after 20 s"
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then
      fail "the scheduler process exited while waiting for state '$1'"
    fi
    sleep 0.1
  done
}

# Waits (up to 30 s) until file $1 has a line matching the basic regex $2, while PID $3 stays alive;
# then until sched_ext is enabled again. $4 says what was awaited, for the failure message.
wait_output() {
  i=0
  until grep -q "$2" "$1"; do
    i=$((i + 1))
    [ $i -le 300 ] || fail "$4: not seen within 30 s"
    kill -0 "$3" 2>/dev/null || fail "$4: the scheduler process exited first"
    sleep 0.1
  done
  wait_state enabled "$3"
}

# Waits up to 30 s for process $1 to end (it must end by itself); fails saying $2 otherwise,
# after stopping it with SIGTERM.
wait_exit() {
  i=0
  while kill -0 "$1" 2>/dev/null; do
    i=$((i + 1))
    [ $i -le 300 ] || { kill -TERM "$1"; fail "$2: still running after 30 s"; }
    sleep 0.1
  done
}

# Prints counter $2 as a program last showed it in file $1: from its last "counters:" line, or
# from the last stats table scxx::run_main printed (rows "  NAME  VALUE  [RATE]  DESCRIPTION").
counter() {
  if grep -q '^counters:' "$1"; then
    grep '^counters:' "$1" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
  else
    awk -v n="$2" '/^  [a-z]/ && $1 == n { v = $2 } END { if (v != "") print v }' "$1"
  fi
}

# Succeeds if a BPF program named $1 is loaded.
prog_loaded() {
  bpftool prog show name "$1" 2>/dev/null | grep -q "name $1"
}

# Fails if file $1 (a program's output) has a sanitizer's report (the sanitized builds' tests).
no_sanitizer_report() {
  if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error: ' "$1"; then
    fail "$2: a sanitizer reported an error: $(grep -E -m 3 'Sanitizer|runtime error: ' "$1")"
  fi
}

# Prints the CPUs sharing CPU $1's last-level cache (its highest data or unified cache), as sysfs lists them.
llc_cpus() {
  best=0 list=""
  for d in /sys/devices/system/cpu/cpu$1/cache/index*; do
    [ "$(cat "$d/type")" = Instruction ] && continue
    level=$(cat "$d/level")
    [ "$level" -gt "$best" ] && best=$level list=$(cat "$d/shared_cpu_list")
  done
  echo "$list"
}
