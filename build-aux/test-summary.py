#!/usr/bin/env python3
"""The closing line of build-aux/test.sh, from meson's testlog.json files.

  test-summary.py STATUS LOG...

Counts the tests that passed, failed and skipped: whole meson tests, and the
subtests inside them that skipped (gtest's "[  SKIPPED ] Suite.Name (N ms)",
TAP's "ok N name # SKIP"). Only GPU tests (a name with "cuda" or "gpu") may
skip; any other skip is listed and makes the exit status 1, as does a failure
or a non-zero STATUS (test.sh's own).
"""
import json
import re
import sys

GTEST_SKIP = re.compile(r"^\[  SKIPPED \] (\S+) \(\d+ ms\)$", re.M)
TAP_SKIP = re.compile(r"^ok\b([^#\n]*)#\s*SKIP", re.M | re.I)
GPU = re.compile(r"cuda|gpu", re.I)


def main(argv):
    status, logs = int(argv[1]), argv[2:]
    passed = failed = 0
    skipped = []  # (meson test, subtest or None)
    for log in logs:
        try:
            lines = open(log, encoding="utf-8").read().splitlines()
        except OSError:
            continue
        for line in lines:
            test = json.loads(line)
            name, result, out = test["name"], test.get("result"), test.get("stdout") or ""
            if result == "SKIP":
                skipped.append((name, None))
            elif result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            else:
                failed += 1
            skipped += [(name, sub) for sub in GTEST_SKIP.findall(out)]
            skipped += [(name, sub.strip()) for sub in TAP_SKIP.findall(out)]
    # A subtest's own name, not its meson test's, says whether it is a GPU test.
    other = [(test, sub) for test, sub in skipped if not GPU.search(sub or test)]
    counts = f"{len(skipped)} tests skipped (GPU tests without a GPU)"
    if status == 0 and failed == 0 and not other:
        print(f"test.sh: all suites passed ({passed} meson tests); {counts}")
        return 0
    print(f"test.sh: {passed} passed, {failed} failed, {len(skipped)} skipped")
    for test, sub in other:
        print(f"test.sh: skipped, but only GPU tests may skip: {test}" + (f": {sub}" if sub else ""))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
