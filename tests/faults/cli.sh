#!/bin/bash
# scxx::Cli as every sample shows it: --help lists the shared options and the sample's own and
# exits 0, --help-stats describes its stats; a bad argument or value says what was wrong, prints the usage and exits 2 (no kernel
# needed: nothing is opened). usage: cli.sh SAMPLE_BINARY...
set -u
source "$(dirname "$0")/../lib/expect.sh"
for bin in "$@"; do
  name=$(basename "$bin")
  expect "$name --help lists the shared options" 0 \
    "^usage: $name \[options\]" -- "$bin" --help
  for opt in '--stats \[SECONDS\]' '--duration SECONDS' '-v, --verbose' '--version' '-h, --help'; do
    grep -Eq -- "^  $opt " "$expect_out" || { echo "FAIL: $name --help lacks $opt"; failures=$((failures + 1)); }
  done
  expect "$name refuses an unknown argument" 2 "^$name: unknown argument '--bogus'" -- "$bin" --bogus
  expect "$name --version names scxx and libbpf" 0 "^$name \(scxx [0-9]+\.[0-9]+\.[0-9]+, libbpf v?[0-9.]+\)$" -- \
    "$bin" --version
  range='needs 0.001 to 31536000 seconds'
  # Values a float-to-integer cast would have turned into "run forever" (or undefined behaviour).
  for bad in soon nan inf 2s; do
    expect "$name refuses --duration $bad" 2 "^$name: --duration: '$bad' is not a number of seconds: $range" -- \
      "$bin" --duration "$bad"
  done
  for bad in 0.0001 0 -1 1e9999 1e20; do
    expect "$name refuses --duration $bad" 2 "^$name: --duration: '$bad' is out of range: $range" -- \
      "$bin" --duration "$bad"
  done
  expect "$name refuses --stats 1e300" 2 "^$name: --stats: '1e300' is out of range: $range" -- "$bin" --stats 1e300
  expect "$name refuses --stats abc as a value" 2 "^$name: --stats: 'abc' is not a number of seconds" -- \
    "$bin" --stats abc
  expect "$name refuses --stats=abc" 2 "^$name: --stats: 'abc' is not a number of seconds" -- "$bin" --stats=abc
  expect "$name needs a --duration value" 2 "^$name: --duration needs SECONDS" -- "$bin" --duration
  expect "$name refuses a value for a switch" 2 "^$name: --verbose takes no value" -- "$bin" --verbose=1
  expect "$name takes no operands" 2 "^$name: unexpected argument 'sleep': $name takes no operands" -- \
    "$bin" -- sleep
  expect "$name refuses a stray word" 2 "^$name: unexpected argument 'sleep'\$" -- "$bin" sleep
  # Every sample describes its stats: --help-stats lists them (kind, Prometheus metric, description).
  expect "$name --help-stats describes its stats" 0 "^$name's stats \(a counter only grows" -- "$bin" --help-stats
  grep -Eq '^  [a-z_]+ +(counter|gauge)( by [a-z_]+)? +scx_[a-z0-9_]+ +[^ ]' "$expect_out" ||
    { echo "FAIL: $name --help-stats lists no stat"; failures=$((failures + 1)); }
done
# --topology: the machine as scxx::Topology reads /sys (no kernel support needed).
expect "minimal --topology prints the CPUs, cores, LLCs and nodes" 0 \
  "^[0-9]+ possible CPUs \($(getconf _NPROCESSORS_ONLN) online: .*\), [0-9]+ cores.*, [0-9]+ LLCs, [0-9]+ NUMA nodes$" -- \
  "$1" --topology
grep -Eq '^  core 0 \(package [0-9]+\): CPUs ' "$expect_out" || { echo "FAIL: --topology lists no core"; failures=$((failures + 1)); }
# What each sample's stats are, as declared once (its header, or StatInfo in its loader).
expect "simple --help-stats: the BPF stats and the kernel's events" 0 \
  '^  kernel_events +counter by event +scx_kernel_events_total +sched_ext' -- "${1%/*}/../simple/simple" --help-stats
grep -Eq '^  enqueued +counter +scx_enqueued_total +tasks queued on the shared queue$' "$expect_out" ||
  { echo "FAIL: simple --help-stats lacks enqueued"; failures=$((failures + 1)); }
expect "central --help-stats: decisions per CPU" 0 '^  decisions +counter by cpu +scx_decisions_total ' -- \
  "${1%/*}/../central/central" --help-stats
expect "percpu --help-stats: each CPU's queue length, from userspace" 0 '^  queued +gauge by cpu +scx_queued +tasks waiting' -- \
  "${1%/*}/../percpu/percpu" --help-stats
expect "qmap --help-stats: per priority queue" 0 '^  queue_enqueued +counter by queue +scx_queue_enqueued_total ' -- \
  "${1%/*}/../qmap/qmap" --help-stats
expect "user_fifo --help-stats: both sides' numbers" 0 '^  latency_us +gauge +scx_latency_us +microseconds' -- \
  "${1%/*}/../user_fifo/user_fifo" --help-stats
grep -Eq '^  fallback +counter +scx_fallback_total ' "$expect_out" ||
  { echo "FAIL: user_fifo --help-stats lacks the BPF side's fallback"; failures=$((failures + 1)); }
expect "simple documents --fifo" 0 '^  --fifo +first come, first served' -- "${1%/*}/../simple/simple" --help
expect "qmap refuses a bad --task" 2 "^qmap: --task: 'zero' is not a whole number: needs 1 to 4194304" -- \
  "${1%/*}/../qmap/qmap" --task zero
expect "qmap refuses a bad --fail-after" 2 "^qmap: --fail-after: 'nan' is not a number of seconds" -- \
  "${1%/*}/../qmap/qmap" --fail-after nan
expect "central refuses a CPU that does not exist" 2 "^central: --central: '4096' is out of range: needs 0 to [0-9]+" -- \
  "${1%/*}/../central/central" --central 4096
expect "central refuses a slice with a unit" 2 "^central: --slice-us: '20ms' is not a whole number" -- \
  "${1%/*}/../central/central" --slice-us 20ms
for bin in "${1%/*}/../user_fifo/user_fifo" "${1%/*}/../user_vtime/user_vtime"; do
  name=$(basename "$bin")
  expect "$name documents --batch" 0 '^  --batch N +decisions sent to the kernel at once \(default 8\)' -- "$bin" --help
  expect "$name refuses a batch of 0" 2 "^$name: --batch: '0' is out of range: needs 1 to 4096" -- "$bin" --batch 0
  expect "$name refuses a batch of 8abc" 2 "^$name: --batch: '8abc' is not a whole number: needs 1 to 4096" -- \
    "$bin" --batch=8abc
  expect "$name refuses a fallback of 0 ms" 2 "^$name: --fallback-ms: '0' is out of range: needs 1 to 10000" -- \
    "$bin" --fallback-ms 0
done
expect_summary cli
