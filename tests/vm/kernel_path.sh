#!/bin/bash
# scxx-vm --kernel PATH, with images that are not the runner's own test kernels' layout: the 6.17
# package's bzImage (its config beside it as config-RELEASE, its 9p modules from --modules) and the
# 6.16 ELF vmlinux (.config and the modules in its directory) each boot and run a sample scheduler
# under hackbench (sample.sh). Images that cannot work are refused before any boot, with what is
# missing: not a kernel, no BTF, BTF without sched_ext, no config, 9p modules not found.
# usage: kernel_path.sh PATH_TO_SCXX_VM PATH_TO_SAMPLE
set -u
vm=$1 sample=$2
here=$(dirname "$(readlink -f "$0")")
source "$here/../lib/expect.sh"
source "$here/../../tools/lib/common.sh"
work=$(mktemp -d /tmp/scxx-kernel-path.XXXXXX)
trap 'rm -rf "$work" "$expect_out"' EXIT
k616=$(scxx_kernel_dir 6.16) k617=$(scxx_kernel_dir 6.17)
r616=$(cat "$k616/release") r617=$(cat "$k617/release")
re616=${r616//+/\\+} re617=${r617//+/\\+} # for the patterns

mkdir "$work/bz" "$work/elf"
cp "$k617/vmlinuz" "$work/bz/bzImage" && cp "$k617/config" "$work/bz/config-$r617"
expect "a bzImage, its config beside it, 9p modules from --modules" 0 "^kernel: $re617\$" -- \
  "$vm" --kernel "$work/bz/bzImage" --modules "$k617/modules" -- "$here/sample.sh" "$sample" INT:vtime
cp "$k616/vmlinux" "$work/elf/vmlinux" && cp "$k616/config" "$work/elf/.config" && cp -r "$k616/modules" "$work/elf/"
expect "an ELF vmlinux, .config and the 9p modules in its directory" 0 "^kernel: $re616\$" -- \
  "$vm" --kernel "$work/elf/vmlinux" -- "$here/sample.sh" "$sample" INT:vtime

# Refusals: a usage error (2) naming what is missing, before anything boots.
expect "no such file" 2 "--kernel $work/none: no such file" -- "$vm" --kernel "$work/none" -- true
echo "not a kernel" >"$work/text"
expect "not a kernel image" 2 "neither an ELF vmlinux nor a bzImage" -- "$vm" --kernel "$work/text" -- true
mkdir "$work/nobtf"
llvm-objcopy --remove-section .BTF "$k616/vmlinux" "$work/nobtf/vmlinux"
expect "an image without BTF" 2 "no BTF \(\.BTF section\).*CONFIG_DEBUG_INFO_BTF=y" -- \
  "$vm" --kernel "$work/nobtf/vmlinux" -- true
# BTF that parses but is not a kernel's with sched_ext: a small object's, in place of the kernel's.
mkdir "$work/noscx"
echo 'struct point { int x, y; } origin;' >"$work/small.c"
clang -target bpf -g -c "$work/small.c" -o "$work/small.o"
llvm-objcopy --dump-section .BTF="$work/small.btf" "$work/small.o" "$work/small.copy.o"
llvm-objcopy --update-section .BTF="$work/small.btf" "$k616/vmlinux" "$work/noscx/vmlinux"
expect "BTF without struct sched_ext_ops" 2 "no struct sched_ext_ops: $re616 is built without sched_ext" -- \
  "$vm" --kernel "$work/noscx/vmlinux" -- true
mkdir "$work/noconfig"
cp "$k616/vmlinux" "$work/noconfig/vmlinux"
expect "no config beside the image" 2 "no kernel config beside it \(\.config, config-$re616 or config\)" -- \
  "$vm" --kernel "$work/noconfig/vmlinux" -- true
cp "$k616/config" "$work/noconfig/.config"
expect "9p as modules, none found" 2 "CONFIG_NET_9P=m, and no 9pnet.ko under $work/noconfig: give --modules" -- \
  "$vm" --kernel "$work/noconfig/vmlinux" -- true
expect "--modules without --kernel PATH" 2 "--modules is for --kernel PATH" -- \
  "$vm" --kernel 6.17 --modules "$work" -- true
expect_summary kernel_path
