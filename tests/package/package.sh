#!/bin/bash
# scxx as a package, the ways a project consumes it, each ending with a scheduler that
# attaches in the VM (on 6.16, 6.17 and 7.3 through the consumer's own ctest where it has one):
#   1. installed (cmake --install to a temporary prefix): scxx-new from the prefix, minimal template,
#      find_package(scxx) through CMAKE_PREFIX_PATH;
#      and the userspace template (a C++ policy on scxx's installed BPF side) and the llc one;
#   2. the build tree (-Dscxx_DIR=<scxx build dir>): the vtime template, built with its presets;
#   3. add_subdirectory(<scxx source>) in place of find_package;
#   4. pkg-config and Make: the BPF flags from scxx.pc, the skeleton from scxx-skel (6.16 only).
# usage: package.sh SCXX_SOURCE_DIR SCXX_BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d "$build/package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { echo "== $*"; }
configure_build() { cmake -S "$1" -B "$1/build" -G Ninja "${@:2}" >"$1/configure.log" 2>&1 \
  || { cat "$1/configure.log"; exit 1; }; cmake --build "$1/build" >"$1/build.log" 2>&1 || { cat "$1/build.log"; exit 1; }; }
vm_tests() { ctest --test-dir "$1/build" -j2 --output-on-failure | tail -n 4; }
# A vtime template's scheduler shares a CPU by weight (tests/vm/weights.sh, on 7.3).
weights() {
  "$work/prefix/bin/scxx-vm" --kernel 7.3 -- "$src/tests/vm/weights.sh" "$1" weighted >"$1.weights.log" 2>&1 \
    || { cat "$1.weights.log"; echo "FAIL: $(basename "$1") does not share a CPU by weight"; exit 1; }
  grep '^weighted:' "$1.weights.log"
}

step "install to a temporary prefix"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in lib/cmake/scxx/scxxConfig.cmake lib/cmake/scxx/scxxConfigVersion.cmake lib/cmake/scxx/scxxTargets.cmake \
         lib/cmake/scxx/ScxxBpf.cmake include/scxx/scxx.hpp include/scxx-bpf/scxx/scxx.bpf.h \
         include/scxx-bpf/scx/common.bpf.h share/pkgconfig/scxx.pc bin/scxx-vm bin/scxx-new bin/scxx-skel bin/scxx-plot-stats \
         bin/scxx-bootstrap; do
  [[ -e $work/prefix/$f ]] || { echo "FAIL: the install has no $f"; exit 1; }
done
grep -q '^Requires: libbpf >= 1.5$' "$work/prefix/share/pkgconfig/scxx.pc" || { echo "FAIL: scxx.pc lacks libbpf"; exit 1; }
PKG_CONFIG_PATH=$work/prefix/share/pkgconfig pkg-config --cflags scxx | grep -q -- "-I$work/prefix/share/pkgconfig/../../include" \
  || { echo "FAIL: pkg-config --cflags scxx does not name the include directory"; exit 1; }
PKG_CONFIG_PATH=$work/prefix/share/pkgconfig pkg-config --cflags scxx | grep -q -- "-I$work/prefix/share/pkgconfig/../../include/scxx-bpf" \
  || { echo "FAIL: pkg-config --cflags scxx does not name the BPF include directory (scxx/userspace.h, scxx/abi.h)"; exit 1; }

step "installed package: scxx-new (minimal template), find_package"
(cd "$work" && "$work/prefix/bin/scxx-new" inst_min --template minimal) >"$work/new.log"
# The commands scxx-new prints next work as printed (this script already runs in the build root,
# where scxx-dev would take them).
build_cmd=$(sed -n 's/^  \(cmake -S .*\)$/\1/p' "$work/new.log")
[[ $build_cmd == "cmake -S inst_min -B inst_min/build -G Ninja -DCMAKE_PREFIX_PATH=$work/prefix && cmake --build inst_min/build" ]] \
  || { cat "$work/new.log"; echo "FAIL: scxx-new's next step is not the build with the install's prefix"; exit 1; }
grep -q "put $work/prefix/bin/scxx-dev\$" "$work/new.log" && [[ -x $work/prefix/bin/scxx-dev ]] \
  || { cat "$work/new.log"; echo "FAIL: scxx-new does not point at the installed scxx-dev"; exit 1; }
(cd "$work" && eval "$build_cmd") >"$work/inst_min/configure.log" 2>&1 || { cat "$work/inst_min/configure.log"; exit 1; }
echo "ok: scxx-new's printed build command works as printed: $build_cmd"
grep -q "scxx: BPF clang:" "$work/inst_min/configure.log" || { echo "FAIL: configure did not report the BPF tools"; exit 1; }
grep '"command":' "$work/inst_min/build/compile_commands.json" | grep -- '-target bpf' | grep -- '/include/scxx-bpf' \
  | grep -q -- '/src/inst_min\.bpf\.c' \
  || { echo "FAIL: compile_commands.json has no entry for inst_min.bpf.c with the BPF flags (for clangd)"; exit 1; }
echo "ok: compile_commands.json has inst_min.bpf.c with -target bpf and scxx's BPF headers"
# Its VM tests are the ones docs.getting_started runs for the same template from an install.

step "the consumer installs its scheduler, its systemd unit and its flags file"
cmake --install "$work/inst_min/build" --prefix "$work/consumer" >/dev/null
unit=$work/consumer/lib/systemd/system/inst_min.service defaults=$work/consumer/etc/default/inst_min
[[ -x $work/consumer/bin/inst_min && -f $unit && -f $defaults ]] \
  || { echo "FAIL: cmake --install did not put bin/inst_min, $unit and $defaults"; exit 1; }
grep -qx "ExecStart=$work/consumer/bin/inst_min \$SCHEDULER_FLAGS" "$unit" && grep -qx "EnvironmentFile=-$defaults" "$unit" \
  && grep -qx 'KillSignal=SIGINT' "$unit" && grep -qx 'ConditionPathIsDirectory=/sys/kernel/sched_ext' "$unit" \
  || { cat "$unit"; echo "FAIL: the unit does not start the installed inst_min with the flags file, stop it with SIGINT and require sched_ext"; exit 1; }
grep -qx 'SCHEDULER_FLAGS=""' "$defaults" || { cat "$defaults"; echo "FAIL: $defaults sets no SCHEDULER_FLAGS"; exit 1; }
# systemd's own checks of the installed unit: it parses, its ExecStart is executable, and it is hardened.
systemd-analyze verify "$unit" || { echo "FAIL: systemd-analyze verify $unit"; exit 1; }
exposure=$(systemd-analyze security --offline=true "$unit" 2>&1 | sed -n 's/.*Overall exposure level for inst_min.service: \([0-9.]*\) .*/\1/p')
[[ -n $exposure ]] && awk -v e="$exposure" 'BEGIN { exit !(e <= 3.0) }' \
  || { systemd-analyze security --offline=true "$unit"; echo "FAIL: exposure '$exposure' of the unit is above 3.0"; exit 1; }
echo "ok: $(grep '^ExecStart=' "$unit"); systemd-analyze security: exposure $exposure"
# Installing again (an upgrade) keeps the administrator's flags.
echo 'SCHEDULER_FLAGS="--stats 5"' >"$defaults"
cmake --install "$work/inst_min/build" --prefix "$work/consumer" >/dev/null
grep -qx 'SCHEDULER_FLAGS="--stats 5"' "$defaults" || { echo "FAIL: installing again replaced $defaults"; exit 1; }
# DESTDIR and --prefix /usr, as a package build does: the flags file in /etc, the unit under /usr.
DESTDIR=$work/destdir cmake --install "$work/inst_min/build" --prefix /usr >/dev/null
for f in usr/bin/inst_min usr/lib/systemd/system/inst_min.service etc/default/inst_min; do
  [[ -f $work/destdir/$f ]] || { (cd "$work/destdir" && find . -type f); echo "FAIL: DESTDIR install has no $f"; exit 1; }
done
grep -qx 'ExecStart=/usr/bin/inst_min $SCHEDULER_FLAGS' "$work/destdir/usr/lib/systemd/system/inst_min.service" \
  || { echo "FAIL: the DESTDIR install's unit does not start /usr/bin/inst_min"; exit 1; }
echo "ok: DESTDIR=... --prefix /usr: /usr/bin/inst_min, /usr/lib/systemd/system/inst_min.service, /etc/default/inst_min"

step "DEPFILE: a header the BPF source includes rebuilds it; an unrelated file rebuilds nothing"
sleep 1
touch "$work/prefix/include/scxx-bpf/scxx/helpers.bpf.h"
cmake --build "$work/inst_min/build" >"$work/rebuild.log"
grep -q "Compiling BPF inst_min.bpf.c" "$work/rebuild.log" && grep -q "Generating BPF skeleton inst_min.skel.h" "$work/rebuild.log" \
  || { cat "$work/rebuild.log"; echo "FAIL: touching helpers.bpf.h did not rebuild the BPF object and skeleton"; exit 1; }
touch "$work/inst_min/README.md"
cmake --build "$work/inst_min/build" >"$work/rebuild.log"
grep -q "no work to do" "$work/rebuild.log" || { cat "$work/rebuild.log"; echo "FAIL: touching README.md rebuilt something"; exit 1; }

step "configure-time errors: clang too old, clang and bpftool missing"
printf '#!/bin/sh\necho "Debian clang version 14.0.6"\n' >"$work/old-clang" && chmod +x "$work/old-clang"
configure_error() {
  local want=$1; shift
  if cmake -S "$work/inst_min" -B "$work/bad-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" "$@" >"$work/bad.log" 2>&1; then
    echo "FAIL: configure with $* succeeded"; exit 1
  fi
  tr -s ' \n' ' ' <"$work/bad.log" | grep -q -- "$want" || { cat "$work/bad.log"; echo "FAIL: no '$want'"; exit 1; }
  echo "ok: $want"
  rm -rf "$work/bad-build"
}
configure_error "scxx: clang 14.0.6 ($work/old-clang) is too old: scxx needs clang 17 or newer" -DSCXX_CLANG="$work/old-clang"
configure_error "scxx: SCXX_CLANG not found (/nonexistent/clang)" -DSCXX_CLANG=/nonexistent/clang
configure_error "scxx: SCXX_BPFTOOL not found (/nonexistent/bpftool)" -DSCXX_BPFTOOL=/nonexistent/bpftool
configure_error "scxx: SCXX_ABI_LEVELS='7.3;0': '7.3' is not a level" "-DSCXX_ABI_LEVELS=7.3;0"

step "SCXX_ABI_LEVELS=0: one build of the object, for any kernel"
cmake -S "$work/inst_min" -B "$work/one-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" -DSCXX_ABI_LEVELS=0 >/dev/null
cmake --build "$work/one-build" >/dev/null
built=$(cd "$work/one-build" && echo *.bpf.o)
[[ $built == inst_min.abi0.bpf.o ]] || { echo "FAIL: SCXX_ABI_LEVELS=0 built: $built"; exit 1; }
echo "ok: SCXX_ABI_LEVELS=0 builds $built only"

step "installed package: the userspace template"
"$work/prefix/bin/scxx-new" inst_us --dir "$work/inst_us" --template userspace
[[ ! -e $work/inst_us/src/inst_us.h ]] || { echo "FAIL: the userspace template stamped common's header"; exit 1; }
configure_build "$work/inst_us" -DCMAKE_PREFIX_PATH="$work/prefix"
vm_tests "$work/inst_us"

step "installed package: the llc template (scxx/topology.bpf.h, filled in by the installed loader)"
"$work/prefix/bin/scxx-new" inst_llc --dir "$work/inst_llc" --template llc
configure_build "$work/inst_llc" -DCMAKE_PREFIX_PATH="$work/prefix"
vm_tests "$work/inst_llc"
weights "$work/inst_llc/build/inst_llc"
# Its LLCs' vtime clocks: a task moving between them keeps its fair share (tests/vm/llc_clocks.sh).
"$work/prefix/bin/scxx-vm" --kernel 7.3 --topology 2s2c2t -- "$src/tests/vm/llc_clocks.sh" "$work/inst_llc/build/inst_llc" \
  >"$work/inst_llc.clocks.log" 2>&1 || { cat "$work/inst_llc.clocks.log"; echo "FAIL: the llc template's LLC clocks"; exit 1; }
grep '^the longest' "$work/inst_llc.clocks.log"

step "pkg-config and Make: the BPF flags from scxx.pc, the skeleton from scxx-skel, the loader from a Makefile"
"$work/prefix/bin/scxx-new" mk_min --dir "$work/mk_min" >/dev/null
export PKG_CONFIG_PATH=$work/prefix/share/pkgconfig
clang $(pkg-config --variable=bpf_cflags scxx) -c "$work/mk_min/src/mk_min.bpf.c" -o "$work/mk_min/direct.bpf.o" \
  || { echo "FAIL: clang with pkg-config's bpf_cflags does not compile the template's BPF source"; exit 1; }
echo "ok: clang \$(pkg-config --variable=bpf_cflags scxx) compiles src/mk_min.bpf.c"
cat >"$work/mk_min/Makefile" <<'MAKEFILE'
mk_min: src/main.cpp build/mk_min.skel.hpp
	$(CXX) -std=c++20 $(shell pkg-config --cflags scxx) -Ibuild -o $@ src/main.cpp build/mk_min.skel-data.cpp $(shell pkg-config --libs scxx)
build/mk_min.skel.hpp: src/mk_min.bpf.c src/mk_min.h
	$(SCXX_SKEL) mk_min build src/mk_min.bpf.c
MAKEFILE
make -C "$work/mk_min" SCXX_SKEL="$work/prefix/bin/scxx-skel" >"$work/mk_min/make.log" 2>&1 \
  || { cat "$work/mk_min/make.log"; echo "FAIL: make did not build mk_min with scxx-skel and pkg-config"; exit 1; }
built=$(cd "$work/mk_min/build/.scxx-skel/build" && echo *.bpf.o)
[[ $built == "mk_min.abi0.bpf.o mk_min.abi616.bpf.o mk_min.abi703.bpf.o" ]] \
  || { echo "FAIL: scxx-skel built '$built', not one object per ABI level"; exit 1; }
again=$(make -C "$work/mk_min" SCXX_SKEL="$work/prefix/bin/scxx-skel")
[[ $again == *"'mk_min' is up to date"* ]] || { echo "$again"; echo "FAIL: make rebuilt mk_min with nothing changed"; exit 1; }
unset PKG_CONFIG_PATH
"$work/prefix/bin/scxx-vm" --kernel 6.16 -- "$work/mk_min/tests/run.sh" "$work/mk_min/mk_min" >"$work/mk_min/vm.log" 2>&1 \
  || { cat "$work/mk_min/vm.log"; echo "FAIL: the Make-built mk_min did not run in the VM"; exit 1; }
echo "ok: the Make-built mk_min (scxx-skel: $built) attached, scheduled hackbench and detached on 6.16"

step "build tree: vtime template with -Dscxx_DIR, through the scaffold's CMakePresets.json"
"$src/tools/scxx-new" tree_vtime --dir "$work/tree_vtime" --template vtime
(cd "$work/tree_vtime" && cmake --preset default -Dscxx_DIR="$build" >configure.log 2>&1 &&
  cmake --build --preset default >build.log 2>&1) || { cat "$work/tree_vtime/"*.log; echo "FAIL: the scaffold's default preset"; exit 1; }
[[ -x $work/tree_vtime/build/tree_vtime ]] || { echo "FAIL: the default preset did not build build/tree_vtime"; exit 1; }
(cd "$work/tree_vtime" && ctest --preset default | tail -n 4)
weights "$work/tree_vtime/build/tree_vtime"

step "add_subdirectory: a scaffolded project with find_package replaced by add_subdirectory(scxx)"
"$src/tools/scxx-new" sub_min --dir "$work/subdir"
sed -i "s|^find_package(scxx 0.1 CONFIG REQUIRED)\$|add_subdirectory(\"$src\" scxx)|" "$work/subdir/CMakeLists.txt"
grep -q '^add_subdirectory(' "$work/subdir/CMakeLists.txt" || { echo "FAIL: the template's find_package line changed"; exit 1; }
configure_build "$work/subdir"
[[ ! -e $work/subdir/build/scxx/tests ]] || { echo "FAIL: add_subdirectory built scxx's own tests"; exit 1; }
cmake --install "$work/subdir/build" --prefix "$work/subdir-install" >/dev/null
installed=$(cd "$work/subdir-install" && find . ! -type d | sort | tr '\n' ' ')
[[ $installed == "./bin/sub_min ./etc/default/sub_min ./lib/systemd/system/sub_min.service " ]] \
  || { echo "FAIL: the consumer's install has more than its scheduler and unit (SCXX_INSTALL): $installed"; exit 1; }
echo "ok: a sub-project's install has only its own files: $installed"
vm_tests "$work/subdir"
echo PASS
