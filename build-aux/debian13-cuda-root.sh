#!/usr/bin/env bash
# Creates (once) a second Debian 13 root like debian13-root.sh's, with
# Debian's CUDA LibTorch (libtorch-cuda-dev, from contrib, with the CUDA
# libraries from non-free) in place of the CPU one, and prints its path.
# About 2.4 GB to download and 6 GB more on disk. Building and testing in it:
# build-aux/cuda-check.sh.
#
#   build-aux/debian13-cuda-root.sh [ROOT]  default ROOT: /var/cache/neural-style-transfer/debian13-cuda
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${1:-/var/cache/neural-style-transfer/debian13-cuda}

# debian13-root.sh puts the CPU LibTorch back when its package list changes
# (the two conflict); the CUDA one then comes back here.
"$here/debian13-root.sh" "$root" >/dev/null
cuda_lib=/usr/lib/x86_64-linux-gnu/libtorch_cuda.so
if [ ! -e "$root$cuda_lib" ]; then
  echo "debian13-cuda-root: installing libtorch-cuda-dev into $root (once)" >&2
  echo "deb http://deb.debian.org/debian trixie contrib non-free" >"$root/etc/apt/sources.list.d/nst-cuda.list"
  # nvidia-cudnn's set-up downloads cuDNN from NVIDIA and fails where that
  # site is out of reach; building and the CPU tests do without it.
  "$here/in-root.sh" "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libtorch-cuda-dev" >&2 ||
    echo "debian13-cuda-root: apt-get failed; going on if LibTorch's CUDA files are in place" >&2
  if [ ! -e "$root$cuda_lib" ]; then
    echo "debian13-cuda-root: $cuda_lib is missing after the install" >&2
    exit 1
  fi
fi
echo "$root"
