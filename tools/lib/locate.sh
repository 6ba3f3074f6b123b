# Sourced by scxx-new and scxx-skel (never executed): where this scxx is, from the directory they
# run from, an install's share/scxx/tools or a source tree's tools/. Sets
#   scxx_find  the CMake argument that makes find_package(scxx) find it: -DCMAKE_PREFIX_PATH=<the
#              install's prefix>, or -Dscxx_DIR=<the source tree's build directory>
#   scxx_vm, scxx_dev  its scxx-vm and scxx-dev (tools/dev in a source tree)
# shellcheck shell=bash
scxx_locate() {
  local tools=$1
  if [[ $tools == */share/scxx/tools ]]; then
    local prefix=${tools%/share/scxx/tools}
    scxx_find="-DCMAKE_PREFIX_PATH=$prefix" scxx_vm=$prefix/bin/scxx-vm scxx_dev=$prefix/bin/scxx-dev
  else
    local source=${tools%/tools}
    scxx_find="-Dscxx_DIR=$source/build" scxx_vm=$source/tools/scxx-vm scxx_dev=$source/tools/dev
  fi
}
