# The outcome each of the kernel's own sched_ext tests expects, as runner.cpp options, one line per
# case: `expect NAME [runner options]`. Sourced by run-cases.sh in the VM, which defines `expect`
# and sets NCPUS (CPUs online) and WORKLOAD (a short scheduling workload). Read from each upstream
# test's own C driver (tools/testing/selftests/sched_ext/NAME.c) and the example loaders
# (tools/sched_ext/NAME.c): what they set before load and what they check after.
# shellcheck shell=bash disable=SC2154

children='for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait'
cpu1_cycle='echo 0 >/sys/devices/system/cpu/cpu1/online; sleep 0.3; echo 1 >/sys/devices/system/cpu/cpu1/online'

for v in v6_12 v7_3; do
  expect ${v}_st_minimal --workload "$WORKLOAD"
  expect ${v}_st_create_dsq
  expect ${v}_st_maximal --workload "$WORKLOAD"
  expect ${v}_st_ddsp_bogus_dsq_fail --expect exits --kind ERROR --duration 10 --workload "$WORKLOAD"
  expect ${v}_st_ddsp_vtimelocal_fail --expect exits --kind ERROR --duration 10 --workload "$WORKLOAD"
  expect ${v}_st_dsp_local_on --rodata nr_cpus="$NCPUS" --workload "$WORKLOAD"
  # Its own ops.exit records into a global of its own, not into scxx's exit record.
  expect ${v}_st_enq_last_no_enq_fails --expect exits --kind UNKNOWN --check 'exit_kind!=0'
  for point in 0 1 2 3 4 5; do
    expect ${v}_st_exit --rodata exit_point=$point --expect exits --kind UNREG_BPF --exit-code $point \
      --message "$point" --duration 10 --workload "$WORKLOAD"
  done
  expect ${v}_st_maybe_null --workload "$WORKLOAD"
  expect ${v}_st_maybe_null_fail_dsp --expect load-fails --message "verifier rejected"
  expect ${v}_st_maybe_null_fail_yld --expect load-fails --message "verifier rejected"
  expect ${v}_st_prog_run --prog-run prog_run_syscall --expect exits --kind UNREG_BPF --exit-code 0xdeadbeef
  expect ${v}_st_select_cpu_dfl --workload "$children" --check 'saw_local==0'
  expect ${v}_st_select_cpu_dfl_nodispatch --workload "$children" --check 'saw_local!=0'
  expect ${v}_st_select_cpu_dispatch --workload "$children"
  expect ${v}_st_select_cpu_dispatch_bad_dsq --expect exits --kind ERROR --duration 10 --workload "$WORKLOAD"
  expect ${v}_st_select_cpu_dispatch_dbl_dsp --expect exits --kind ERROR --duration 10 --workload "$WORKLOAD"
  expect ${v}_st_select_cpu_vtime --workload "$WORKLOAD" --check 'consumed!=0'
  # Two schedulers in one object; hotplug.c attaches one or the other and takes a CPU offline: the
  # one with CPU callbacks exits from them with its own code (restart | 1), the kernel restarts the
  # other (restart | SCX_ECODE_RSN_HOTPLUG).
  expect ${v}_st_hotplug --expect open-fails --message "several schedulers"
  expect ${v}_st_hotplug --ops hotplug_cb_ops --expect exits --kind UNREG_BPF --exit-code 0x1000000000001 \
    --workload "$cpu1_cycle" --duration 10
  expect ${v}_st_hotplug --ops hotplug_nocb_ops --expect exits --kind UNREG_KERN --exit-code 0x1000100000000 \
    --workload "$cpu1_cycle" --duration 10
done
# 6.12 expected only that it attaches (enq_select_cpu_fails.c); newer kernels also let it run.
expect v6_12_st_enq_select_cpu_fails --workload "$WORKLOAD"

expect v7_3_st_allowed_cpus --prog-run select_cpu_from_user:pid --workload "$WORKLOAD"
expect v7_3_st_enq_select_cpu --prog-run select_cpu_from_user:pid --workload "$WORKLOAD"
# numa.c sets ops.flags = SCX_OPS_BUILTIN_IDLE_PER_NODE (scxx::OpsFlags::builtin_idle_per_node, 64).
expect v7_3_st_numa --ops-flags 64 --rodata __COMPAT_SCX_PICK_IDLE_IN_NODE=2 --workload "$WORKLOAD"
expect v7_3_st_dequeue_iter --workload "$WORKLOAD" --check 'dq_count>=10'
expect v7_3_st_non_scx_kfunc_deny --expect open-fails --message "not a sched_ext scheduler"

# The example schedulers, set up as their own loaders set them up.
for v in v6_12 v7_3; do
  expect ${v}_ex_scx_simple --workload "$WORKLOAD"
  expect ${v}_ex_scx_simple --rodata fifo_sched=1 --workload "$WORKLOAD"
  expect ${v}_ex_scx_central --attach-cpu 0 --rodata central_cpu=0 --rodata nr_cpu_ids="$NCPUS" --rodata slice_ns=20000000 \
    --resize cpu_gimme_task="$NCPUS" --resize cpu_started_at="$NCPUS" --workload "$WORKLOAD" --check 'nr_dispatches>0'
  expect ${v}_ex_scx_flatcg --rodata nr_cpus="$NCPUS" --rodata cgrp_slice_ns=20000000 --workload "$WORKLOAD"
done
expect v6_12_ex_scx_qmap --workload "$WORKLOAD" --check 'nr_enqueued>0'
expect v7_3_ex_scx_cpu0 --workload "$WORKLOAD"
expect v7_3_ex_scx_sdt --workload "$WORKLOAD"
