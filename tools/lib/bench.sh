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
# --topology SPEC, else scxx-vm's default) and prints its RESULT, PLACE and SIZE lines with the kernel in
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
  sed -n "s/^\(RESULT\|SIZE\|PLACE\) /$kernel \1 /p" "$log"
  rm -f "$log"
}

# awk: median(list, n), the median of list[1..n] (sorts it).
scxx_awk_median='
  function median(list, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (list[j] < list[i]) { t = list[i]; list[i] = list[j]; list[j] = t }
    return (n % 2) ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
  }'

# Reads "KERNEL ROUND BENCH NAME SECONDS" lines (sched-bench-guest.sh's RESULT lines with the kernel
# in front) and, for each pair NUM=DEN of "$@", prints per kernel and benchmark:
#   KERNEL BENCH NUM DEN DEN_MEDIAN_S NUM_MEDIAN_S RATIO_MEDIAN RATIO_MIN RATIO_MAX ROUNDS
# where a ratio is NUM's time / DEN's time in the same round (paired: the same boot, one after the
# other).
scxx_paired_ratios() {
  awk -v pairs="$*" "$scxx_awk_median"'
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
          if (n) printf "%s %s %s %s %.4g %.4g %.2f %.2f %.2f %d\n", k[1], k[2], nd[1], nd[2], median(den, n), median(num, n), median(ratio, n), lo, hi, n
        }
      }
    }' | sort -k1,1V -k3,3 -k2,2
}

# Reads the same lines as scxx_paired_ratios and, for each pair NUM=DEN of "$@", splits the times of
# both schedulers of a kernel and benchmark into a fast and a slow cluster (the split of the sorted
# times with the least spread within the two groups: TCG runs fall in two speed clusters), and prints
#   KERNEL BENCH NUM DEN SPLIT_S FAST_MEDIAN_S SLOW_MEDIAN_S DEN_SLOW NUM_SLOW ROUNDS
# where DEN_SLOW and NUM_SLOW count each scheduler's rounds in the slow cluster: whether one build
# lands there more often than the other is what a paired median of few rounds cannot show.
scxx_speed_clusters() {
  awk -v pairs="$*" '
    function sort(list, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (list[j] < list[i]) { t = list[i]; list[i] = list[j]; list[j] = t }
    }
    function med(list, from, to,   n) {
      n = to - from + 1
      return (n % 2) ? list[from + (n - 1) / 2] : (list[from + n / 2 - 1] + list[from + n / 2]) / 2
    }
    { t[$1, $2, $3, $4] = $5; kb[$1 " " $3] = 1; if ($2 > maxr) maxr = $2 }
    END {
      np = split(pairs, p, " ")
      for (key in kb) {
        split(key, k, " ")
        for (i = 1; i <= np; i++) {
          split(p[i], nd, "=")
          n = 0; rounds = 0
          for (r = 1; r <= maxr; r++) {
            if (!((k[1], r, k[2], nd[1]) in t) || !((k[1], r, k[2], nd[2]) in t)) continue
            rounds++
            all[++n] = t[k[1], r, k[2], nd[1]]; all[++n] = t[k[1], r, k[2], nd[2]]
          }
          if (n < 4) continue
          sort(all, n)
          best = -1
          for (s = 1; s < n; s++) { # fast: all[1..s], slow: all[s+1..n]
            m1 = 0; for (j = 1; j <= s; j++) m1 += all[j]; m1 /= s
            m2 = 0; for (j = s + 1; j <= n; j++) m2 += all[j]; m2 /= n - s
            ss = 0
            for (j = 1; j <= s; j++) ss += (all[j] - m1) ^ 2
            for (j = s + 1; j <= n; j++) ss += (all[j] - m2) ^ 2
            if (best < 0 || ss < best) { best = ss; cut = s }
          }
          split_s = (all[cut] + all[cut + 1]) / 2
          slow_den = slow_num = 0
          for (r = 1; r <= maxr; r++) {
            if (!((k[1], r, k[2], nd[1]) in t) || !((k[1], r, k[2], nd[2]) in t)) continue
            if (t[k[1], r, k[2], nd[1]] > split_s) slow_num++
            if (t[k[1], r, k[2], nd[2]] > split_s) slow_den++
          }
          printf "%s %s %s %s %.3f %.3f %.3f %d %d %d\n", k[1], k[2], nd[1], nd[2], split_s, med(all, 1, cut), med(all, cut + 1, n), slow_den, slow_num, rounds
        }
      }
    }' | sort -k1,1V -k3,3 -k2,2
}

# Reads "KERNEL ROUND NAME SECONDS SAME SAMPLES" lines (a pipe run and where its two tasks were:
# sched-bench-guest.sh's PLACE, SAME of SAMPLES samples on one CPU) and prints per kernel and
# scheduler:
#   KERNEL NAME STACKED_RUNS STACKED_MEDIAN_S SPLIT_RUNS SPLIT_MEDIAN_S OTHER_RUNS
# stacked: the tasks shared a CPU in more than 2/3 of the samples; split: in fewer than 1/3; other:
# in between, or not sampled (a median of no runs is "-").
scxx_pipe_placements() {
  awk "$scxx_awk_median"'
    {
      key = $1 " " $3
      keys[key] = 1
      if ($6 > 0 && 3 * $5 > 2 * $6) stacked[key, ++ns[key]] = $4
      else if ($6 > 0 && 3 * $5 < $6) split_[key, ++np[key]] = $4
      else other[key]++
    }
    function med(arr, key, n,   i, list) {
      if (!n) return "-"
      for (i = 1; i <= n; i++) list[i] = arr[key, i]
      return sprintf("%.3f", median(list, n))
    }
    END {
      for (key in keys)
        printf "%s %d %s %d %s %d\n", key, ns[key], med(stacked, key, ns[key]), np[key], med(split_, key, np[key]), other[key]
    }' | sort -k1,1V -k2,2
}
