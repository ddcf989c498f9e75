#!/usr/bin/env bash
# Creates (once) and updates a Debian 13 root holding everything the project
# builds and tests with, then prints its path. The host may be Debian 12,
# whose GIMP (2.10) and LibTorch (1.13) are too old.
#
#   build-aux/debian13-root.sh [ROOT [PACKAGE_LIST]]
#     ROOT          default: /var/cache/neural-style-transfer/debian13
#     PACKAGE_LIST  default: build-aux/debian13-packages.txt; another list makes
#                   another root the same way (tests/package's minimal one)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${1:-/var/cache/neural-style-transfer/debian13}
list=${2:-$here/debian13-packages.txt}
mirror=http://deb.debian.org/debian
packages=$(grep -v '^#' "$list" | xargs)
stamp="$root/.nst-packages"

if [ "$(id -u)" != 0 ]; then
  echo "debian13-root: must run as root (it uses mmdebstrap and chroot)" >&2
  exit 1
fi

if [ ! -f "$root/etc/debian_version" ]; then
  if ! command -v mmdebstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
  fi
  mkdir -p "$(dirname "$root")"
  tmp="$root.partial"
  rm -rf "$tmp"
  echo "debian13-root: creating $root (takes a few minutes, once)" >&2
  mmdebstrap --variant=apt --include="$(echo $packages | tr ' ' ,)" trixie "$tmp" "$mirror" >&2
  mv "$tmp" "$root"
  echo "$packages" >"$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$packages" ]; then
  echo "debian13-root: package list changed, installing into $root" >&2
  "$here/in-root.sh" "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages" >&2
  echo "$packages" >"$stamp"
fi
# OpenBLAS's OpenMP build shares LibTorch's threads; its pthreads build, the
# default where both are installed, competes with them for the cores.
for name in libblas.so.3 liblapack.so.3 libopenblas.so.0; do
  target=/usr/lib/x86_64-linux-gnu/openblas-openmp/$name
  if [ -e "$root$target" ]; then
    chroot "$root" update-alternatives --set "$name-x86_64-linux-gnu" "$target" >/dev/null
  fi
done
echo "$root"
