#!/bin/sh
# Runs sdk_test (usage: sdk.sh PATH_TO_SDK_TEST MODE [ARGS]), in api mode while a busy loop competes
# for the CPUs, and passes only if it reported no failure and sched_ext ends disabled.
. "$(dirname "$0")/../vm/lib.sh"
bin=$1
shift
load=
if [ "$1" = api ]; then
  (while :; do :; done) &
  load=$!
fi
"$bin" "$@"
status=$?
if [ -n "$load" ]; then
  kill $load
  wait $load 2>/dev/null
fi
[ $status = 0 ] || fail "sdk_test $* exited $status"
wait_state disabled
echo PASS
