#!/bin/sh
# The kernel boots with sched_ext built in and no scheduler attached.
. "$(dirname "$0")/lib.sh"
echo "kernel: $(uname -r)"
[ -d $SCX ] || fail "$SCX is missing: this kernel has no sched_ext"
state=$(cat $SCX/state)
echo "state: $state"
[ "$state" = disabled ] || fail "sched_ext state is '$state' at boot, expected 'disabled'"
echo PASS
