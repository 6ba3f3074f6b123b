#!/bin/sh
# Choosing a build of a scheduler's object by hand (SCXX_ABI) fails clearly where it cannot work:
# a level the object was not built for, or a build calling kfuncs this kernel lacks. Nothing is
# left attached either way. On 7.x the build for 6.16 passes the whole API test.
# usage: abi.sh APITEST
. "$(dirname "$0")/../vm/lib.sh"
out=$(mktemp)

SCXX_ABI=5.9 "$1" >"$out" 2>&1 && fail "SCXX_ABI=5.9 was accepted"
cat "$out"
grep -q "SCXX_ABI=5.9 names no build of this object; it was built for: 7.3, 6.16, any" "$out" \
  || fail "no clear error for a level the object was not built for"
[ "$(cat /sys/kernel/sched_ext/state)" = disabled ] || fail "state is not disabled"

case "$(uname -r)" in
  7.*)
    # The build for 6.16 runs on a newer kernel too (what a 6.16-era binary meets after an upgrade).
    SCXX_ABI=6.16 "$(dirname "$0")/apitest.sh" "$1" || fail "the build for 6.16 failed on $(uname -r)"
    ;;
  *)
    SCXX_ABI=7.3 "$1" >"$out" 2>&1 && fail "the build for 7.3 loaded on $(uname -r)"
    cat "$out"
    grep -q "this is the build for ABI level 7.3, which calls kfuncs this kernel ($(uname -r)) lacks (scx_bpf_dsq_insert___v2, __scx_bpf_dsq_insert_vtime, scx_bpf_dsq_move_to_local___v2, __scx_bpf_select_cpu_and, scx_bpf_task_set_slice, scx_bpf_task_set_dsq_vtime)" "$out" \
      || fail "no clear error for a build whose kfuncs this kernel lacks"
    [ "$(cat /sys/kernel/sched_ext/state)" = disabled ] || fail "state is not disabled"
    ;;
esac
echo PASS
