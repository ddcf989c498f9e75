#!/usr/bin/env python3
"""Runs one libFuzzer target for a bounded time on a seed corpus made at run
time: for the weights parsers from the weights test fixtures (written by
tests/tools/make_weight_fixtures.py with $NST_PYTHON when PyTorch is there,
plus shared/fixtures/weights/*, only read from there); for the image readers
from small PNG and JPEG files written here with PIL when it is installed.
A minimal seed of each kind is always there.

  run_fuzzer.py FUZZER KIND SECONDS
      KIND: legacy, zip, safetensors, pickle, png, jpeg

Inputs are at most MAX_LEN bytes: room for the largest fixture (1.5 MB).

Exits with the fuzzer's status; inputs that crashed it are copied to the
current folder as fuzz-crash-KIND-*.
"""
import glob
import io
import os
import pickletools
import shutil
import subprocess
import sys
import tempfile
import zlib
import zipfile

KINDS = ("legacy", "zip", "safetensors", "pickle", "png", "jpeg")
MAX_LEN = 4 * 1024 * 1024

# An 8x8 grey JPEG (PIL, quality 10): a start even without PIL.
MINIMAL_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb00430050373c463c32504641465a55505f78c882786e"
    "6e78f5afb991c8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
    "ffc0000b080008000801011100ffc40014000100000000000000000000000000000000ffc400141001000000"
    "00000000000000000000000000ffda0008010100003f003fffd9")


def minimal_png():
    """A 1x1 RGB PNG, written with zlib alone."""
    def chunk(kind, data):
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(b"\x00\x80\x40\x20")) + chunk(b"IEND", b""))


def exif_orientation(value):
    """An APP1 payload whose IFD0 holds only Orientation = value."""
    tiff = (b"II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00" +
            value.to_bytes(2, "little") + bytes(6))
    return b"Exif\x00\x00" + tiff


def image_seeds(kind):
    """Small images of the kinds users have: PIL's, when it is there."""
    try:
        from PIL import Image
    except ImportError:
        print("no PIL: only the minimal image seed")
        return
    picture = Image.new("RGB", (24, 16))
    picture.putdata([(x * 10, y * 15, (x + y) * 6) for y in range(16) for x in range(24)])
    if kind == "png":
        variants = {"rgb": (picture, {}), "rgba": (picture.convert("RGBA"), {}),
                    "grey": (picture.convert("L"), {}), "palette": (picture.convert("P"), {}),
                    "grey16": (picture.convert("I;16"), {})}
        fmt = "PNG"
    else:
        variants = {"baseline": (picture, {}), "grey": (picture.convert("L"), {}),
                    "progressive": (picture, {"progressive": True}),
                    "cmyk": (picture.convert("CMYK"), {}),
                    "exif6": (picture, {"exif": exif_orientation(6)})}
        fmt = "JPEG"
    for name, (image, options) in variants.items():
        out = io.BytesIO()
        image.save(out, fmt, **options)
        yield f"{name}.{kind}", out.getvalue()


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
        files += sorted(glob.glob(os.path.join(shared, "fixtures", "weights", "*")))
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
    if kind in ("png", "jpeg"):
        yield from image_seeds(kind)
        yield "minimal", minimal_png() if kind == "png" else MINIMAL_JPEG
        return
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
    if len(argv) != 4 or argv[2] not in KINDS:
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
        files = fixture_files(workdir) if kind not in ("png", "jpeg") else []
        for name, data in seeds(kind, files):
            with open(os.path.join(corpus, name), "wb") as f:
                f.write(data)
            count += 1
        print(f"{kind}: {count} seeds, {seconds} s", flush=True)
        status = subprocess.run([fuzzer, f"-max_total_time={seconds}", f"-max_len={MAX_LEN}",
                                 "-rss_limit_mb=2048",
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
