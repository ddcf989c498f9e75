#!/usr/bin/env bash
# Builds the project against Debian's CUDA LibTorch (in the root that
# debian13-cuda-root.sh makes) with warnings as errors, and runs the engine
# and command-line suites. On a machine without a GPU the CUDA tests
# (tests/engine/cuda_test.cpp) skip and say so; with one they compare CUDA
# against the CPU.
#
#   build-aux/cuda-check.sh [ROOT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/.." && pwd)
root=$("$here/debian13-cuda-root.sh" "${1:-}")
"$here/in-root.sh" "$root" bash -c "
  set -euo pipefail
  cd '$source_dir'
  [ -f build/cuda/build.ninja ] || meson setup build/cuda -Dwerror=true -Dfuzzing=false
  meson compile -C build/cuda
  grep -q NST_HAVE_CUDA=1 build/cuda/build.ninja || { echo 'cuda-check: Meson did not find libtorch_cuda' >&2; exit 1; }
  meson test -C build/cuda --suite engine --suite cli --print-errorlogs
"
