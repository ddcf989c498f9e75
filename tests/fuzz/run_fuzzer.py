#!/usr/bin/env python3
"""Runs one libFuzzer target for a bounded time on a seed corpus made from
the weights test fixtures (written by tests/tools/make_weight_fixtures.py
with $NST_PYTHON when PyTorch is there, plus shared/fixtures/weights/tiny-*).

  run_fuzzer.py FUZZER KIND SECONDS      KIND: legacy, zip, safetensors, pickle

Exits with the fuzzer's status; inputs that crashed it are copied to the
current folder as fuzz-crash-KIND-*.
"""
import glob
import os
import pickletools
import shutil
import subprocess
import sys
import tempfile
import zipfile


def fixture_files(workdir):
    files = []
    python = os.environ.get("NST_PYTHON")
    source = os.environ.get("NST_SOURCE_DIR")
    if python and source:
        out = os.path.join(workdir, "fixtures")
        script = os.path.join(source, "tests", "tools", "make_weight_fixtures.py")
        result = subprocess.run([python, script, out], capture_output=True, text=True)
        if result.returncode == 0:
            files += sorted(glob.glob(os.path.join(out, "tiny*")))
        else:
            print("no PyTorch-written seeds:", result.stderr.strip().splitlines()[-1:])
    shared = os.environ.get("NST_SHARED_DIR")
    if shared:
        files += sorted(glob.glob(os.path.join(shared, "fixtures", "weights", "tiny*")))
    return [f for f in files if not f.endswith(".txt")]


def pickles_in(data):
    """The pickles at the start of a legacy file, one after the other."""
    found, offset = [], 0
    while offset < len(data) and data[offset] == 0x80 and len(found) < 5:
        end = None
        try:
            for op, _, pos in pickletools.genops(data[offset:]):
                end = offset + pos + 1
        except Exception:
            break
        found.append(data[offset:end])
        offset = end
    return found


def seeds(kind, files):
    for path in files:
        name = os.path.basename(path)
        with open(path, "rb") as f:
            data = f.read()
        if kind == "legacy" and "legacy" in name:
            yield name, data
        elif kind == "zip" and "zip" in name:
            yield name, data
        elif kind == "safetensors" and name.endswith(".safetensors"):
            yield name, data
        elif kind == "pickle":
            if "legacy" in name:
                for i, pickle in enumerate(pickles_in(data)):
                    yield f"{name}.{i}", pickle
            elif "zip" in name:
                with zipfile.ZipFile(path) as archive:
                    for entry in archive.namelist():
                        if entry.endswith("data.pkl"):
                            yield name + ".data.pkl", archive.read(entry)
    # Always something to start from, even without fixtures.
    yield "minimal", {"legacy": b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.",
                      "zip": b"PK\x05\x06" + bytes(18),
                      "safetensors": b"\x02\x00\x00\x00\x00\x00\x00\x00{}",
                      "pickle": b"\x80\x02}q\x00."}[kind]


def main(argv):
    if len(argv) != 4 or argv[2] not in ("legacy", "zip", "safetensors", "pickle"):
        sys.stderr.write(__doc__)
        return 2
    fuzzer, kind, seconds = argv[1], argv[2], int(argv[3])
    workdir = tempfile.mkdtemp(prefix=f"nst-fuzz-{kind}-")
    try:
        corpus = os.path.join(workdir, "corpus")
        artifacts = os.path.join(workdir, "artifacts")
        os.makedirs(corpus)
        os.makedirs(artifacts)
        count = 0
        for name, data in seeds(kind, fixture_files(workdir)):
            with open(os.path.join(corpus, name), "wb") as f:
                f.write(data)
            count += 1
        print(f"{kind}: {count} seeds, {seconds} s", flush=True)
        status = subprocess.run([fuzzer, f"-max_total_time={seconds}", "-rss_limit_mb=2048",
                                 "-timeout=10", "-print_final_stats=1",
                                 f"-artifact_prefix={artifacts}/", corpus]).returncode
        for crash in os.listdir(artifacts):
            kept = f"fuzz-crash-{kind}-{crash}"
            shutil.copy(os.path.join(artifacts, crash), kept)
            print("kept the failing input as", os.path.abspath(kept))
        return status
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
