#!/bin/sh
# scxx::Topology in a guest booted with scxx-vm --topology SPEC (SsCcTt): --topology of a sample
# must show S packages of C cores with T threads each, one LLC and one NUMA node per socket (what
# QEMU gives such a guest), with the CPUs QEMU numbers in that order. usage: topology.sh BINARY SPEC
. "$(dirname "$0")/lib.sh"
spec=$2
s=${spec%%s*} rest=${spec#*s}
c=${rest%%c*} rest=${rest#*c}
t=${rest%t}
n=$((s * c * t)) per=$((c * t))
out=$("$1" --topology) || fail "--topology failed: $out"
echo "$out"
smt=""
[ "$t" -gt 1 ] && smt=" with SMT"
echo "$out" | grep -qx "$n possible CPUs ($n online: 0-$((n - 1))), $((s * c)) cores$smt, $s LLCs, $s NUMA nodes" ||
  fail "the summary is not $n CPUs in $((s * c)) cores$smt, $s LLCs, $s nodes"
i=0
while [ $i -lt "$s" ]; do
  cpus="$((i * per))-$(((i + 1) * per - 1))"
  [ "$per" = 1 ] && cpus=$((i * per))
  echo "$out" | grep -q "^  node $i: CPUs $cpus, distances " || fail "node $i does not hold CPUs $cpus"
  echo "$out" | grep -q "^  LLC $i (L[23], [0-9]* KiB): CPUs $cpus\$" || fail "LLC $i does not hold CPUs $cpus"
  i=$((i + 1))
done
k=0
while [ $k -lt $((s * c)) ]; do
  first=$((k * t))
  cpus=$first
  [ "$t" -gt 1 ] && cpus="$first-$((first + t - 1))"
  echo "$out" | grep -q "^  core $k (package $((k / c))): CPUs $cpus, capacity 1024" ||
    fail "core $k is not CPUs $cpus in package $((k / c))"
  k=$((k + 1))
done
echo PASS
