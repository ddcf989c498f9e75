#!/usr/bin/env bash
# Runs a command inside the Debian 13 root, with this checkout (and the
# ../shared folder beside it, when present) visible at the same paths and
# the current directory kept.
#
#   build-aux/in-root.sh ROOT COMMAND [ARGS...]
set -euo pipefail
root=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)

bind() { # bind SOURCE: make SOURCE visible at the same path inside the root
  local src=$1 dst="$root$1"
  mkdir -p "$dst"
  # A bind left by an earlier checkout at this path that has since been
  # removed still counts as a mount point but shows the deleted folder:
  # compare what it shows with SOURCE and replace it when they differ.
  while mountpoint -q "$dst"; do
    [ "$(stat -c %d:%i "$src")" = "$(stat -c %d:%i "$dst")" ] && return 0
    umount -l "$dst"
  done
  mount --bind "$src" "$dst"
}

mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
# LibTorch's OpenMP counts CPUs through /sys: without it, it uses one core.
mountpoint -q "$root/sys" || mount -t sysfs sysfs "$root/sys"
mountpoint -q "$root/dev" || mount --rbind /dev "$root/dev"
mkdir -p "$root/dev/shm"
cp -f /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
bind "$top"
if [ -d "$top/../shared" ]; then
  bind "$(cd "$top/../shared" && pwd)"
fi

exec chroot "$root" /usr/bin/env -C "$PWD" HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 "$@"
