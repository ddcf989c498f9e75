#!/usr/bin/env bash
# The main job: build the plug-in, install it into a GIMP 3 profile and apply
# "Neural Style Transfer" through GIMP's batch mode, or start GIMP's GUI.
#
#   bash build-aux/gimp-run.sh [--content IMG] [--style IMG] [--output FILE]
#        [--weights FILE] [--iterations N] [--size PX] [--device auto|cpu|cuda]
#        [--system] [--gui]
#
# Defaults: the sample pair in data/samples, output nst-result.png in the
# current folder, the per-user plug-in folder (~/.config/GIMP/3.0/plug-ins;
# --system installs into GIMP's own plug-in folder instead). Without
# --weights the plug-in finds the VGG19 weights itself or downloads them on
# first use (548 MB). --gui starts GIMP with the content image and the
# plug-in installed (under Xvfb when there is no display).
#
# On a Debian 12 host this runs inside the project's Debian 13 root
# (build-aux/debian13-root.sh); image paths are copied in and out.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

content=$top/data/samples/content-landscape.png
style=$top/data/samples/style-swirls.png
output=$PWD/nst-result.png
weights=
iterations=
size=
device=
gui=
system=
while [ $# -gt 0 ]; do
  case $1 in
  --content) content=$(realpath "$2"); shift ;;
  --style) style=$(realpath "$2"); shift ;;
  --output) output=$(realpath -m "$2"); shift ;;
  --weights) weights=$(realpath "$2"); shift ;;
  --iterations) iterations=$2; shift ;;
  --size) size=$2; shift ;;
  --device) device=$2; shift ;;
  --system) system=yes ;;
  --gui) gui=yes ;;
  -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "gimp-run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for f in "$content" "$style" ${weights:+"$weights"}; do
  [ -f "$f" ] || { echo "gimp-run.sh: no such file: $f" >&2; exit 2; }
done

if [ -z "${NST_IN_ROOT:-}" ] && ! command -v gimp-console-3.0 >/dev/null; then
  # Run inside the Debian 13 root: copy the inputs where it can see them.
  root=$(bash "$top/build-aux/debian13-root.sh")
  io=$top/build/gimp-run-io
  rm -rf "$io" && mkdir -p "$io"
  cp "$content" "$io/content.${content##*.}"
  cp "$style" "$io/style.${style##*.}"
  args=(--content "$io/content.${content##*.}" --style "$io/style.${style##*.}"
    --output "$io/result.${output##*.}")
  # Weights can be large: make them visible through a bind mount, not a copy.
  # The mount goes on the root's own view of the folder: a mount made under
  # the checkout would not reach the root's earlier bind of it.
  if [ -n "$weights" ]; then
    mkdir -p "$io/weights"
    bash "$top/build-aux/in-root.sh" "$root" true # the root's bind of the checkout
    mount --bind "$(dirname "$weights")" "$root$io/weights"
    trap 'umount "$root$io/weights" 2>/dev/null || true' EXIT
    args+=(--weights "$io/weights/$(basename "$weights")")
  fi
  [ -n "$iterations" ] && args+=(--iterations "$iterations")
  [ -n "$size" ] && args+=(--size "$size")
  [ -n "$device" ] && args+=(--device "$device")
  [ -n "$system" ] && args+=(--system)
  [ -n "$gui" ] && args+=(--gui)
  bash "$top/build-aux/in-root.sh" "$root" env NST_IN_ROOT=1 ${DISPLAY:+DISPLAY=$DISPLAY} \
    bash "$top/build-aux/gimp-run.sh" "${args[@]}"
  if [ -z "$gui" ]; then
    cp "$io/result.${output##*.}" "$output"
    echo "gimp-run.sh: wrote $output"
  fi
  exit 0
fi

# Build and install.
cd "$top"
if [ -n "$system" ]; then
  plugin_dir=$(pkg-config --variable=gimplibdir gimp-3.0)/plug-ins
else
  plugin_dir=${XDG_CONFIG_HOME:-$HOME/.config}/GIMP/3.0/plug-ins
fi
build=build/release
if [ -f "$build/build.ninja" ]; then
  meson configure "$build" -Dplugin_dir="$plugin_dir" >/dev/null
else
  meson setup "$build" -Dbuildtype=release -Dplugin_dir="$plugin_dir" >/dev/null
fi
ninja -C "$build" >/dev/null
meson install -C "$build" --quiet --tags runtime,i18n
echo "gimp-run.sh: installed $plugin_dir/neural-style-transfer/neural-style-transfer"

if [ -n "$gui" ]; then
  if [ -n "${DISPLAY:-}" ]; then
    exec gimp-3.0 "$content"
  fi
  exec xvfb-run -a -s '-screen 0 1600x1000x24' gimp-3.0 "$content"
fi

# Apply the filter in batch mode and export the result.
export NST_CONTENT=$content NST_STYLE=$style NST_OUTPUT=$output NST_WEIGHTS=$weights
export NST_ITERATIONS=$iterations NST_SIZE=$size NST_DEVICE=$device
log=$(mktemp)
gimp-console-3.0 -i --batch-interpreter=python-fu-eval -b - --quit <"$top/build-aux/gimp-apply-filter.py" 2>&1 | tee "$log" | grep -E '^(nst:|Traceback|  File|[A-Za-z]*Error)' || true
if ! grep -q '^nst: wrote' "$log"; then
  echo "gimp-run.sh: the filter did not produce a result; GIMP's output was:" >&2
  cat "$log" >&2
  # The plug-in speaks to scripts of its weights-file argument; here that is --weights.
  if grep -q 'weights-file argument' "$log"; then
    echo "gimp-run.sh: give the VGG19 weights file with --weights FILE" >&2
  fi
  exit 1
fi
