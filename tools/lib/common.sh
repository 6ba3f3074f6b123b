# Shared by the scxx tools (sourced, never executed). One place for the cache layout,
# the pinned test kernels and the error helpers, so bootstrap, dev and scxx-vm agree.
# shellcheck shell=bash

SCXX_TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCXX_SOURCE_DIR=$(cd "$SCXX_TOOLS_DIR/.." && pwd)
SCXX_CACHE=${SCXX_CACHE:-$HOME/.cache/scxx}
SCXX_ROOT="$SCXX_CACHE/root"          # Debian 13 build root (debootstrap)
SCXX_KERNELS="$SCXX_CACHE/kernels"    # one directory per test kernel release
SCXX_APT="$SCXX_CACHE/apt"            # private apt state for downloading kernels
SCXX_UPSTREAM="$SCXX_CACHE/upstream"  # the kernel's own sched_ext sources (tools/lib/linux-source.sh)

# The Debian release the build root and the kernels come from.
SCXX_SUITE=trixie

# Test kernels: short name, release, and the packages that carry the kernel image and its modules.
# Pinned on purpose: a kernel that disappears from the registry must fail loudly, not drift.
SCXX_KERNEL_TABLE=(
  "6.16 6.16.12+deb13-amd64 linux-image-6.16.12+deb13-amd64"
  "6.17 6.17.13+deb13-amd64 linux-image-6.17.13+deb13-amd64"
  "7.3 7.3.4+deb13-amd64 linux-binary-7.3.4+deb13-amd64,linux-modules-7.3.4+deb13-amd64,linux-base-7.3.4+deb13-amd64"
)
SCXX_DEFAULT_KERNEL=6.17

# Packages of the build root: the toolchain, and what the tests and the VM guest run.
SCXX_ROOT_PACKAGES=(
  clang-19 llvm-19 libbpf-dev bpftool cmake ninja-build g++ make doctest-dev pkg-config
  g++-12 clang-22
  libelf-dev zlib1g-dev libzstd-dev
  qemu-system-x86 busybox-static stress-ng rt-tests linux-perf procps kmod veristat
  zstd xz-utils cpio gnuplot-nox python3 promtool prometheus-node-exporter
  systemd
)

scxx_die() {
  echo "${SCXX_PROG:-scxx}: error: $*" >&2
  exit 1
}

scxx_note() {
  echo "${SCXX_PROG:-scxx}: $*" >&2
}

# Prints "short release packages" for a short name (6.17) or a full release; fails if unknown.
scxx_kernel_lookup() {
  local want=$1 row short release
  for row in "${SCXX_KERNEL_TABLE[@]}"; do
    read -r short release _ <<<"$row"
    if [[ $want == "$short" || $want == "$release" || $want == "${release%%+*}" ]]; then
      echo "$row"
      return 0
    fi
  done
  return 1
}

scxx_kernel_names() {
  local row short
  for row in "${SCXX_KERNEL_TABLE[@]}"; do
    read -r short _ <<<"$row"
    printf '%s ' "$short"
  done
}

# Directory holding one kernel's vmlinux, BTF and 9p modules.
scxx_kernel_dir() {
  echo "$SCXX_KERNELS/$1"
}

# True inside tools/dev (the build root), where the toolchain and QEMU are on PATH.
scxx_in_root() {
  [[ ${SCXX_IN_ROOT:-} == 1 ]]
}

# The host directory of the git work tree around $1 (or $1 itself outside git).
scxx_toplevel() {
  git -C "$1" rev-parse --show-toplevel 2>/dev/null || (cd "$1" && pwd)
}

# Runs "$@" inside the build root, in the current directory, as root, with the scxx source tree,
# the current work tree, the cache and /tmp bind-mounted at the same paths. Everything happens in a
# private mount namespace, so no mount outlives the command, whatever way it ends.
# SCXX_EXTRA_SHARES (space separated directories) are bind-mounted too.
scxx_root_exec() {
  [[ -x $SCXX_ROOT/usr/bin/env ]] || scxx_die "no build root at $SCXX_ROOT: run tools/bootstrap first"
  local shares=("$SCXX_SOURCE_DIR" "$SCXX_CACHE" "$(scxx_toplevel "$PWD")" /tmp)
  local extra
  for extra in ${SCXX_EXTRA_SHARES:-}; do shares+=("$extra"); done
  unshare --mount --propagation private -- bash -euc '
    root=$1 cwd=$2 nshares=$3; shift 3
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    [ -f /etc/resolv.conf ] && touch "$root/etc/resolv.conf" && mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
    mounted=" "
    for ((i = 0; i < nshares; i++)); do
      dir=$1; shift
      case "$mounted" in *" $dir "*) continue ;; esac
      case "$dir" in /|"$root"|"$root"/*) continue ;; esac
      mkdir -p "$root$dir"
      mount --bind "$dir" "$root$dir"
      mounted="$mounted$dir "
    done
    exec chroot "$root" /usr/bin/env -u LD_LIBRARY_PATH -u LD_PRELOAD \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/llvm-19/bin \
      HOME=/root SHELL=/bin/bash SCXX_IN_ROOT=1 /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
  ' scxx-root "$SCXX_ROOT" "$PWD" "${#shares[@]}" "${shares[@]}" "$@"
}

# Configures (CMakePresets.json's "dev": warnings as errors) and builds this source tree inside the
# build root: the one configuration tools/check and tools/demo share, so either reuses the other's
# build.
# usage: scxx_build BUILD_DIR [cmake --build args...]
scxx_build() {
  local build=$1
  shift
  "$SCXX_TOOLS_DIR/bootstrap"
  (cd "$SCXX_SOURCE_DIR" &&
    "$SCXX_TOOLS_DIR/dev" cmake --preset dev -B "$build" >/dev/null &&
    "$SCXX_TOOLS_DIR/dev" cmake --build "$build" "$@")
}
