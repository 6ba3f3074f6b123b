#!/bin/bash
# The tools' clear errors: what a user sees for each mistake, asserted word for word where it matters.
# usage: errors.sh SCXX_SOURCE_DIR
set -u
src=$1
failures=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# expect NAME STATUS PATTERN -- CMD...: CMD must exit STATUS with output matching PATTERN.
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$out" 2>&1
  local got=$?
  if [[ $got != "$want" ]] || ! grep -Eq -- "$pattern" "$out"; then
    echo "FAIL: $name: exit $got (want $want), output must match /$pattern/:"
    sed 's/^/    /' "$out" | tail -n 20
    failures=$((failures + 1))
  else
    echo "ok: $name"
  fi
}

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

expect "bootstrap refuses to run as a normal user" 1 \
  '^bootstrap: error: must run as root \(it runs apt-get, debootstrap and chroot\); try: sudo ' -- \
  nobody env SCXX_CACHE="$(mktemp -u)" "$src/tools/bootstrap"
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

echo "errors: $failures failure(s)"
[[ $failures == 0 ]]
