#!/usr/bin/env python3
"""Fails when a C or C++ file of engine/, plugin/, ui/ or tests/ is not as
clang-format (with the committed .clang-format) would write it.

    check_format.py --source SOURCE_DIR --clang-format PROGRAM
"""
import argparse
import os
import subprocess
import sys

FOLDERS = ["engine", "plugin", "ui", "tests"]
SUFFIXES = (".c", ".cpp", ".h")


def sources(top):
    for folder in FOLDERS:
        for root, _, names in os.walk(os.path.join(top, folder)):
            for name in sorted(names):
                if name.endswith(SUFFIXES):
                    yield os.path.join(root, name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--clang-format", required=True)
    args = parser.parse_args()
    files = list(sources(args.source))
    done = subprocess.run([args.clang_format, "--dry-run", "--Werror"] + files,
                          capture_output=True, text=True, cwd=args.source)
    sys.stderr.write(done.stderr)
    print(f"{len(files)} files checked, {'all formatted' if done.returncode == 0 else 'some not'}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
