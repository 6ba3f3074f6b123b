#!/bin/sh
# A direct call of a kfunc the kernel lacks fails the load with an error naming the kfunc and the
# kernel; where the kernel has it, the same object attaches.
# usage: missing.sh LOADER
. "$(dirname "$0")/../vm/lib.sh"
sched_out=$(mktemp)
"$1" 1 >"$sched_out" 2>&1
rc=$?
cat "$sched_out"
if grep -qw scx_bpf_dsq_peek /proc/kallsyms; then
  [ $rc = 0 ] || fail "loader exited $rc on a kernel that has scx_bpf_dsq_peek"
  grep -q '^exit: kind=UNREG (64)' "$sched_out" || fail "did not attach and detach"
else
  [ $rc = 2 ] || fail "loader exited $rc, expected 2 (load refused)"
  grep -q "^error: scxx: load 'missing_bpf' failed: .*this kernel ($(uname -r)) has no kfunc 'scx_bpf_dsq_peek': guard the call with bpf_ksym_exists(scx_bpf_dsq_peek)" "$sched_out" \
    || fail "the error does not name the missing kfunc and the kernel"
fi
[ "$(cat $SCX/state)" = disabled ] || fail "state is '$(cat $SCX/state)'"
echo PASS
