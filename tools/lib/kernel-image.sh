# Kernel images for the VM, shared by tools/bootstrap's unpack-kernel.sh (the pinned test kernels)
# and scxx-vm --kernel PATH (any kernel): sourced, run inside the build root.

# Whether FILE is an ELF file (a vmlinux, not a bzImage).
scxx_is_elf() {
  [[ $(head -c 4 "$1" | od -An -tx1 | tr -d ' ') == 7f454c46 ]]
}

# Writes to OUT the ELF kernel inside the bzImage IMAGE (zstd, gzip or xz: tried at each frame magic
# until one yields an ELF image; the decompressors complain about the bytes after the frame, the
# image is whole). Fails if none does.
scxx_image_elf() {
  local image=$1 out=$2 magic tool offset
  for magic in 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08' 'xz:\xfd\x37\x7a\x58\x5a\x00'; do
    tool=${magic%%:*}
    for offset in $(LC_ALL=C grep -obUaP "${magic#*:}" "$image" | cut -d: -f1); do
      tail -c +$((offset + 1)) "$image" | "$tool" -dcq 2>/dev/null >"$out" || true
      scxx_is_elf "$out" && return 0
    done
  done
  rm -f "$out"
  return 1
}

# Writes ELF's .BTF section (the kernel's BTF) to OUT; fails if it has none.
scxx_image_btf() {
  local copy
  copy=$(mktemp)
  # (An output file is required; some llvm-objcopy versions refuse /dev/null.)
  llvm-objcopy --dump-section .BTF="$2" "$1" "$copy" 2>/dev/null || true
  rm -f "$copy"
  [[ -s $2 ]]
}

# Copies the 9p modules (and netfs, which 9p needs from 6.x on) found under SRC into OUT, decompressed,
# with OUT/load-order listing them in the order insmod needs. A module not found is taken to be
# built in; the caller checks the config for that.
scxx_collect_9p_modules() {
  local src=$1 out=$2 mod ko
  mkdir -p "$out"
  : >"$out/load-order"
  for mod in netfs 9pnet 9pnet_virtio 9p; do
    ko=$(find "$src" -name "$mod.ko*" 2>/dev/null | head -n 1 || true)
    [[ -n $ko ]] || continue
    case "$ko" in
      *.xz) xz -dc "$ko" >"$out/$mod.ko" ;;
      *.zst) zstd -dcq "$ko" >"$out/$mod.ko" ;;
      *) cp "$ko" "$out/$mod.ko" ;;
    esac
    echo "$mod" >>"$out/load-order"
  done
}
