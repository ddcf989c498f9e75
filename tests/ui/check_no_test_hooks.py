#!/usr/bin/env python3
"""The installed plug-in has no test hook: its binary names neither the
test-script variable nor a shell, and imports no process spawning. The GUI
tests' own plug-in, when given, must show all of them, so that this check is
known to see what it looks for."""
import argparse
import sys

MARKERS = [b"NST_UI_TEST_SCRIPT", b"/bin/sh", b"posix_spawn"]


def found(path):
    with open(path, "rb") as f:
        data = f.read()
    return [m.decode() for m in MARKERS if m in data]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipped", required=True, help="the plug-in meson installs")
    parser.add_argument("--with-driver", required=True, help="the tests' plug-in, with the driver")
    args = parser.parse_args()
    problems = []
    shipped = found(args.shipped)
    if shipped:
        problems.append(f"{args.shipped} holds test hooks: {', '.join(shipped)}")
    if args.with_driver:
        missing = set(m.decode() for m in MARKERS) - set(found(args.with_driver))
        if missing:
            problems.append(f"{args.with_driver} lacks {', '.join(sorted(missing))}: "
                            "this check cannot see the hooks it looks for")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{args.shipped}: no test hook")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
