#!/usr/bin/env bash
# Suite package: installs the built Debian packages the way a user does,
# `apt-get install ./*.deb`, into a fresh minimal Debian 13 root (no build
# tools), checks what the user gets, then purges them and checks that every
# file they installed is gone. Output is TAP; exits non-zero on a failure.
# Run as root on the host, after bash build-aux/build-deb.sh:
#
#   bash tests/package/run_package_test.sh [--debs DIR] [--weights FILE]
#     --debs     where build-deb.sh wrote the packages (default: build/deb)
#     --weights  a local VGG19 weights file for the GIMP batch run (default:
#                ../shared/fixtures/weights/vgg19-narrow.safetensors)
#
# The minimal root is made once and cached like the build root
# (build-aux/debian13-root.sh with tests/package/minimal-packages.txt, at
# /var/cache/neural-style-transfer/debian13-minimal); each run copies it to a
# scratch root, so every run starts fresh, and removes the copy afterwards.
# apt downloads GIMP, LibTorch and their dependencies into the copy each run.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
debs=build/deb
weights=../shared/fixtures/weights/vgg19-narrow.safetensors
while [ $# -gt 0 ]; do
  case $1 in
  --debs) debs=$2; shift ;;
  --weights) weights=$2; shift ;;
  *) echo "run_package_test: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$(id -u)" != 0 ]; then
  echo "run_package_test: must run as root (it uses chroot)" >&2
  exit 1
fi
packages=(gimp-plugin-neural-style-transfer neural-style)
deb_files=()
for package in "${packages[@]}"; do
  found=$(compgen -G "$debs/${package}_*.deb" | head -1 || true)
  if [ -z "$found" ]; then
    echo "run_package_test: no $debs/${package}_*.deb; build them with bash build-aux/build-deb.sh" >&2
    exit 1
  fi
  deb_files+=("$found")
done
if [ ! -f "$weights" ]; then
  # Without ../shared, the narrow VGG19 is written with PyTorch in the build root.
  made=build/package-weights
  mkdir -p "$made"
  bash build-aux/in-root.sh "$(bash build-aux/debian13-root.sh)" \
    python3 tests/tools/make_weight_fixtures.py --vgg19-narrow "$made" >/dev/null || true
  weights=$made/vgg19-narrow.safetensors
  if [ ! -f "$weights" ]; then
    echo "run_package_test: no weights file (../shared/fixtures, --weights FILE, or PyTorch" \
      "in the Debian 13 root to write one)" >&2
    exit 1
  fi
fi

base=$(bash build-aux/debian13-root.sh /var/cache/neural-style-transfer/debian13-minimal \
  "$top/tests/package/minimal-packages.txt")
scratch=$(mktemp -d /var/cache/neural-style-transfer/package-test.XXXXXX)

# Only /proc, /sys and /dev are mounted into the scratch root (nothing of the
# checkout): they are unmounted before the copy is removed, and the removal
# stays on the scratch root's own file system.
cleanup() {
  for mount in dev sys proc; do
    if mountpoint -q "$scratch/$mount"; then umount -R -l "$scratch/$mount"; fi
  done
  if grep -q " $scratch/" /proc/mounts; then
    echo "run_package_test: something is still mounted under $scratch; not removing it" >&2
    return
  fi
  rm -rf --one-file-system "$scratch"
}
trap cleanup EXIT
cp -a --one-file-system "$base/." "$scratch/"
mount -t proc proc "$scratch/proc"
mount -t sysfs sysfs "$scratch/sys"
# /dev with its submounts (/dev/shm, /dev/pts), as a slave: unmounting it
# again never reaches the host's /dev.
mount --rbind /dev "$scratch/dev"
mount --make-rslave "$scratch/dev"
cp -f /etc/resolv.conf "$scratch/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$scratch/tmp/nst"
cp "${deb_files[@]}" "$scratch/tmp/nst/"
cp "$weights" "$scratch/tmp/nst/weights.safetensors"

# in_root COMMAND...: runs inside the scratch root as a user's shell would.
in_root() {
  chroot "$scratch" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    LANG=C.UTF-8 "$@"
}

number=0
failed=0
# check NAME COMMAND...: one TAP line; the command's output is shown on failure.
check() {
  local name=$1 output
  shift
  number=$((number + 1))
  if output=$("$@" 2>&1); then
    echo "ok $number $name"
  else
    echo "not ok $number $name"
    printf '%s\n' "$output" | sed 's/^/# /'
    failed=$((failed + 1))
  fi
}

echo "1..10"
install_packages() {
  in_root sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./tmp/nst/*.deb' &&
    in_root dpkg-query -L "${packages[@]}" >"$scratch/tmp/nst/installed-paths"
}
check "apt-get install ./*.deb into a fresh minimal Debian 13 root" install_packages

version=$(dpkg-deb -f "${deb_files[1]}" Version)
check "neural-style --version from PATH prints $version" \
  in_root sh -c "test \"\$(command -v neural-style)\" = /usr/bin/neural-style &&
    neural-style --version | grep -qx 'neural-style $version'"

check "neural-style --help lists the table's options" \
  in_root sh -c 'neural-style --help >/tmp/nst/help && grep -q "^Usage: neural-style" /tmp/nst/help &&
    grep -q -- "--style-weight X" /tmp/nst/help && grep -q -- "--scale-iterations N,N..." /tmp/nst/help'

# man-db renders it without a warning (stderr empty), with its options.
check "man neural-style renders" \
  in_root sh -c 'MANWIDTH=80 man neural-style >/tmp/nst/man 2>/tmp/nst/man-errors &&
    ! test -s /tmp/nst/man-errors && grep -q "^OPTIONS" /tmp/nst/man &&
    grep -q -- "--style-weight X" /tmp/nst/man || { cat /tmp/nst/man-errors; false; }'

check "bash completion offers the options" \
  in_root bash -c 'source /usr/share/bash-completion/completions/neural-style &&
    COMP_WORDS=(neural-style --optim) COMP_CWORD=1 && _neural_style &&
    test "${COMPREPLY[*]}" = --optimizer'

# The catalog lies in the plug-in's folder, where neural-style binds it.
german() {
  in_root sh -c 'sed -i "s/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/" /etc/locale.gen &&
    locale-gen >/dev/null &&
    ls /usr/lib/*/gimp/3.0/plug-ins/neural-style-transfer/locale/de/LC_MESSAGES/gimp30-neural-style-transfer.mo &&
    LANG=de_DE.UTF-8 neural-style --help | grep -q "^Optionen:"'
}
check "the German catalog is found (neural-style --help in German)" german

# gimp-console-3.0 with a fresh profile: the plug-in is registered (pluginrc)
# and runs in batch mode (Script-Fu) on the sample pair with the local weights.
cat >"$scratch/tmp/nst/stylise.scm" <<'EOF'
(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE
                     "/usr/share/neural-style-transfer/samples/content-landscape.png")))
       (layer (vector-ref (car (gimp-image-get-layers image)) 0))
       (stylised (vector-ref (car (plug-in-neural-style-transfer
                                   #:run-mode RUN-NONINTERACTIVE #:image image
                                   #:drawables (vector layer)
                                   #:style-file "/usr/share/neural-style-transfer/samples/style-swirls.png"
                                   #:weights-file "/tmp/nst/weights.safetensors"
                                   #:size 64 #:iterations 2))
                             0)))
  (gimp-item-set-visible layer FALSE)
  (gimp-image-merge-visible-layers image CLIP-TO-IMAGE)
  (gimp-file-save RUN-NONINTERACTIVE image "/tmp/nst/stylised.png" -1))
EOF
run_gimp() {
  in_root sh -c 'mkdir -p /tmp/nst/home /tmp/nst/profile &&
    HOME=/tmp/nst/home GIMP3_DIRECTORY=/tmp/nst/profile XDG_CACHE_HOME=/tmp/nst/home/.cache \
    timeout 600 gimp-console-3.0 -i --batch-interpreter=plug-in-script-fu-eval -b - --quit \
      </tmp/nst/stylise.scm >/tmp/nst/gimp.log 2>&1; echo "exit $?" >>/tmp/nst/gimp.log'
}
run_gimp || true
check "gimp-console-3.0 lists plug-in-neural-style-transfer" \
  sh -c "grep -q 'plug-in-neural-style-transfer' '$scratch/tmp/nst/profile/pluginrc' ||
    { cat '$scratch/tmp/nst/gimp.log'; false; }"
check "gimp-console-3.0 runs it in batch mode with a local weights file" \
  sh -c "test -s '$scratch/tmp/nst/stylised.png' || { cat '$scratch/tmp/nst/gimp.log'; false; }"

check "apt-get purge removes both packages" \
  in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq ${packages[*]} &&
    ! dpkg-query -W -f '\${db:Status-Abbrev}\n' ${packages[*]} 2>/dev/null | grep -q '^.[^n]'"

# Every file the packages installed is gone, and so are their own folders.
left_over() {
  local path left=0
  while IFS= read -r path; do
    if [ -e "$scratch$path" ] && [ ! -d "$scratch$path" ]; then
      echo "left: $path"
      left=1
    fi
  done <"$scratch/tmp/nst/installed-paths"
  for path in "$scratch"/usr/lib/*/gimp/3.0/plug-ins/neural-style-transfer \
    "$scratch/usr/share/neural-style-transfer" "$scratch/usr/share/doc/neural-style" \
    "$scratch/usr/share/doc/gimp-plugin-neural-style-transfer"; do
    if [ -e "$path" ]; then
      echo "left: ${path#"$scratch"}"
      left=1
    fi
  done
  [ -s "$scratch/tmp/nst/installed-paths" ] && [ $left = 0 ]
}
check "no file the packages installed is left after the purge" left_over

if [ $failed != 0 ]; then
  echo "run_package_test: $failed of $number checks failed" >&2
  exit 1
fi
echo "run_package_test: all $number checks passed"
