#!/usr/bin/env bash
# Runs inside the build root (from tools/bootstrap): downloads one kernel's packages with the root's
# apt and unpacks what the VM and the BTF tools need into DIR:
#   vmlinux      ELF image (QEMU boots it through its PVH entry; it also carries .BTF)
#   vmlinuz      the package's bzImage (scxx-vm --kernel PATH's tests boot it as a user's image)
#   vmlinux.btf  raw BTF of the kernel
#   config       the kernel's build configuration
#   modules/     the 9p modules, decompressed, plus load-order (the order insmod needs)
# usage: unpack-kernel.sh RELEASE DIR PACKAGE...
set -euo pipefail
source "$(dirname "$0")/kernel-image.sh"
release=$1 dir=$2
shift 2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for pkg in "$@"; do
  if ! apt-cache show "$pkg" >/dev/null 2>&1; then
    echo "bootstrap: error: package $pkg (kernel $release) is no longer in the registry's trixie-backports;" \
      "pick a kernel it still has (apt-cache search linux-image-) and update SCXX_KERNEL_TABLE in tools/lib/common.sh" >&2
    exit 1
  fi
  apt-get download -qq -o APT::Sandbox::User=root "$pkg"
done
mkdir x
for deb in ./*.deb; do dpkg-deb -x "$deb" x; done

vmlinuz=
for candidate in "x/boot/vmlinuz-$release" "x/usr/lib/modules/$release/vmlinuz"; do
  [[ -f $candidate ]] && vmlinuz=$candidate && break
done
[[ -n $vmlinuz ]] || { echo "bootstrap: error: no vmlinuz for $release in $*" >&2; exit 1; }

scxx_image_elf "$vmlinuz" vmlinux || { echo "bootstrap: error: no compressed ELF kernel inside $vmlinuz" >&2; exit 1; }
scxx_image_btf vmlinux vmlinux.btf || { echo "bootstrap: error: $release: no .BTF section in its vmlinux" >&2; exit 1; }
bpftool btf dump file vmlinux.btf >/dev/null || { echo "bootstrap: error: $release: extracted BTF does not parse" >&2; exit 1; }

for candidate in "x/boot/config-$release" "x/usr/lib/modules/$release/config"; do
  [[ -f $candidate ]] && cp "$candidate" config && break
done
[[ -f config ]] || { echo "bootstrap: error: no kernel config for $release in $*" >&2; exit 1; }
grep -q '^CONFIG_SCHED_CLASS_EXT=y' config || { echo "bootstrap: error: kernel $release is built without CONFIG_SCHED_CLASS_EXT" >&2; exit 1; }

scxx_collect_9p_modules "x/usr/lib/modules/$release" modules

cp "$vmlinuz" vmlinuz
cp vmlinux vmlinuz vmlinux.btf config "$dir/"
cp -r modules "$dir/"
echo "$release" >"$dir/release"
