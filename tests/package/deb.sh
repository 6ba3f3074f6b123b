#!/bin/bash
# The Debian packages, made with the commands docs/cmake.md shows: scxx's own (cmake --workflow --preset deb in a
# copy of the source tree) installed with dpkg into a clean root (an overlay over the build root,
# which has scxx's dependencies but not scxx); there a scaffold is built against /usr, packed the
# same way and installed; the installed scheduler runs in the VM (6.16, 6.17, 7.3) from the installed scxx-vm;
# dpkg -r then removes every file but the scheduler's conffile, dpkg -P that too, and nothing else
# stays behind in the root. Runs in the build root, as root.
# usage: deb.sh SCXX_SOURCE_DIR
set -euo pipefail
src=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/scxx-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { echo "== $*"; }
fail() { echo "FAIL: $*"; exit 1; }

step "cmake --workflow --preset deb (in a copy of the source tree)"
mkdir "$work/src"
(cd "$src" && tar --exclude=./build --exclude='./build-*' --exclude=./.git -cf - .) | tar -xf - -C "$work/src"
(cd "$work/src" && cmake --workflow --preset deb) >"$work/scxx-deb.log" 2>&1 || { cat "$work/scxx-deb.log"; fail "the deb workflow"; }
debs=("$work"/src/build-deb/scxx_*_all.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || { ls "$work/src/build-deb"; fail "no single build-deb/scxx_*_all.deb"; }
scxx_deb=${debs[0]}
dpkg-deb -f "$scxx_deb" Package Version Architecture Depends
contents=$(dpkg-deb -c "$scxx_deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/include/scxx/scxx.hpp /usr/include/scxx-bpf/scxx/scxx.bpf.h /usr/lib/cmake/scxx/scxxConfig.cmake \
         /usr/share/pkgconfig/scxx.pc /usr/bin/scxx-new /usr/bin/scxx-vm /usr/bin/scxx-skel \
         /usr/share/scxx/templates/common/CMakeLists.txt /usr/share/doc/scxx/LICENSE; do
  grep -qx "$f" <<<"$contents" || fail "scxx's .deb has no $f"
done
echo "ok: $(basename "$scxx_deb"): $(wc -l <<<"$contents") entries, headers, CMake package, pkg-config, templates, tools, licenses"

# The clean root: the build root seen through an overlay whose writes land in a tmpfs. The lower
# layer is / as a filesystem, without the mounts on it (this tree, /tmp, the cache), so nothing of
# scxx is there until dpkg puts it there. The cache (the test kernels) and the packages are bound in.
# After SCRIPT, still in the namespace that holds the tmpfs, only dpkg's own records and logs, /run
# (a tmpfs on a running system; systemd-analyze writes there) and the directories the chroot needed
# may be left in the upper layer: everything else written to the root must be gone. (The namespace is private already: tools/dev made it so, and in its chroot / is
# no mount point whose propagation could be changed.)
cache=${SCXX_CACHE:-$HOME/.cache/scxx}
in_clean_root() {
  unshare --mount --propagation unchanged -- bash -euc '
    work=$1 cache=$2 script=$3
    mkdir -p "$work/ovl" "$work/merged"
    mount -t tmpfs ovl "$work/ovl"
    mkdir "$work/ovl/upper" "$work/ovl/work"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$work/ovl/upper,workdir=$work/ovl/work" "$work/merged"
    m=$work/merged
    mount --rbind /dev "$m/dev" && mount -t proc proc "$m/proc" && mount --rbind /sys "$m/sys"
    mkdir -p "$m/debs" "$m$cache" && mount --bind "$work/debs" "$m/debs" && mount --bind "$cache" "$m$cache"
    chroot "$m" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root SCXX_IN_ROOT=1 \
      SCXX_CACHE="$cache" /bin/bash -euo pipefail -c "cd /root && $script"
    left=$(cd "$work/ovl/upper" && find . ! -type d | grep -v -e "^\./var/lib/dpkg/" -e "^\./var/log/" -e "^\./run/" || true)
    [[ -z $left ]] || { echo "FAIL: files left in the root after dpkg -r/-P: $left"; exit 1; }
    echo "ok: nothing but dpkg'"'"'s records and logs is left in the root"
  ' in-clean-root "$work" "$cache" "$1"
}
mkdir "$work/debs"
cp "$scxx_deb" "$work/debs/"

step "in a clean root: dpkg -i scxx; a scaffold built against /usr and packed; dpkg -i; the VM; dpkg -r, -P"
in_clean_root '
fail() { echo "FAIL: $*"; exit 1; }
[[ ! -e /usr/bin/scxx-new && ! -e /usr/lib/cmake/scxx ]] || fail "the root is not clean: scxx is there before dpkg"
dpkg -i /debs/scxx_*_all.deb >/dev/null || fail "dpkg -i scxx"
echo "ok: dpkg -i $(basename /debs/scxx_*_all.deb): $(dpkg -L scxx | wc -l) paths"
scxx-new demo --template minimal >/dev/null
(cd demo && cmake --workflow --preset deb) >workflow.log 2>&1 || { cat workflow.log; fail "the scaffold'"'"'s deb workflow"; }
deb=$(echo demo/build/demo_*.deb)
[[ -f $deb ]] || { ls demo/build; fail "no demo/build/demo_*.deb"; }
dpkg-deb -f "$deb" Package Version Architecture Depends
[[ $(dpkg-deb -f "$deb" Depends) == *libbpf1* ]] || fail "the scheduler package does not depend on libbpf1"
dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb"
unit=/usr/lib/systemd/system/demo.service
[[ -x /usr/bin/demo && -f $unit && -f /etc/default/demo ]] || fail "dpkg -i did not put /usr/bin/demo, $unit, /etc/default/demo"
grep -qx "ExecStart=/usr/bin/demo \$SCHEDULER_FLAGS" $unit && grep -qx "EnvironmentFile=-/etc/default/demo" $unit \
  || { cat $unit; fail "the packaged unit does not start /usr/bin/demo with /etc/default/demo"; }
[[ $(dpkg-query --showformat="\${Conffiles}" -W demo) == *" /etc/default/demo "* ]] || fail "/etc/default/demo is not a conffile"
systemd-analyze verify $unit || fail "systemd-analyze verify $unit"
echo "ok: dpkg -i $(basename "$deb"): /usr/bin/demo, $unit ($(grep ^ExecStart= $unit)), /etc/default/demo (conffile)"
scxx-vm --kernel all -- /root/demo/tests/run.sh /usr/bin/demo >vm.log 2>&1 || { cat vm.log; fail "the installed /usr/bin/demo in the VM"; }
grep -A3 "scxx-vm summary:" vm.log
echo "ok: the installed /usr/bin/demo attached, scheduled a workload and detached on 6.16, 6.17 and 7.3 (installed scxx-vm)"

demo_files=$(dpkg -L demo)
dpkg -r demo >/dev/null
for f in /usr/bin/demo $unit; do [[ ! -e $f ]] || fail "dpkg -r demo left $f"; done
[[ -f /etc/default/demo ]] || fail "dpkg -r removed the conffile /etc/default/demo (only dpkg -P should)"
dpkg -P demo >/dev/null
[[ ! -e /etc/default/demo ]] || fail "dpkg -P demo left /etc/default/demo"
scxx_files=$(dpkg -L scxx)
dpkg -r scxx >/dev/null
left=""
for f in $scxx_files $demo_files; do
  [[ -d $f && ! -L $f ]] && continue
  [[ -e $f || -L $f ]] && left="$left $f"
done
[[ -z $left ]] || fail "left after dpkg -r:$left"
echo "ok: dpkg -r demo keeps only the conffile, dpkg -P demo removes it, dpkg -r scxx removes its $(wc -l <<<"$scxx_files") paths"
rm -rf /root/demo /root/workflow.log /root/vm.log
'
echo PASS
