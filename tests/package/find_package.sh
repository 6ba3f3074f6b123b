#!/bin/bash
# find_package(scxx ...) against this build tree's package: which versions and version ranges the
# current version meets (scxx's own scxxConfigVersion.cmake) and what a refusal says; and a machine
# without the BPF tools: QUIET goes on without scxx and gets the reason, REQUIRED stops with it.
# usage: find_package.sh SCXX_BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
IFS=. read -r major minor patch <<<"$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/p"
failures=0

# Configures a consumer that calls find_package(scxx FIND_ARGS), with cmake's CMAKE_ARGS; its log
# is $work/log and has "scxx_FOUND=... scxx_VERSION=... why: <scxx_NOT_FOUND_MESSAGE>".
consumer() { # FIND_ARGS [CMAKE_ARGS...]
  cat >"$work/p/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(consumer LANGUAGES CXX)
find_package(scxx $1 CONFIG PATHS "$build" NO_DEFAULT_PATH)
message(STATUS "scxx_FOUND=\${scxx_FOUND} scxx_VERSION=\${scxx_VERSION} why: \${scxx_NOT_FOUND_MESSAGE}")
EOF
  rm -rf "$work/b"
  cmake -S "$work/p" -B "$work/b" "${@:2}" >"$work/log" 2>&1
}

expect() { # FOUND|NOTFOUND FIND_ARGS
  local got=ERROR
  if consumer "$2"; then
    got=NOTFOUND
    grep -q "scxx_FOUND=1 scxx_VERSION=$version " "$work/log" && got=FOUND
  fi
  if [[ $got == "$1" ]]; then
    echo "ok: find_package(scxx $2): $got"
  else
    cat "$work/log"
    echo "FAIL: find_package(scxx $2) with scxx $version: $got, expected $1"
    failures=$((failures + 1))
  fi
}

refused() { # WANT FIND_ARGS [CMAKE_ARGS...]: configure fails, saying WANT
  if consumer "${@:2}"; then
    echo "FAIL: find_package(scxx $2) ${*:3} configured"
    failures=$((failures + 1))
  elif tr -s ' \n' ' ' <"$work/log" | grep -qF -- "$1"; then
    echo "ok: find_package(scxx $2) ${*:3}: refused, saying '$1'"
  else
    cat "$work/log"
    echo "FAIL: find_package(scxx $2) ${*:3} was refused without saying '$1'"
    failures=$((failures + 1))
  fi
}

next_major=$((major + 1)).0
expect FOUND ""
expect FOUND "$major.$minor"
expect FOUND "$version EXACT"
expect FOUND "$major.$minor...<$next_major"
expect FOUND "$major.$minor...$version"
expect NOTFOUND "$major.$((minor + 1))"
expect NOTFOUND "$major.$((minor + 1))...<$next_major"
expect NOTFOUND "0.0...<$major.$minor"
expect NOTFOUND "$next_major"
if [[ $major == 0 && $minor -gt 0 ]]; then
  # Before 1.0 a minor release may break the API: an older minor is not met by a plain request.
  expect NOTFOUND "0.$((minor - 1))"
fi
# A refused version names the version found, so the consumer knows what to change.
refused "version: $version" "$next_major REQUIRED"

# Without the BPF tools: QUIET goes on and tells why; REQUIRED stops with the reason.
missing="scxx: SCXX_CLANG not found (/nonexistent/clang)"
if consumer QUIET -DSCXX_CLANG=/nonexistent/clang && grep -qF "scxx_FOUND=0 scxx_VERSION=$version why: $missing" "$work/log"; then
  echo "ok: find_package(scxx QUIET) without clang: scxx_FOUND=0 and scxx_NOT_FOUND_MESSAGE says '$missing'"
else
  cat "$work/log"
  echo "FAIL: find_package(scxx QUIET) without clang did not configure with scxx_FOUND=0 and the reason"
  failures=$((failures + 1))
fi
refused "$missing" REQUIRED -DSCXX_CLANG=/nonexistent/clang

[[ $failures == 0 ]] || { echo "$failures of the find_package checks failed"; exit 1; }
echo PASS
