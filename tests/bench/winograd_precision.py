#!/usr/bin/env python3
"""Why engine/core/winograd.cpp keeps its transforms and products in float32:
the error of a 3x3 convolution against float64 when Winograd's transformed
values are rounded to bfloat16, beside a direct bfloat16 convolution's.
Needs python3-torch (the Debian 13 root has it):

  bash build-aux/in-root.sh /var/cache/neural-style-transfer/debian13 \\
      python3 tests/bench/winograd_precision.py
"""
import torch

F = torch.float64
# F(4x4, 3x3) with the points 0, 1, -1, 2, -2 and infinity, as the engine's.
BT4 = torch.tensor([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
                    [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]], dtype=F)
G4 = torch.tensor([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                   [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]], dtype=F)
AT4 = torch.tensor([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0],
                    [0, 1, -1, 8, -8, 1]], dtype=F)
# F(2x2, 3x3), for comparison.
BT2 = torch.tensor([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], dtype=F)
G2 = torch.tensor([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]], dtype=F)
AT2 = torch.tensor([[1, 1, 1, 0], [0, 1, -1, -1]], dtype=F)


def bfloat16(t):
    return t.to(torch.bfloat16).to(F)


def winograd(x, w, bt, g, at, rounding):
    """Convolution of x (1 x C x H x H) with w by Winograd; `rounding` is
    applied to the transformed input and kernel, as storing them would."""
    tile = at.shape[0]
    patch = tile + 2
    size = x.shape[2]
    xp = torch.nn.functional.pad(x, (1, 1 + (-size) % tile, 1, 1 + (-size) % tile))
    patches = xp.unfold(2, patch, tile).unfold(3, patch, tile)
    v = rounding(bt @ patches @ bt.t())[0]
    u = rounding(g @ w @ g.t())
    m = torch.einsum("cijab,kcab->kijab", v, u)
    y = at @ m @ at.t()
    k, down, across = y.shape[:3]
    return y.permute(0, 1, 3, 2, 4).reshape(1, k, down * tile, across * tile)[:, :, :size, :size]


def main():
    torch.manual_seed(0)
    print("relative to the largest value of a float64 convolution, 32x32 pixels:")
    for channels in (128, 512):
        x = torch.relu(torch.randn(1, channels, 32, 32, dtype=F))
        w = torch.randn(channels, channels, 3, 3, dtype=F) / (3 * channels ** 0.5)
        ref = torch.nn.functional.conv2d(x, w, padding=1)

        def error(y):
            return ((y - ref).abs().max() / ref.abs().max()).item()

        direct = torch.nn.functional.conv2d(bfloat16(x), bfloat16(w), padding=1)
        print(f"  {channels} channels: direct bfloat16 {error(direct):.4f}, "
              f"F(4x4,3x3) bfloat16 {error(winograd(x, w, BT4, G4, AT4, bfloat16)):.4f}, "
              f"F(2x2,3x3) bfloat16 {error(winograd(x, w, BT2, G2, AT2, bfloat16)):.4f}, "
              f"F(4x4,3x3) float64 {error(winograd(x, w, BT4, G4, AT4, lambda t: t)):.1e}")


if __name__ == "__main__":
    main()
