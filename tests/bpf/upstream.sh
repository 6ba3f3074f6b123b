#!/bin/sh
# The scheduler written against <scx/common.bpf.h> schedules a workload; each upstream-style path ran.
# usage: upstream.sh LOADER
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/lib.sh"
sched_out=$(mktemp)
run_with_workload "$1" upstream
for i in 0 1 2 3 4; do expect_counter $i gt 0; done
echo PASS
