#!/bin/bash
# tools/scxx-vm's own contract: the command's status comes back unchanged; a panic or a hang is an
# infrastructure failure (125), never a pass; kernel-log errors fail the run (120) unless they were
# announced with --expect-scx-error, which then requires one.
# usage: runner.sh PATH_TO_SCXX_VM PATH_TO_BROKEN
set -u
vm=$1 broken=$2
source "$(dirname "$0")/../lib/expect.sh"

expect "command status and output pass through" 3 '^marker$' -- "$vm" --kernel 6.17 -- sh -c 'echo marker; exit 3'
expect "unknown kernel lists the known ones" 2 "unknown kernel '4.19'; known kernels: 6.16 6.17 7.3" -- "$vm" --kernel 4.19 -- true
expect "a guest panic is an infrastructure failure" 125 'infrastructure failure.*without reporting' -- \
  "$vm" --kernel 6.17 -- sh -c 'echo c >/proc/sysrq-trigger'
expect "a hung guest is an infrastructure failure" 125 'infrastructure failure.*timed out after 20s' -- \
  "$vm" --kernel 6.17 --timeout 20 -- sleep 600
expect "a WARNING in dmesg fails a run whose command passed" 120 'logged errors \(command exited 0\).*dmesg saved to' -- \
  "$vm" --kernel 6.17 -- sh -c 'echo "WARNING: injected by the runner test" >/dev/kmsg'
expect "an unannounced scheduler error fails the run" 120 'sched_ext: BPF scheduler "broken" disabled \(runtime error\)' -- \
  "$vm" --kernel 6.17 -- "$broken"
expect "an announced scheduler error passes" 0 'kind=ERROR' -- "$vm" --kernel 6.17 --expect-scx-error -- "$broken"
expect "an announced error that does not happen fails" 120 'expect-scx-error was given but the kernel logged no sched_ext error' -- \
  "$vm" --kernel 6.17 --expect-scx-error -- true

# A command under /tmp (the guest has its own /tmp) runs from its work tree, which it may write to;
# --env passes variables.
tmpdir=$(mktemp -d /tmp/scxx-runner.XXXXXX)
printf '#!/bin/sh\necho "$GREETING" >"$(dirname "$0")/out"\n' >"$tmpdir/cmd.sh" && chmod +x "$tmpdir/cmd.sh"
expect "a command under /tmp runs, and --env reaches it" 0 '' -- "$vm" --kernel 6.17 --env GREETING=hello -- "$tmpdir/cmd.sh"
if [[ $(cat "$tmpdir/out" 2>/dev/null) == hello ]]; then
  echo "ok: the command wrote its work tree under /tmp"
else
  echo "FAIL: the command under /tmp did not write $tmpdir/out"
  failures=$((failures + 1))
fi
rm -rf "$tmpdir"

# The saved dmesg named in a failure message exists.
"$vm" --kernel 6.17 -- sh -c 'echo "BUG: injected by the runner test" >/dev/kmsg' >"$expect_out" 2>&1
saved=$(sed -n 's/.*dmesg saved to \([^:]*\):.*/\1/p' "$expect_out" | head -n 1)
if [[ -n $saved && -f $saved ]] && grep -q 'BUG: injected' "$saved"; then
  echo "ok: the failing run's dmesg is saved at the path it names"
else
  echo "FAIL: no saved dmesg with the injected line (path: '$saved')"
  failures=$((failures + 1))
fi

expect_summary runner
