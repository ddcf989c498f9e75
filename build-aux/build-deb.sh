#!/usr/bin/env bash
# Builds the Debian packages (debian/) in the Debian 13 root and checks them
# with lintian: one command, as root on the host (like build-aux/test.sh).
#
#   bash build-aux/build-deb.sh [OUTPUT_DIR]     default: build/deb
#
# The working tree (what git tracks and does not ignore, uncommitted changes
# included) is copied to OUTPUT_DIR/src and built there with
# `dpkg-buildpackage -b`: gimp-plugin-neural-style-transfer_*.deb,
# neural-style_*.deb and their -dbgsym packages land in OUTPUT_DIR. Then
# `lintian` must report no error and no warning. Compiles the whole project
# (about 5 minutes on 2 cores).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${1:-build/deb}

has_native_tools() {
  command -v dpkg-buildpackage && command -v dh && command -v lintian &&
    pkg-config --exists 'gimp-3.0 >= 3.0'
} >/dev/null 2>&1

# The source copy is made where git is (the host; the root has no git).
if [ -z "${NST_IN_ROOT:-}" ]; then
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  src="$out/src"
  rm -rf "$src"
  rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo
  mkdir -p "$src"
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    tar -c --null -T - | tar -x -C "$src"
fi
out=$(cd "$out" && pwd)
src="$out/src"

if [ -z "${NST_IN_ROOT:-}" ] && ! has_native_tools; then
  root=$(bash "$top/build-aux/debian13-root.sh")
  exec bash "$top/build-aux/in-root.sh" "$root" env NST_IN_ROOT=1 \
    bash "$top/build-aux/build-deb.sh" "$out"
fi

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
(cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)")
# dpkg-buildpackage writes beside the source folder: that is OUTPUT_DIR.
echo "build-deb: built in $out:"
ls -1 "$out"/*_"$version"_*.deb
lintian --fail-on error,warning --display-info --info "$out"/neural-style-transfer_"$version"_*.changes
echo "build-deb: lintian reports no error and no warning"
