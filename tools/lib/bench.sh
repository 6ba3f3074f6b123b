# Shared by the benchmark tools (sourced after common.sh, never executed).
# shellcheck shell=bash

# Runs "$@" in the build root (directly when already there).
scxx_in_root_run() { if scxx_in_root; then "$@"; else scxx_root_exec "$@"; fi; }

# Prints the path of the kernel's example scheduler NAME (tools/sched_ext/NAME of linux-source-7.3)
# built the kernel's way, with its own headers and C loader (tools/lib/build-upstream-example.sh),
# building it into the cache once: the reference the benchmarks compare scxx with.
scxx_upstream_reference() {
  local name=$1 dir=$SCXX_CACHE/upstream-reference/7.3
  if [[ ! -x $dir/$name ]]; then
    scxx_note "building the kernel's $name with its own headers and loader (linux-source-7.3, into $dir)"
    scxx_in_root_run "$SCXX_TOOLS_DIR/lib/build-upstream-example.sh" "$name" 7.3 "$dir" \
      "$SCXX_SOURCE_DIR/bpf_include/scxx/vmlinux" "$SCXX_UPSTREAM" >/dev/null
  fi
  echo "$dir/$name"
}

# Runs sched-bench-guest.sh ARGS... in one boot of KERNEL (a guest of CPU topology SPEC with
# --topology SPEC, else scxx-vm's default) and prints its RESULT and SIZE lines with the kernel in
# front ("KERNEL RESULT ..."). Dies with the end of the guest's output if it failed.
#   scxx_bench_boot KERNEL [--topology SPEC] ARGS...
scxx_bench_boot() {
  local kernel=$1 log vm_args=()
  shift
  if [[ ${1:-} == --topology ]]; then
    vm_args=(--topology "$2")
    shift 2
  fi
  log=$(mktemp)
  if ! "$SCXX_TOOLS_DIR/scxx-vm" -q --kernel "$kernel" "${vm_args[@]}" --timeout 1800 -- \
    "$SCXX_SOURCE_DIR/tests/bench/sched-bench-guest.sh" "$@" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    scxx_die "the benchmark failed on $kernel (its last lines above)"
  fi
  sed -n "s/^\(RESULT\|SIZE\) /$kernel \1 /p" "$log"
  rm -f "$log"
}

# Reads "KERNEL ROUND BENCH NAME SECONDS" lines (sched-bench-guest.sh's RESULT lines with the kernel
# in front) and, for each pair NUM=DEN of "$@", prints per kernel and benchmark:
#   KERNEL BENCH NUM DEN DEN_MEDIAN_S NUM_MEDIAN_S RATIO_MEDIAN RATIO_MIN RATIO_MAX ROUNDS
# where a ratio is NUM's time / DEN's time in the same round (paired: the same boot, one after the
# other).
scxx_paired_ratios() {
  awk -v pairs="$*" '
    function median(list, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (list[j] < list[i]) { t = list[i]; list[i] = list[j]; list[j] = t }
      return (n % 2) ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
    }
    { t[$1, $2, $3, $4] = $5; kb[$1 " " $3] = 1; if ($2 > maxr) maxr = $2 }
    END {
      np = split(pairs, p, " ")
      for (key in kb) {
        split(key, k, " ")
        for (i = 1; i <= np; i++) {
          split(p[i], nd, "=")
          n = 0
          for (r = 1; r <= maxr; r++) {
            if (!((k[1], r, k[2], nd[1]) in t) || !((k[1], r, k[2], nd[2]) in t)) continue
            n++; a = t[k[1], r, k[2], nd[1]]; b = t[k[1], r, k[2], nd[2]]
            ratio[n] = a / b; num[n] = a; den[n] = b
            if (n == 1 || ratio[n] < lo) lo = ratio[n]
            if (n == 1 || ratio[n] > hi) hi = ratio[n]
          }
          if (n) printf "%s %s %s %s %.3f %.3f %.2f %.2f %.2f %d\n", k[1], k[2], nd[1], nd[2], median(den, n), median(num, n), median(ratio, n), lo, hi, n
        }
      }
    }' | sort -k1,1V -k3,3 -k2,2
}
