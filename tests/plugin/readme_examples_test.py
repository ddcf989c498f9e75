#!/usr/bin/env python3
"""Runs the Python-Fu and Script-Fu examples of README.md's "Batch use" as
printed there, inside gimp-console-3.0 with the freshly built plug-in.

    python3 readme_examples_test.py --plugin BUILD/plugin/neural-style-transfer

Every python and scheme block is run. The examples' file names (photo.jpg,
painting.jpg, sketch.jpg, stylised.png) are replaced by files of a throw-away
folder; nothing else is changed. The weights come
from $NST_VGG19_WEIGHTS (a narrow VGG19), as they would for a user who set
it. Each example passes when it writes stylised.png at the photo's size and
different from the photo. The result is TAP.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_gimp_tests import make_profile, make_style, make_weights, write_png  # noqa: E402

README = os.path.join(HERE, "..", "..", "README.md")
INTERPRETERS = {"python": "python-fu-eval", "scheme": "plug-in-script-fu-eval"}
PHOTO_SIZE = (64, 48)


def readme_blocks(language):
    with open(README) as f:
        return re.findall(r"```" + language + r"\n(.*?)```", f.read(), re.S)


def photo_pixel(x, y):
    return ((x * 37 + y * 11) % 256, (y * 53 + 7) % 256, ((x ^ y) * 29) % 256)


def check_result(path, photo):
    from PIL import Image, ImageChops
    if not os.path.isfile(path):
        return "no stylised.png was written"
    result = Image.open(path).convert("RGB")
    if result.size != PHOTO_SIZE:
        return f"stylised.png is {result.size}, the photo {PHOTO_SIZE}"
    if not ImageChops.difference(result, Image.open(photo).convert("RGB")).getbbox():
        return "stylised.png equals the photo"
    return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--gimp", default=os.environ.get("NST_GIMP_CONSOLE", "gimp-console-3.0"))
    args = parser.parse_args()
    if not shutil.which(args.gimp):
        print("1..0 # SKIP gimp-console-3.0 not found")
        return 0
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("1..0 # SKIP python3-pil is needed to read the results")
        return 0

    tmp = tempfile.mkdtemp(prefix="nst-readme-test-")
    failed = 0
    try:
        env, work = make_profile(tmp, args.plugin)
        weights, origin = make_weights(work, env)
        if not weights:
            print("1..0 # SKIP " + origin)
            return 0
        env["NST_VGG19_WEIGHTS"] = weights
        photo = os.path.join(work, "photo.png")
        write_png(photo, *PHOTO_SIZE, photo_pixel)
        painting = make_style(work)

        sketch = os.path.join(work, "sketch.png")
        write_png(sketch, 30, 30, lambda x, y: (250, 250, 250) if x % 6 < 2 else (30, 30, 30))
        examples = [(language, index, block) for language in INTERPRETERS
                    for index, block in enumerate(readme_blocks(language), 1)]
        print(f"1..{max(len(examples), 1)}")
        if any(sum(1 for e in examples if e[0] == language) < 2 for language in INTERPRETERS):
            failed += 1
            print("not ok 1 readme_examples\n# README.md lacks its two Python-Fu and two "
                  "Script-Fu examples")
            return 1
        for number, (language, index, block) in enumerate(examples, 1):
            name = f"readme_{language}_example_{index}"
            output = os.path.join(work, f"stylised-{language}-{index}.png")
            script = (block.replace("photo.jpg", photo).replace("painting.jpg", painting)
                      .replace("sketch.jpg", sketch).replace("stylised.png", output))
            done = subprocess.run([args.gimp, "-i", "--batch-interpreter=" + INTERPRETERS[language],
                                   "-b", "-", "--quit"], input=script, env=env,
                                  capture_output=True, text=True, errors="replace", timeout=600)
            problem = check_result(output, photo)
            if problem:
                failed += 1
                print(f"not ok {number} {name}\n# {problem}")
                for line in (done.stdout + done.stderr).splitlines()[-40:]:
                    print("# " + line)
            else:
                print(f"ok {number} {name}")
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
