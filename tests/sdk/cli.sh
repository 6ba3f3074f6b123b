#!/bin/bash
# scxx::Cli as every sample shows it: --help lists the shared options and the sample's own and
# exits 0; a bad argument or value says what was wrong, prints the usage and exits 2 (no kernel
# needed: nothing is opened). usage: cli.sh SAMPLE_BINARY...
set -u
source "$(dirname "$0")/../lib/expect.sh"
for bin in "$@"; do
  name=$(basename "$bin")
  expect "$name --help lists the shared options" 0 \
    "^usage: $name \[options\]" -- "$bin" --help
  for opt in '--stats \[SECONDS\]' '--duration SECONDS' '-v, --verbose' '-h, --help'; do
    grep -Eq -- "^  $opt " "$expect_out" || { echo "FAIL: $name --help lacks $opt"; failures=$((failures + 1)); }
  done
  expect "$name refuses an unknown argument" 2 "^$name: unknown argument '--bogus'" -- "$bin" --bogus
  expect "$name refuses a bad --duration" 2 "^$name: --duration needs a positive number of seconds" -- \
    "$bin" --duration soon
done
expect "simple documents --fifo" 0 '^  --fifo +first come, first served' -- "${1%/*}/../simple/simple" --help
expect "qmap refuses a bad --task" 2 '^qmap: --task: needs a process id' -- "${1%/*}/../qmap/qmap" --task zero
expect "central refuses a CPU that does not exist" 2 '^central: --central: no such CPU' -- \
  "${1%/*}/../central/central" --central 4096
for bin in "${1%/*}/../user_fifo/user_fifo" "${1%/*}/../user_vtime/user_vtime"; do
  name=$(basename "$bin")
  expect "$name documents --batch" 0 '^  --batch N +decisions sent to the kernel at once \(default 8\)' -- "$bin" --help
  expect "$name refuses a batch of 0" 2 "^$name: --batch: needs 1 to 4096" -- "$bin" --batch 0
  expect "$name refuses a fallback of 0 ms" 2 "^$name: --fallback-ms: needs 1 to 10000 milliseconds" -- \
    "$bin" --fallback-ms 0
done
expect_summary cli
