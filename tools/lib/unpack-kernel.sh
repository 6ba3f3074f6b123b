#!/usr/bin/env bash
# Runs inside the build root (from tools/bootstrap): downloads one kernel's packages with the root's
# apt and unpacks what the VM and the BTF tools need into DIR:
#   vmlinux      ELF image (QEMU boots it through its PVH entry; it also carries .BTF)
#   vmlinux.btf  raw BTF of the kernel
#   config       the kernel's build configuration
#   modules/     the 9p modules, decompressed, plus load-order (the order insmod needs)
# usage: unpack-kernel.sh RELEASE DIR PACKAGE...
set -euo pipefail
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

# A bzImage carries the kernel as a zstd stream after the setup code: decompress from the first zstd
# frame that yields an ELF image. zstd complains about the bytes after the frame; the image is whole.
found=0
for offset in $(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$vmlinuz" | cut -d: -f1); do
  tail -c +$((offset + 1)) "$vmlinuz" | zstd -dcq 2>/dev/null >vmlinux || true
  if [[ $(head -c 4 vmlinux | od -An -tx1 | tr -d ' ') == 7f454c46 ]]; then found=1; break; fi
done
[[ $found == 1 ]] || { echo "bootstrap: error: no zstd-compressed ELF kernel inside $vmlinuz" >&2; exit 1; }
llvm-objcopy-19 --dump-section .BTF=vmlinux.btf vmlinux /dev/null 2>/dev/null \
  || llvm-objcopy-19 --dump-section .BTF=vmlinux.btf vmlinux vmlinux.tmp
rm -f vmlinux.tmp
bpftool btf dump file vmlinux.btf >/dev/null || { echo "bootstrap: error: $release: extracted BTF does not parse" >&2; exit 1; }

for candidate in "x/boot/config-$release" "x/usr/lib/modules/$release/config"; do
  [[ -f $candidate ]] && cp "$candidate" config && break
done
[[ -f config ]] || { echo "bootstrap: error: no kernel config for $release in $*" >&2; exit 1; }
grep -q '^CONFIG_SCHED_CLASS_EXT=y' config || { echo "bootstrap: error: kernel $release is built without CONFIG_SCHED_CLASS_EXT" >&2; exit 1; }

mkdir modules
: >modules/load-order
for mod in netfs 9pnet 9pnet_virtio 9p; do
  ko=$(find "x/usr/lib/modules/$release" -name "$mod.ko*" | head -n 1)
  [[ -n $ko ]] || continue   # built into this kernel: nothing to load
  case "$ko" in
    *.xz) xz -dc "$ko" >"modules/$mod.ko" ;;
    *.zst) zstd -dcq "$ko" >"modules/$mod.ko" ;;
    *) cp "$ko" "modules/$mod.ko" ;;
  esac
  echo "$mod" >>modules/load-order
done

cp vmlinux vmlinux.btf config "$dir/"
cp -r modules "$dir/"
echo "$release" >"$dir/release"
