#!/bin/bash
# The tools' clear errors: what a user sees for each mistake, asserted word for word where it matters.
# usage: errors.sh SCXX_SOURCE_DIR
set -u
src=$1
source "$(dirname "$0")/../lib/expect.sh"

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# A copy of the tools the unprivileged user can reach (the work tree may sit in a private directory).
public=$(mktemp -d)
trap 'rm -rf "$public" "$expect_out"' EXIT
chmod 755 "$public"
cp -r "$src/tools" "$public/"
expect "bootstrap refuses to run as a normal user" 1 \
  '^bootstrap: error: must run as root \(it runs apt-get, debootstrap and chroot\); try: sudo ' -- \
  nobody env SCXX_CACHE="$(mktemp -u)" "$public/tools/bootstrap"
expect "bootstrap --check reports an incomplete cache" 1 'is incomplete: run tools/bootstrap' -- \
  env SCXX_CACHE="$(mktemp -u)" "$src/tools/bootstrap" --check
expect "a kernel package the registry no longer has is named, with its kernel" 1 \
  '^bootstrap: error: package linux-image-9\.9\.9\+deb13-amd64 \(kernel 9\.9\.9\+deb13-amd64\) is no longer in the registry' -- \
  "$src/tools/lib/unpack-kernel.sh" 9.9.9+deb13-amd64 "$(mktemp -d)" linux-image-9.9.9+deb13-amd64
expect "scxx-vm without a command says how to call it" 2 'no command given: scxx-vm \[options\] -- CMD' -- \
  "$src/tools/scxx-vm" --kernel 6.17
expect "scxx-vm rejects a bad CPU count" 2 "--cpus must be a positive number, not 'two'" -- \
  "$src/tools/scxx-vm" --cpus two -- true
expect "scxx-vm rejects a topology it cannot read" 2 "--topology must be <sockets>s<cores>c<threads>t, e.g. 2s2c2t, not '2x2'" -- \
  "$src/tools/scxx-vm" --topology 2x2 -- true
expect "scxx-vm rejects --cpus that disagrees with --topology" 2 "--cpus 4 disagrees with --topology 2s2c2t \(8 CPUs\)" -- \
  "$src/tools/scxx-vm" --cpus 4 --topology 2s2c2t -- true
expect "scxx-vm rejects too little memory for the nodes" 2 "256M is too little for 4 NUMA nodes" -- \
  "$src/tools/scxx-vm" --topology 4s1c1t --mem 256M -- true
expect "tools/dev without a command prints its usage" 2 'Runs a command inside the scxx build root' -- \
  "$src/tools/dev"

# scxx-new: each bad request is refused with the reason, and writes nothing.
scratch=$(mktemp -d)
trap 'rm -rf "$public" "$expect_out" "$scratch"' EXIT
mkdir "$scratch/taken" && echo keep >"$scratch/taken/file"
new() { (cd "$scratch" && "$src/tools/scxx-new" "$@"); }
expect "scxx-new refuses a name that is not a C identifier" 2 \
  "^scxx-new: error: '2fast' is not a C identifier: use letters, digits and '_', not starting with a digit" -- new 2fast
expect "scxx-new refuses a name with a dash" 2 "'my-sched' is not a C identifier" -- new my-sched
expect "scxx-new refuses a C keyword" 2 "^scxx-new: error: 'int' is reserved \(a C/C\+\+ keyword or a name scxx's build uses\)" -- new int
expect "scxx-new refuses a reserved prefix" 2 "'scx_mine' starts with a prefix reserved" -- new scx_mine
expect "scxx-new refuses an existing non-empty directory" 2 \
  "^scxx-new: error: 'taken' exists and is not empty; choose another --dir or remove it" -- new ok_name --dir taken
expect "scxx-new refuses an unknown template" 2 "no template 'fancy'; choose one of: llc minimal userspace vtime" -- new ok_name --template fancy
expect "scxx-new without a name says how to call it" 2 "no NAME given; usage: scxx-new NAME" -- new
expect "scxx-new --help starts with what it does" 0 "^Stamps out a new sched_ext scheduler project" -- new --help
if [[ $(cd "$scratch" && find . | sort | tr '\n' ' ') == ". ./taken ./taken/file " && $(cat "$scratch/taken/file") == keep ]]; then
  echo "ok: the refused requests wrote nothing"
else
  echo "FAIL: a refused scxx-new request left files: $(cd "$scratch" && find .)"
  failures=$((failures + 1))
fi
expect "scxx-new stamps a project into an empty directory" 0 "created fresh \(vtime scheduler 'fresh'\)" -- \
  new fresh --template vtime
grep -qx "  cmake -S fresh -B fresh/build -G Ninja -Dscxx_DIR=$src/build && cmake --build fresh/build" "$expect_out" \
  && grep -q "put $src/tools/dev\$" "$expect_out" \
  && echo "ok: from the source tree, scxx-new's next step points at its build directory and tools/dev" \
  || { echo "FAIL: scxx-new's next step from the source tree:"; cat "$expect_out"; failures=$((failures + 1)); }
[[ -f $scratch/fresh/src/fresh.bpf.c && -x $scratch/fresh/tests/run.sh ]] \
  && grep -qx 'scxx_install_scheduler(fresh)' "$scratch/fresh/CMakeLists.txt" \
  && ! grep -rq '@NAME@\|@NAME_UPPER@\|@TEMPLATE@' "$scratch/fresh" \
  && echo "ok: the project has its files, placeholders replaced" \
  || { echo "FAIL: the stamped project is incomplete"; failures=$((failures + 1)); }

# scxx-skel: bad requests are refused with the reason before any build starts.
expect "scxx-skel without sources says how to call it" 2 'usage: scxx-skel NAME OUTDIR SOURCE.bpf.c...' -- \
  "$src/tools/scxx-skel" sk "$scratch/skel"
expect "scxx-skel refuses a name that is not a C identifier" 2 "'9sk' is not a C identifier" -- \
  "$src/tools/scxx-skel" 9sk "$scratch/skel" "$scratch/fresh/src/fresh.bpf.c"
expect "scxx-skel names a BPF source that does not exist" 2 "no BPF source '$scratch/none.bpf.c'" -- \
  "$src/tools/scxx-skel" sk "$scratch/skel" "$scratch/none.bpf.c"
expect "scxx-skel refuses an unknown option" 2 "unknown option '--abi' \(see --help\)" -- \
  "$src/tools/scxx-skel" --abi 0 sk "$scratch/skel" "$scratch/fresh/src/fresh.bpf.c"
[[ ! -e $scratch/skel ]] && echo "ok: the refused scxx-skel runs wrote nothing" \
  || { echo "FAIL: a refused scxx-skel run wrote $scratch/skel"; failures=$((failures + 1)); }

expect_summary errors
