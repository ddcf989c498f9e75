#!/usr/bin/env python3
"""Prints, one per line, the build targets (ninja's names) that some of a
configured build's tests need: the tests of the named suites and the tests
named. test.sh builds only these in its sanitizer build, where building
everything (benchmarks, the plug-ins run only inside GIMP) cost minutes.

    python3 build-aux/test-targets.py BUILD_DIR [--suite SUITE]... [TEST]...
"""
import argparse
import json
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir")
    parser.add_argument("--suite", action="append", default=[])
    parser.add_argument("tests", nargs="*")
    args = parser.parse_intermixed_args()

    info = os.path.join(args.build_dir, "meson-info")
    with open(os.path.join(info, "intro-tests.json")) as f:
        tests = json.load(f)
    with open(os.path.join(info, "intro-targets.json")) as f:
        outputs = {t["id"]: t["filename"] for t in json.load(f)}

    chosen = [t for t in tests
              if t["name"] in args.tests or
              any(s.split(":")[-1] in args.suite for s in t["suite"])]
    missing = set(args.tests) - {t["name"] for t in chosen}
    if missing or not chosen:
        print("test-targets: no such test or suite: " +
              ", ".join(sorted(missing) or args.suite), file=sys.stderr)
        return 1
    build = os.path.abspath(args.build_dir)
    names = {os.path.relpath(path, build)
             for t in chosen for target in t["depends"] for path in outputs[target]}
    print("\n".join(sorted(names)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
