#!/usr/bin/env python3
"""The baseline: Gatys et al. written plainly with PyTorch, the way the
PyTorch tutorial and most scripts do it (NCHW float32, L-BFGS, VGG19 up to
conv5_1, content conv4_2, style conv1_1..conv5_1). The benchmark runs it on
the same weights and images as the engine, in the same run.

  plain_gatys.py write-weights OUT.safetensors [--seed N]
      Random He-initialised full-width VGG19 features with torchvision's keys.
  plain_gatys.py time --weights W --content C --style S [--size 512]
      [--steps 5] [--threads N]
      Prints one JSON line: seconds per optimisation step (one closure
      evaluation: forward and backward) after one warm-up step.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

# torchvision's VGG19 'features': (index of conv, in, out); 'M' = max pool.
VGG19 = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M",
         512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]
CONTENT_LAYERS = ["conv4_2"]
STYLE_LAYERS = ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"]


def conv_layout():
    """Yields (name, features index, in channels, out channels) per conv."""
    index, block, conv, channels = 0, 1, 1, 3
    for item in VGG19:
        if item == "M":
            index += 1
            block, conv = block + 1, 1
            continue
        yield f"conv{block}_{conv}", index, channels, item
        channels = item
        index += 2  # conv then ReLU
        conv += 1


def write_weights(path, seed):
    from safetensors.torch import save_file
    torch.manual_seed(seed)
    tensors = {}
    for _, index, cin, cout in conv_layout():
        std = (2.0 / (cin * 9)) ** 0.5
        tensors[f"features.{index}.weight"] = torch.randn(cout, cin, 3, 3) * std
        tensors[f"features.{index}.bias"] = torch.randn(cout) * 0.01
    save_file(tensors, path)


def load_image(path, size):
    from PIL import Image
    img = Image.open(path).convert("RGB")
    scale = size / max(img.size)
    img = img.resize((round(img.width * scale), round(img.height * scale)), Image.BICUBIC)
    t = torch.tensor(list(img.getdata()), dtype=torch.float32).view(img.height, img.width, 3)
    return (t.permute(2, 0, 1).unsqueeze(0) / 255.0).contiguous()


class Vgg:
    def __init__(self, weights, deepest):
        from safetensors.torch import load_file
        w = load_file(weights)
        self.layers = []
        for name, index, _, _ in conv_layout():
            self.layers.append((name, w[f"features.{index}.weight"], w[f"features.{index}.bias"]))
            if name == deepest:
                break
        self.mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
        self.std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)

    def __call__(self, x, wanted):
        x = (x - self.mean) / self.std
        out, block = {}, 1
        for name, weight, bias in self.layers:
            this_block = int(name[4])
            if this_block != block:
                x = F.max_pool2d(x, 2)
                block = this_block
            x = F.relu(F.conv2d(x, weight, bias, padding=1))
            if name in wanted:
                out[name] = x
        return out


def gram(f):
    _, c, h, w = f.shape
    f = f.view(c, h * w)
    return f @ f.t() / (c * h * w)


def time_steps(args):
    torch.set_num_threads(args.threads)
    vgg = Vgg(args.weights, "conv5_1")
    content = load_image(args.content, args.size)
    style = load_image(args.style, args.size)
    with torch.no_grad():
        targets_c = {k: v for k, v in vgg(content, CONTENT_LAYERS).items()}
        targets_s = {k: gram(v) for k, v in vgg(style, STYLE_LAYERS).items()}
    image = content.clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([image], lr=1, max_iter=1, history_size=100)

    def closure():
        optimizer.zero_grad()
        feats = vgg(image, CONTENT_LAYERS + STYLE_LAYERS)
        loss = sum(F.mse_loss(feats[k], targets_c[k]) for k in CONTENT_LAYERS)
        loss = loss + 1e5 * sum(F.mse_loss(gram(feats[k]), targets_s[k]) for k in STYLE_LAYERS)
        loss.backward()
        return loss

    optimizer.step(closure)  # warm-up
    start = time.perf_counter()
    for _ in range(args.steps):
        optimizer.step(closure)
    seconds = (time.perf_counter() - start) / args.steps
    print(json.dumps({"implementation": "plain PyTorch", "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "width": content.shape[3],
                      "height": content.shape[2], "steps": args.steps,
                      "seconds_per_step": seconds}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write-weights")
    w.add_argument("out")
    w.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("time")
    t.add_argument("--weights", required=True)
    t.add_argument("--content", required=True)
    t.add_argument("--style", required=True)
    t.add_argument("--size", type=int, default=512)
    t.add_argument("--steps", type=int, default=5)
    t.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.command == "write-weights":
        write_weights(args.out, args.seed)
    else:
        time_steps(args)


if __name__ == "__main__":
    main()
