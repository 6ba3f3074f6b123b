#!/bin/sh
# Per-task and per-CPU context (scxx/context.bpf.h) under hackbench: contexts made in init_task
# are found in running and stopping, the EWMA stays within the runtimes, and the CPUs' own counts
# read back through scxx_cpu_ctx_of add up. usage: context.sh LOADER
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
run_with_workload "$1" context
expect_counter 0 gt 0 # contexts created
expect_counter 1 eq 0 # a task without its context
expect_counter 2 gt 0 # stops with a context
expect_counter 3 eq 0 # an average above the largest runtime
expect_counter 4 eq 0 # per-CPU counts that do not add up
echo PASS
