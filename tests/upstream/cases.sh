# The outcome each of the kernel's own sched_ext tests expects, as runner.cpp options, one line per
# case: `expect NAME [runner options]`. Sourced by run-cases.sh in the VM, which defines `expect`
# and sets kernel (6.16, 6.17, 7.3), NCPUS (CPUs online), WORKLOAD (a short scheduling workload) and WORK (workload.cpp, the
# selftest drivers' task patterns). Read from each upstream
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

# init_enable_count.c: tasks that exist before attach and exit while attached, then tasks that
# move themselves to SCHED_EXT (half of them back) and plain ones; with SCX_OPS_SWITCH_PARTIAL (8)
# only those that asked for SCHED_EXT are enabled.
for v in v6_12 v7_3; do
  for flags in 0 8; do
    if [[ $flags == 0 ]]; then enabled=(--check 'enable_cnt>=10' --check 'disable_cnt>=10')
    else enabled=(--check 'enable_cnt==5' --check 'disable_cnt==5'); fi
    expect ${v}_st_init_enable_count --ops-flags $flags --before "$WORK hold 1024" \
      --workload "$WORK forks 5 --ext-then-other && $WORK forks 5" \
      --check 'init_task_cnt>=1024' --check 'exit_task_cnt>=1024' "${enabled[@]}" \
      --check 'init_transition_cnt>init_fork_cnt' --check 'init_fork_cnt>=10'
  done
done
# The selftests whose counts a heavily loaded host can starve in one run under TCG (remote
# dispatches, matched dequeues): run-cases.sh runs a failed case of these once more.
RETRY_ONCE=" v7_3_st_dequeue v7_3_st_dequeue_remote "
# dequeue.c: scenarios 0-6 (bss test_scenario); where tasks go straight to a local or the global
# DSQ the scheduler sees no enqueue or dequeue, else every enqueue is matched by a dequeue.
for scenario in 0 1 2 3 4 5 6; do
  case $scenario in
    0|1|3|4) counts=(--check 'enqueue_cnt==0' --check 'dequeue_cnt==0' --check 'change_dequeue_cnt==0') ;;
    *) counts=(--check 'enqueue_cnt>0' --check 'dequeue_cnt>0' --check 'enqueue_cnt==dequeue_cnt') ;;
  esac
  expect v7_3_st_dequeue --bss test_scenario=$scenario --workload "$WORK workers 8 1000 --hammer 500" "${counts[@]}"
done
# dequeue_remote.c: twice as many workers as CPUs (at least 4), dispatched to remote CPUs through
# SCX_DSQ_LOCAL_ON or moved there from a user DSQ.
remote_workers=$((2 * NCPUS < 4 ? 4 : 2 * NCPUS))
for move in 0 1; do
  expect v7_3_st_dequeue_remote --bss test_use_move_to_local=$move --workload "$WORK workers $remote_workers 2000" \
    --check 'remote_running_cnt>0' --check 'enqueue_cnt==dequeue_cnt'
done
# peek_dsq.c: sleeping and yielding workers; the BPF side records its DSQ insert and peek results.
expect v7_3_st_peek_dsq --workload "$WORK workers 4 3000" --check 'enqueue_count>0' --check 'insert_test_cpu!=-1' \
  --check 'dsq_peek_result1==0' --check 'dsq_peek_result2==dsq_peek_result2_expected'
# cyclic_kick_wait.c: CPUs A, B and C kick each other with SCX_KICK_WAIT in a cycle while four
# yielding tasks are pinned to each; the scheduler must keep going (it needs three CPUs: the
# *_cpus3 set, which boots with them).
if ((NCPUS >= 3)); then
  expect v7_3_st_cyclic_kick_wait --rodata test_cpu_a=0 --rodata test_cpu_b=1 --rodata test_cpu_c=2 \
    --workload "$WORK yielders 3 4 5000"
fi
# nohz_tick.c: on a nohz_full CPU, finite slices must bring the tick back after an infinite one
# stopped it (nohz_tick.cpp drives its phases; the *_nohz set boots with nohz_full=1).
# (sysfs files always have a size: the list itself must name a CPU.)
nohz_full=$(cat /sys/devices/system/cpu/nohz_full 2>/dev/null)
if [[ $nohz_full == *[0-9]* ]]; then
  expect v7_3_st_nohz_tick
fi
# enable_cmask.c: SCHED_EXT tasks whose affinity changes from inside and outside while they fork.
# It is a cid-form scheduler (struct sched_ext_ops_cid, 7.1 and later): older kernels refuse it
# (enable_cmask.c skips there), and scxx says so at open.
if [[ $kernel == 6.* ]]; then
  expect v7_3_st_enable_cmask --expect open-fails --message "has no struct sched_ext_ops_cid"
else
  expect v7_3_st_enable_cmask --workload "$WORK pin-dance 8" --check 'nr_enable>=16' \
    --check 'nr_initial_set_cmask==nr_enable' --check 'nr_set_cmask>nr_initial_set_cmask' \
    --check 'nr_set_weight>=nr_enable'
fi

# The example schedulers, set up as their own loaders set them up.
for v in v6_12 v7_3; do
  expect ${v}_ex_scx_simple --workload "$WORKLOAD"
  expect ${v}_ex_scx_simple --rodata fifo_sched=1 --workload "$WORKLOAD"
  # scxx's run loop wakes once per interval (1 s), as the kernel's loaders do: about 3 times in a
  # 3 s run, where a 20 Hz poll blocked 60 times and slowed pipe benchmarks under the scheduler.
  expect ${v}_ex_scx_simple --duration 3 --max-wakeups 8
  expect ${v}_ex_scx_central --attach-cpu 0 --rodata central_cpu=0 --rodata nr_cpu_ids="$NCPUS" --rodata slice_ns=20000000 \
    --resize cpu_gimme_task="$NCPUS" --resize cpu_started_at="$NCPUS" --workload "$WORKLOAD" --check 'nr_dispatches>0'
  expect ${v}_ex_scx_flatcg --rodata nr_cpus="$NCPUS" --rodata cgrp_slice_ns=20000000 --workload "$WORKLOAD"
done
expect v6_12_ex_scx_qmap --workload "$WORKLOAD" --check 'nr_enqueued>0'
# 7.3's scx_qmap keeps its state and counters in an arena (qa); its loader sets these defaults.
expect v7_3_ex_scx_qmap --rodata slice_ns=20000000 --rodata max_tasks=16384 --rodata round_robin_ns=200000000 \
  --workload "$WORKLOAD" --check 'qa.nr_enqueued>0' --check 'qa.nr_dispatched>0'
expect v7_3_ex_scx_cpu0 --workload "$WORKLOAD"
# rt_stall.c: with the scheduler attached, a spinning SCHED_EXT task still gets at least 4% of a
# CPU that a spinning SCHED_FIFO task shares with it (the deadline server for sched_ext, 7.x).
expect v7_3_st_rt_stall --workload "$WORK rt-starve 5"
# scx_pair as scx_pair.c sets it up: CPU i paired with i + NCPUS/2, one pair_ctx per pair, a
# batch of SCX_SLICE_DFL, and a queue per cgroup slot filled in once loaded.
pair_args=(--rodata nr_cpu_ids="$NCPUS" --rodata pair_batch_dur_ns=20000000 --max-entries pair_ctx=$((NCPUS / 2)))
for array in pair_cpu pair_id in_pair_idx; do pair_args+=(--resize "$array=$NCPUS"); done
for ((cpu = 0; cpu < NCPUS / 2; cpu++)); do
  mate=$((cpu + NCPUS / 2))
  pair_args+=(--rodata "pair_cpu[$cpu]=$mate" --rodata "pair_cpu[$mate]=$cpu" --rodata "pair_id[$cpu]=$cpu"
              --rodata "pair_id[$mate]=$cpu" --rodata "in_pair_idx[$cpu]=0" --rodata "in_pair_idx[$mate]=1")
done
expect v7_3_ex_scx_pair "${pair_args[@]}" --fill-inner-maps cgrp_q_arr --workload "$WORKLOAD" \
  --check 'nr_total>0' --check 'nr_dispatched>0'
# scx_userland's tasks are ordered in userspace: its executable is userland.cpp, not the runner.
expect v7_3_ex_scx_userland --workload "$WORKLOAD"
expect v7_3_ex_scx_sdt --workload "$WORKLOAD"
