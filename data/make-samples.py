#!/usr/bin/env python3
"""Draws the sample pair used by build-aux/gimp-run.sh when the user names
no images: a small landscape photo-like content picture and a swirling,
brush-stroked style picture. Both are made here from code, so the project
ships no third-party artwork. Needs numpy.

    python3 data/make-samples.py data/samples
"""
import struct
import sys
import zlib
from pathlib import Path

import numpy as np


def write_png(path, rgb):
    """8-bit RGB PNG writer (zlib + the four mandatory chunks)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    Path(path).write_bytes(png)


def landscape(w=512, h=384, seed=1):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    # Sky: a vertical gradient with a warm glow near the sun.
    t = y / h
    img[:] = np.stack([0.45 + 0.3 * t, 0.65 + 0.2 * t, 0.95 - 0.1 * t], -1)
    sun = np.exp(-(((x - 0.72 * w) ** 2 + (y - 0.22 * h) ** 2) / (2 * (0.05 * w) ** 2)))
    img += sun[..., None] * np.array([1.0, 0.8, 0.3]) * 0.9
    # Two hill lines, the nearer one darker and greener.
    for base, amp, freq, colour in ((0.55, 0.06, 3.0, (0.35, 0.55, 0.35)),
                                    (0.70, 0.05, 5.0, (0.20, 0.45, 0.15))):
        ridge = h * (base + amp * np.sin(freq * x / w * np.pi + rng.uniform(0, 6)))
        mask = y > ridge
        shade = 1.0 - 0.3 * (y - ridge) / h
        img[mask] = (np.array(colour) * shade[..., None])[mask]
    # A house with a red roof.
    hx, hy, hw, hh = int(0.25 * w), int(0.62 * h), int(0.14 * w), int(0.12 * h)
    img[hy:hy + hh, hx:hx + hw] = (0.9, 0.85, 0.75)
    for r in range(int(0.07 * h)):
        left, right = hx - 6 + r, hx + hw + 6 - r
        if left < right:
            img[hy - r, left:right] = (0.7, 0.15, 0.1)
    img[hy + hh // 3:hy + hh, hx + hw // 2 - 6:hx + hw // 2 + 6] = (0.35, 0.2, 0.1)
    img += rng.normal(0, 0.015, img.shape)  # a little sensor grain
    return np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)


def swirls(w=512, h=384, seed=2):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32) / max(w, h)
    # A smooth flow field; strokes follow it in bands of blue and ochre.
    angle = np.zeros_like(x)
    for _ in range(5):
        fx, fy, ph = rng.uniform(2, 6), rng.uniform(2, 6), rng.uniform(0, 6.3)
        angle += 0.9 * np.sin(fx * x * np.pi + ph) * np.cos(fy * y * np.pi - ph)
    u = np.cumsum(np.cos(angle), axis=1) / w + np.cumsum(np.sin(angle), axis=0) / h
    stripes = np.sin(110 * u + 4 * np.sin(12 * y))
    blue = np.array([0.12, 0.25, 0.62])
    light = np.array([0.45, 0.62, 0.90])
    ochre = np.array([0.85, 0.70, 0.25])
    mix = (0.5 + 0.5 * stripes)[..., None]
    palette = blue * (1 - mix) + light * mix
    palette = np.where((stripes > 0.85)[..., None], ochre, palette)
    value = 0.55 + 0.35 * (stripes > 0.2) + rng.normal(0, 0.05, x.shape)
    img = palette * value[..., None]
    # Yellow dabs like stars.
    for _ in range(12):
        sx, sy, r = rng.uniform(0, 1), rng.uniform(0, 0.6), rng.uniform(0.01, 0.035)
        d = np.sqrt((x - sx) ** 2 + (y - sy) ** 2)
        ring = np.exp(-((d - r) ** 2) / (2 * (r / 4) ** 2)) + np.exp(-(d ** 2) / (2 * (r / 2) ** 2))
        img += np.clip(ring, 0, 1)[..., None] * np.array([0.9, 0.8, 0.2])
    return np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "data/samples")
    out.mkdir(parents=True, exist_ok=True)
    write_png(out / "content-landscape.png", landscape())
    write_png(out / "style-swirls.png", swirls())
