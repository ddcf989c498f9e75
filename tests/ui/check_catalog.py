#!/usr/bin/env python3
"""Checks one translation catalog of the plug-in.

    python3 check_catalog.py --source SOURCE_ROOT --language de

Fails when po/POTFILES misses a source file with translatable strings, when
msgfmt --check finds a problem in po/LANG.po (format strings, header,
plural forms), or when the catalog lacks a translation (or has only a fuzzy
one) for a message of a .pot made afresh from POTFILES with the same
xgettext keywords as po/meson.build. Prints TAP-free plain text; the exit
status is the result.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# po/meson.build: i18n.gettext(preset: 'glib') plus its own arguments.
XGETTEXT_ARGS = [
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--keyword=NST_N_", "--from-code=UTF-8", "--add-comments=TRANSLATORS",
]
SOURCE_DIRS = ["plugin", "ui", os.path.join("engine", "cli")]
MARKED = re.compile(r"\b(?:_|N_|NST_N_|C_)\(\s*\"")


def listed_files(source):
    with open(os.path.join(source, "po", "POTFILES")) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def files_with_strings(source):
    found = []
    for folder in SOURCE_DIRS:
        for name in sorted(os.listdir(os.path.join(source, folder))):
            if name.endswith((".cpp", ".h")):
                path = os.path.join(folder, name)
                with open(os.path.join(source, path), encoding="utf-8") as f:
                    if MARKED.search(f.read()):
                        found.append(path)
    return found


def run(command, cwd=None):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return done.returncode, (done.stdout + done.stderr).strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True)
    parser.add_argument("--language", required=True)
    args = parser.parse_args()

    for tool in ("xgettext", "msgfmt", "msgcmp"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} not found")
            return 77

    failures = []
    listed = listed_files(args.source)
    missing = [p for p in files_with_strings(args.source) if p not in listed]
    if missing:
        failures.append("po/POTFILES lacks files with translatable strings: " + ", ".join(missing))

    po = os.path.join(args.source, "po", args.language + ".po")
    status, output = run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po])
    print(f"msgfmt --check {po}: {output}")
    if status != 0:
        failures.append("msgfmt --check failed")
    if re.search(r"fuzzy|untranslated", output):
        failures.append("the catalog has fuzzy or untranslated messages")

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "fresh.pot")
        status, output = run(["xgettext", *XGETTEXT_ARGS, "-o", pot, *listed], cwd=args.source)
        if status != 0 or not os.path.isfile(pot):
            failures.append("xgettext failed: " + output)
        else:
            status, output = run(["msgcmp", po, pot])
            if status != 0:
                failures.append("messages without a translation:\n" + output)

    for failure in failures:
        print("FAIL: " + failure)
    if not failures:
        print(f"{args.language}: complete and valid")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
