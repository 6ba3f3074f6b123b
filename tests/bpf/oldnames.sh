#!/bin/sh
# The original-names scheduler schedules a workload; every original kfunc took effect.
# usage: oldnames.sh LOADER
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
run_with_workload "$1" oldnames
for i in 1 2 3 4 5 6; do expect_counter $i gt 0; done  # dispatch, dispatch_vtime, consume, kicks, nr_queued
expect_counter 7 eq 1                                    # create_dsq + destroy_dsq, then -ENOENT
echo PASS
