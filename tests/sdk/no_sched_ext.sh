#!/bin/bash
# On a kernel without sched_ext, a scheduler fails at open with a message that says so and what the
# kernel needs. Runs on the host, whose kernel has no sched_ext; where the host does have it, the
# sched_ext sysfs directory is hidden in a private mount namespace instead (and the test says so).
# usage: no_sched_ext.sh PATH_TO_MINIMAL
set -u
source "$(dirname "$0")/../lib/expect.sh"
run=("$1" --duration 1)
if [ -d /sys/kernel/sched_ext ]; then
  echo "note: this host's kernel has sched_ext; hiding /sys/kernel/sched_ext for the test"
  run=(unshare -m sh -c 'mount -t tmpfs none /sys/kernel/sched_ext 2>/dev/null || mount -t tmpfs none /sys/kernel; exec "$0" "$@"' "${run[@]}")
fi
expect "a kernel without sched_ext is named as the problem, with what it needs" 1 \
  "^minimal: scxx: open 'minimal_bpf' failed: Operation not supported \(errno 95\): this kernel has no sched_ext \(/sys/kernel/sched_ext is missing\); it needs CONFIG_SCHED_CLASS_EXT=y \(Linux 6\.12 or later\)" -- \
  "${run[@]}"
expect_summary no_sched_ext
