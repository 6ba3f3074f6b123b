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
expect "tools/dev without a command prints its usage" 2 'Runs a command inside the scxx build root' -- \
  "$src/tools/dev"

expect_summary errors
