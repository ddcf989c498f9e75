#!/usr/bin/env python3
"""`meson install` puts neural-style on PATH (bindir) and its catalogs where
the program looks for them: installed into a scratch DESTDIR, the program
runs as README shows it, from PATH, and the German catalog is at the
configured folder. TAP output."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--build", required=True)
parser.add_argument("--bindir", required=True)      # absolute
parser.add_argument("--localedir", required=True)   # absolute, what the program binds
parser.add_argument("--domain", required=True)
args = parser.parse_args()

print("1..3")
destdir = tempfile.mkdtemp(prefix="nst-install-")
try:
    result = subprocess.run(["meson", "install", "-C", args.build, "--no-rebuild", "--quiet",
                             "--destdir", destdir, "--tags", "runtime,i18n"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print("not ok 1 meson install # " + (result.stderr or result.stdout).replace("\n", " | "))
        print("not ok 2 on PATH # not installed")
        print("not ok 3 catalog # not installed")
        sys.exit(1)
    print("ok 1 meson install")
    bindir = destdir + args.bindir
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    found = shutil.which("neural-style", path=env["PATH"])
    version = subprocess.run(["neural-style", "--version"], env=env, capture_output=True,
                             text=True)
    helped = subprocess.run(["neural-style", "--help"], env=env, capture_output=True, text=True)
    ok = (found == os.path.join(bindir, "neural-style") and version.returncode == 0 and
          version.stdout.startswith("neural-style ") and helped.returncode == 0 and
          "--style-weight" in helped.stdout)
    print(("ok" if ok else "not ok") + f" 2 neural-style --version and --help from PATH ({found})")
    catalog = os.path.join(destdir + args.localedir, "de", "LC_MESSAGES", args.domain + ".mo")
    print(("ok" if os.path.isfile(catalog) else "not ok") + f" 3 the German catalog at {catalog}")
    sys.exit(0 if ok and os.path.isfile(catalog) else 1)
finally:
    shutil.rmtree(destdir, ignore_errors=True)
