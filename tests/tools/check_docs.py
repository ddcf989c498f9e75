#!/usr/bin/env python3
"""Checks what is installed for users besides the programs (suite data):

    check_docs.py --metainfo FILE --version V --date D
                                    appstreamcli validates the AppStream file
                                    (offline; an error or a warning fails), and
                                    its newest release is version V of date D
    check_docs.py --man FILE        groff renders the man page without a warning,
                                    as lintian and man-db do

Fails, naming the Debian package to install, when appstreamcli or groff is
missing (build-aux/debian13-packages.txt has both).
"""
import argparse
import os
import shutil
import subprocess
import sys
from xml.etree import ElementTree


def need(program, package):
    path = shutil.which(program)
    if not path:
        sys.exit(f"check_docs: {program} is not installed (Debian package {package}); "
                 "it is in build-aux/debian13-packages.txt")
    return path


def check_metainfo(path, version, date):
    appstreamcli = need("appstreamcli", "appstream")
    # The project has no published home page yet: the one warning that says
    # so is lowered until it has (then add <url type="homepage"> and
    # <screenshots> of docs/*.png at their published addresses).
    done = subprocess.run([appstreamcli, "validate", "--no-net", "--explain",
                           "--override=url-homepage-missing=pedantic", path],
                          capture_output=True, text=True)
    print(done.stdout + done.stderr)
    issues = [line for line in done.stdout.splitlines() if line[:2] in ("E:", "W:")]
    if done.returncode != 0 or issues:
        sys.exit(f"check_docs: {path} does not validate")
    release = ElementTree.parse(path).getroot().find("releases/release")
    if release is None or release.get("version") != version or release.get("date") != date:
        sys.exit(f"check_docs: {path}'s newest release is not version {version} of {date} "
                 "(meson.build's version and release_date)")
    print(f"{path}: valid; release {version} of {date}")


def check_man(path):
    groff = need("groff", "groff-base")
    env = dict(os.environ, LC_ALL="C.UTF-8")
    done = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-rCHECKSTYLE=3", "-z", path],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0 or done.stderr.strip():
        print(done.stderr)
        sys.exit(f"check_docs: groff warns about {path}")
    text = subprocess.run([groff, "-man", "-Tutf8", path], capture_output=True, text=True,
                          env=env, check=True).stdout
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS"):
        if section not in text:
            sys.exit(f"check_docs: {path} renders without its {section} section")
    print(f"{path}: renders cleanly, {len(text.splitlines())} lines")


def main():
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--metainfo")
    group.add_argument("--man")
    parser.add_argument("--version")
    parser.add_argument("--date")
    args = parser.parse_args()
    if args.metainfo:
        check_metainfo(args.metainfo, args.version, args.date)
    else:
        check_man(args.man)


if __name__ == "__main__":
    main()
