#!/usr/bin/env bash
# The project's test command (README, .ci/run):
#
#   bash build-aux/test.sh [--[no-]sanitize] [--[no-]fuzz] [--[no-]package] [--suite NAME]...
#
# On a host without GIMP 3 and LibTorch 2.x development files (Debian 12) it
# creates once, then reuses, a Debian 13 root with every package the project
# needs, and runs itself inside it. There it configures, builds warnings-clean
# and runs the test suites; with --sanitize (the default under CI) it then
# builds again with AddressSanitizer and UndefinedBehaviorSanitizer and runs
# the fast suites; with --fuzz (also the default under CI) it builds the
# libFuzzer targets with clang and runs each parser for a bounded time. With
# --package (the default under CI; on a Debian 12 host only) it then builds
# the Debian packages (build-aux/build-deb.sh) and runs suite package on them.
# Exits non-zero on any failure, and when a test other than a GPU one skipped;
# the closing line (build-aux/test-summary.py) says how many skipped.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sanitize=${CI:+yes}
fuzz=${CI:+yes}
package=${CI:+yes}
suites=()
while [ $# -gt 0 ]; do
  case $1 in
  --sanitize) sanitize=yes ;;
  --no-sanitize) sanitize= ;;
  --fuzz) fuzz=yes ;;
  --no-fuzz) fuzz= ;;
  --package) package=yes ;;
  --no-package) package= ;;
  --suite) suites+=(--suite "$2"); shift ;;
  *) echo "test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

has_native_deps() {
  pkg-config --exists 'gimp-3.0 >= 3.0' 2>/dev/null && command -v meson >/dev/null &&
    { [ -f /usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake ] ||
      [ -f /usr/share/cmake/Torch/TorchConfig.cmake ]; }
}

if [ -z "${NST_IN_ROOT:-}" ] && ! has_native_deps; then
  root=$(bash "$top/build-aux/debian13-root.sh")
  args=()
  [ -n "$sanitize" ] && args+=(--sanitize) || args+=(--no-sanitize)
  [ -n "$fuzz" ] && args+=(--fuzz) || args+=(--no-fuzz)
  status=0
  bash "$top/build-aux/in-root.sh" "$root" env NST_IN_ROOT=1 CI="${CI:-}" \
    bash "$top/build-aux/test.sh" "${args[@]}" "${suites[@]}" || status=1
  if [ -n "$package" ]; then
    # Suite package, on the host: it installs the built packages into a
    # fresh minimal Debian 13 root (tests/package/run_package_test.sh).
    started=$(date +%s)
    if bash "$top/build-aux/build-deb.sh" && built=$(date +%s) &&
      bash "$top/tests/package/run_package_test.sh"; then
      echo "test.sh: package suite passed in $(($(date +%s) - started)) s" \
        "(building the packages $((built - started)) s)"
    else
      echo "test.sh: package suite FAILED" >&2
      status=1
    fi
  fi
  exit $status
fi

jobs=$(nproc)
start=$(date +%s)
# lap NAME: how long the step just finished took (where CI's minutes go).
lap_start=$start
lap() {
  local now
  now=$(date +%s)
  echo "test.sh: $1 took $((now - lap_start)) s"
  lap_start=$now
}

# configure BUILD_DIR MESON_ARGS...: set up once, reconfigure afterwards.
configure() {
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
}

status=0
configure build/test -Dwerror=true -Dfuzzing=false
ninja -C build/test -j"$jobs"
lap "the test build"
meson test -C build/test --no-rebuild --print-errorlogs --num-processes "$jobs" "${suites[@]}" || status=1
lap "its tests"
logs=(build/test/meson-logs/testlog.json)

if [ -n "$sanitize" ]; then
  # LibTorch itself is not instrumented: leaks it keeps until exit are its own.
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  configure build/sanitize -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined \
    -Db_lundef=false -Dplugin=enabled -Dui=enabled
  # The plug-in's and the dialog's unit tests too; what runs inside GIMP does not
  # (GIMP itself is not instrumented). Only what these tests need is built.
  sanitized_suites=(--suite engine --suite cli --suite fetch)
  sanitized_tests=(plugin_unit ui_unit)
  mapfile -t targets < <(python3 build-aux/test-targets.py build/sanitize \
    "${sanitized_suites[@]}" "${sanitized_tests[@]}")
  [ ${#targets[@]} -gt 0 ] || exit 1
  ninja -C build/sanitize -j"$jobs" "${targets[@]}"
  lap "the sanitizer build"
  # A debug build under the sanitizers runs several times slower.
  meson test -C build/sanitize --no-rebuild --print-errorlogs --num-processes "$jobs" \
    --timeout-multiplier 4 "${sanitized_suites[@]}" || status=1
  meson test -C build/sanitize --no-rebuild --print-errorlogs --num-processes "$jobs" \
    --timeout-multiplier 4 --logbase unit-testlog "${sanitized_tests[@]}" || status=1
  logs+=(build/sanitize/meson-logs/unit-testlog.json)
  logs+=(build/sanitize/meson-logs/testlog.json)
  lap "its tests"
fi

if [ -n "$fuzz" ]; then
  # libFuzzer needs clang; only the parsers, the image readers and their fuzz targets are built.
  CC=clang CXX=clang++ configure build/fuzz -Dwerror=true -Dfuzzing=true -Dplugin=disabled \
    -Dui=disabled -Dcli=false
  ninja -C build/fuzz -j"$jobs" tests/fuzz/fuzz_torch_legacy tests/fuzz/fuzz_torch_zip \
    tests/fuzz/fuzz_safetensors tests/fuzz/fuzz_pickle_machine tests/fuzz/fuzz_png \
    tests/fuzz/fuzz_jpeg
  meson test -C build/fuzz --no-rebuild --print-errorlogs --suite fuzz || status=1
  logs+=(build/fuzz/meson-logs/testlog.json)
  lap "the fuzzers (build and runs)"
fi

echo "test.sh: finished in $(($(date +%s) - start)) s"
python3 build-aux/test-summary.py "$status" "${logs[@]}" || status=1
exit $status
