#!/usr/bin/env python3
"""Gatys et al. written plainly with PyTorch: the reference the engine's
losses are checked against (tests/engine/reference_test.cpp).

The same definitions as the engine, in the most direct PyTorch:
  torchvision preprocessing, VGG19 convolutions with padding 1, ReLU, 2x2 max
  pooling; Gram matrix G = F F^T / (C H W); content loss = mean squared error
  of features; style loss = mean squared error of Gram matrices; total
  variation = mean squared neighbour difference down plus across;
  loss = content_weight * sum w_l content_l + style_weight * sum w_l style_l
         + tv_weight * tv;
  the image (RGB 0..1, started at the content) optimised by torch.optim.LBFGS
  with lr 1, max_iter 1 (one loss evaluation per step) and the given history.

  reference_gatys.py write-vgg OUT.safetensors [--widths 8,16,32,64,64] [--seed N]
      A random He-initialised VGG19 with torchvision's key names.
  reference_gatys.py run --weights W --content C.npy --style S.npy [--steps N]
      [--content-layers relu4_2:1] [--style-layers relu1_1:1,...]
      [--content-weight X] [--style-weight X] [--tv-weight X] [--history N]
      [--pooling max|average] [--threads N]
      Prints one JSON line per step: the losses evaluated at that step.
  reference_gatys.py evaluate --weights W --content C.npy --styles STYLES.json
      --image X.npy --gradient OUT.npy [--erosion inside|none] [other options of run]
      Styles by region (Gatys et al. 2017, guided Gram matrices): STYLES.json is a
      list of {"image": S.npy, "weight": w, "region": R.npy or null,
      "style_region": M.npy or null}. Prints the losses of image X as one JSON
      line and writes their gradient (height x width x 3) to OUT.npy.
Images are .npy arrays, height x width x 3, float32 RGB in 0..1; masks height x
width float32 in 0..1.

Guided Gram matrices: a region's mask is carried to each layer as the network
carries its input: "inside" takes, at every 3x3 convolution, the minimum over
the window (padding counts as inside) and at every pooling the minimum of the
2x2 window; "none" averages at poolings only. G = (F g)(F g)^T / (C sum g^2).
Styles with the same region file form one term, their Gram matrices averaged
by weight; each term weighs its styles' share of the weights times the number
of terms; a layer whose guidance or style region sums to 0 is left out.
"""
import argparse
import json

import numpy as np
import torch
import torch.nn.functional as F

# PyTorch's own convolutions, not oneDNN's: oneDNN 3.7.2's float32
# backward-data kernel for 8-channel 3x3 convolutions returns wrong input
# gradients on an AVX-512 AMD EPYC (measured 2026-12-06 in Debian 13's
# python3-torch 2.6.0: an error of 23.5 on gradients of 35, 8x48x64). The
# engine's backward runs oneDNN's forward kernels, so a reference through
# oneDNN's backward-data would blame the engine for oneDNN's fault.
torch.backends.mkldnn.enabled = False

BLOCKS = [2, 2, 4, 4, 4]


def conv_layout():
    """(name, torchvision features index, block) for the sixteen convolutions."""
    index = 0
    for block, count in enumerate(BLOCKS, start=1):
        for i in range(1, count + 1):
            yield f"conv{block}_{i}", index, block
            index += 2
        index += 1  # the pooling layer


def write_vgg(path, widths, seed):
    from safetensors.torch import save_file
    torch.manual_seed(seed)
    tensors, cin = {}, 3
    for _, index, block in conv_layout():
        cout = widths[block - 1]
        tensors[f"features.{index}.weight"] = torch.randn(cout, cin, 3, 3) * (2.0 / (cin * 9)) ** 0.5
        tensors[f"features.{index}.bias"] = torch.randn(cout) * 0.01
        cin = cout
    save_file(tensors, path)


def load_weights(path):
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        return load_file(path)
    return torch.load(path, map_location="cpu", weights_only=True)


def parse_layers(text):
    layers = []
    for item in text.split(","):
        name, _, weight = item.partition(":")
        layers.append((name, float(weight or 1.0)))
    return layers


class Vgg19:
    def __init__(self, weights, pooling):
        self.convs = [(name, block, weights[f"features.{index}.weight"].float(),
                       weights[f"features.{index}.bias"].float())
                      for name, index, block in conv_layout()]
        self.pooling = pooling
        self.mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
        self.std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)

    def __call__(self, image, wanted):
        """Features at the layers named in `wanted` ("conv4_2" before, "relu4_2" after the ReLU)."""
        deepest = max(int(n[4]) * 10 + int(n[6]) for n in wanted)
        x = (image - self.mean) / self.std
        out, block = {}, 1
        for name, this_block, weight, bias in self.convs:
            if int(name[4]) * 10 + int(name[6]) > deepest:
                break
            if this_block != block:
                x = F.max_pool2d(x, 2) if self.pooling == "max" else F.avg_pool2d(x, 2)
                block = this_block
            x = F.conv2d(x, weight, bias, padding=1)
            out["conv" + name[4:]] = x
            x = F.relu(x)
            out["relu" + name[4:]] = x
        return {name: out[name] for name in wanted}


def gram(f):
    _, c, h, w = f.shape
    m = f.reshape(c, h * w)
    return m @ m.t() / (c * h * w)


def total_variation(x):
    dy = x[:, :, 1:, :] - x[:, :, :-1, :]
    dx = x[:, :, :, 1:] - x[:, :, :, :-1]
    return dy.pow(2).mean() + dx.pow(2).mean()


def guidance(mask, wanted, erosion):
    """The mask (1 x 1 x H x W) at the layers named in `wanted`."""
    deepest = max(int(n[4]) * 10 + int(n[6]) for n in wanted)
    out, block, g = {}, 1, mask
    for name, _, this_block in conv_layout():
        if int(name[4]) * 10 + int(name[6]) > deepest:
            break
        if this_block != block:
            g = -F.max_pool2d(-g, 2) if erosion == "inside" else F.avg_pool2d(g, 2)
            block = this_block
        if erosion == "inside":
            g = -F.max_pool2d(-g, 3, stride=1, padding=1)
        out["conv" + name[4:]] = out["relu" + name[4:]] = g
    return {name: out[name] for name in wanted}


def guided_gram(f, g):
    """None where the guidance holds nothing."""
    _, c, h, w = f.shape
    weight = (g * g).sum()
    if float(weight) == 0:
        return None
    m = (f * g).reshape(c, h * w)
    return m @ m.t() / (c * weight)


def weighted_moments(f, g):
    """E[f f^T] and E[f] over the positions, weighted by g^2 (float64); None
    where the guidance holds nothing."""
    _, c, h, w = f.shape
    x = f.reshape(c, h * w).double()
    weights = torch.ones(h * w, dtype=torch.float64) if g is None else (g * g).reshape(-1).double()
    total = weights.sum()
    if float(total) == 0:
        return None
    return (x * weights) @ x.t() / total, (x * weights).sum(1) / total


def sqrtm(a):
    """Square root of a symmetric positive semi-definite matrix."""
    values, vectors = torch.linalg.eigh(a)
    return vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.t()


def w2_loss(moments, target, epsilon=1e-3):
    """The 2-Wasserstein distance between the Gaussians of two features'
    mean and covariance, over the channels, eps I added to both covariances
    (eps: `epsilon` times the target's mean variance)."""
    second, mean = moments
    target_second, target_mean = target
    c = mean.shape[0]
    eye = torch.eye(c, dtype=torch.float64)
    target_cov = target_second - torch.outer(target_mean, target_mean)
    eps = epsilon * max(float(torch.trace(target_cov)) / c, 1e-12)
    target_cov = target_cov + eps * eye
    cov = second - torch.outer(mean, mean) + eps * eye
    root = sqrtm(target_cov)
    # tr(sqrt(M)) as the sum of the roots of M's eigenvalues: eigvalsh's
    # backward (through the eigenvectors) stays finite where M has clusters
    # of nearly equal eigenvalues, as eigh's through sqrt(M) itself does not.
    roots = torch.linalg.eigvalsh(root @ cov @ root).clamp(min=0).sqrt()
    return ((mean - target_mean).pow(2).sum() + torch.trace(cov) + torch.trace(target_cov)
            - 2 * roots.sum()) / c


def load_mask(path):
    return torch.from_numpy(np.load(path).astype(np.float32))[None, None]


def evaluate(args):
    torch.set_num_threads(args.threads)
    vgg = Vgg19(load_weights(args.weights), args.pooling)
    content_layers = parse_layers(args.content_layers)
    style_layers = parse_layers(args.style_layers)
    names = [n for n, _ in style_layers]
    content = load_image(args.content)
    styles = json.load(open(args.styles))
    total_weight = sum(s["weight"] for s in styles)
    w2 = args.style_loss == "mean-covariance"
    keys = []
    for s in styles:
        if s["region"] not in keys:
            keys.append(s["region"])
    terms = []  # (weight, region guidance or None, {layer: target or None})
    with torch.no_grad():
        content_targets = vgg(content, [n for n, _ in content_layers])
        for key in keys:
            members = [s for s in styles if s["region"] == key]
            targets = {}
            for n in names:
                grams = []
                for s in members:
                    f = vgg(load_image(s["image"]), [n])[n]
                    g = (guidance(load_mask(s["style_region"]), [n], args.erosion)[n]
                         if s["style_region"] else None)
                    if w2:  # the mixture's moments: the blend of each style's
                        grams.append((s["weight"], weighted_moments(f, g)))
                    else:
                        grams.append((s["weight"], gram(f) if g is None else guided_gram(f, g)))
                grams = [(w, a) for w, a in grams if a is not None]
                weight = sum(w for w, _ in grams)
                if not grams or weight <= 0:
                    targets[n] = None
                elif w2:
                    targets[n] = tuple(sum(w * a[k] for w, a in grams) / weight for k in (0, 1))
                else:
                    targets[n] = sum(w * a for w, a in grams) / weight
            weight = sum(s["weight"] for s in members) / total_weight * len(keys)
            region = guidance(load_mask(key), names, args.erosion) if key else None
            terms.append((weight, region, targets))
    image = load_image(args.image).requires_grad_(True)
    feats = vgg(image, [n for n, _ in content_layers] + names)
    c = sum(w * F.mse_loss(feats[n], content_targets[n]) for n, w in content_layers)
    s = 0
    for term_weight, region, targets in terms:
        for n, w in style_layers:
            if targets[n] is None or w * term_weight == 0:
                continue
            if w2:
                moments = weighted_moments(feats[n], None if region is None else region[n])
                if moments is not None:
                    s = s + term_weight * w * w2_loss(moments, targets[n])
                continue
            g = gram(feats[n]) if region is None else guided_gram(feats[n], region[n])
            if g is not None:
                s = s + term_weight * w * F.mse_loss(g, targets[n])
    tv = total_variation(image)
    loss = args.content_weight * c + args.style_weight * s + args.tv_weight * tv
    loss.backward()
    np.save(args.gradient, image.grad[0].permute(1, 2, 0).numpy())
    print(json.dumps({"content": float(c), "style": float(s), "tv": float(tv),
                      "total": float(loss)}), flush=True)


def load_image(path):
    array = np.load(path).astype(np.float32)
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0).contiguous()


def run(args):
    torch.set_num_threads(args.threads)
    vgg = Vgg19(load_weights(args.weights), args.pooling)
    content_layers = parse_layers(args.content_layers)
    style_layers = parse_layers(args.style_layers)
    content = load_image(args.content)
    style = load_image(args.style)
    with torch.no_grad():
        content_targets = vgg(content, [n for n, _ in content_layers])
        style_features = vgg(style, [n for n, _ in style_layers])
        style_targets = {n: gram(f) for n, f in style_features.items()}

    image = content.clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([image], lr=1, max_iter=1, history_size=args.history)
    record = {}

    def closure():
        optimizer.zero_grad()
        feats = vgg(image, [n for n, _ in content_layers + style_layers])
        c = sum(w * F.mse_loss(feats[n], content_targets[n]) for n, w in content_layers)
        s = sum(w * F.mse_loss(gram(feats[n]), style_targets[n]) for n, w in style_layers)
        tv = total_variation(image)
        loss = args.content_weight * c + args.style_weight * s + args.tv_weight * tv
        loss.backward()
        record.update(content=float(c), style=float(s), tv=float(tv), total=float(loss))
        return loss

    for step in range(1, args.steps + 1):
        optimizer.step(closure)
        print(json.dumps({"step": step, **record}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write-vgg")
    w.add_argument("out")
    w.add_argument("--widths", default="8,16,32,64,64")
    w.add_argument("--seed", type=int, default=0)
    r = sub.add_parser("run")
    r.add_argument("--weights", required=True)
    r.add_argument("--content", required=True)
    r.add_argument("--style", required=True)
    r.add_argument("--steps", type=int, default=5)
    r.add_argument("--content-layers", default="relu4_2:1")
    r.add_argument("--style-layers", default="relu1_1:1,relu2_1:1,relu3_1:1,relu4_1:1,relu5_1:1")
    r.add_argument("--content-weight", type=float, default=1.0)
    r.add_argument("--style-weight", type=float, default=1e5)
    r.add_argument("--tv-weight", type=float, default=1e-3)
    r.add_argument("--history", type=int, default=100)
    r.add_argument("--pooling", choices=["max", "average"], default="max")
    r.add_argument("--threads", type=int, default=1)
    e = sub.add_parser("evaluate")
    for option, default in [("--content-layers", "relu4_2:1"),
                            ("--style-layers", "relu1_1:1,relu2_1:1,relu3_1:1,relu4_1:1,relu5_1:1")]:
        e.add_argument(option, default=default)
    for option in ["--weights", "--content", "--styles", "--image", "--gradient"]:
        e.add_argument(option, required=True)
    e.add_argument("--content-weight", type=float, default=1.0)
    e.add_argument("--style-weight", type=float, default=1e5)
    e.add_argument("--tv-weight", type=float, default=1e-3)
    e.add_argument("--pooling", choices=["max", "average"], default="max")
    e.add_argument("--erosion", choices=["inside", "none"], default="inside")
    e.add_argument("--style-loss", choices=["gram", "mean-covariance"], default="gram")
    e.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.command == "write-vgg":
        write_vgg(args.out, [int(v) for v in args.widths.split(",")], args.seed)
    elif args.command == "evaluate":
        evaluate(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
