#!/usr/bin/env bash
# Runs inside the build root: makes DIR/linux-source-VERSION hold the kernel's own sched_ext
# sources from Debian's linux-source-VERSION package (tools/sched_ext, its selftests and
# Documentation/scheduler), downloading the package once. Used at test and benchmark time only;
# nothing of it is committed. Prints the directory.
# usage: linux-source.sh VERSION DIR      (VERSION: 6.12, 7.3)
set -euo pipefail
version=$1 dir=$2
dest=$dir/linux-source-$version
if [[ ! -f $dest/.complete ]]; then
  rm -rf "$dest"
  mkdir -p "$dir"
  work=$(mktemp -d "$dir/fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -q "linux-source-$version" >/dev/null 2>&1) || {
    echo "linux-source: error: cannot download Debian's linux-source-$version (apt-get download failed;" \
      "is the package registry reachable and does apt know the suite that has it?)" >&2
    exit 1
  }
  dpkg-deb --fsys-tarfile "$work"/linux-source-"$version"_*.deb |
    tar -x -C "$work" "./usr/src/linux-source-$version.tar.xz"
  tar -xf "$work/usr/src/linux-source-$version.tar.xz" -C "$work" \
    "linux-source-$version/tools/sched_ext" "linux-source-$version/tools/testing/selftests/sched_ext" \
    "linux-source-$version/Documentation/scheduler"
  mv "$work/linux-source-$version" "$dest"
  touch "$dest/.complete"
fi
echo "$dest"
