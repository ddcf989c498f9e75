#!/usr/bin/env python3
"""Writes weights files with real PyTorch for the tensor-file reader tests.

  make_weight_fixtures.py OUTDIR
      One small set of tensors (float32/float64/float16/bfloat16, integer and
      bool dtypes, a transposed non-contiguous view, two views sharing one
      storage at offsets, a 0-d scalar, an empty tensor) in every encoding:
        tiny-legacy-v1.pth        2017 style: torch._utils._rebuild_tensor with
                                  4 arguments, an OrderedDict without _metadata
        tiny-legacy-v1-py2.pth    the same as Python 2 pickled it: strings as
                                  SHORT_BINSTRING / BINSTRING
        tiny-legacy-v1-views.pth  PyTorch 0.1-0.3 storage views: persistent
                                  ids with (view_key, offset, size)
        tiny-legacy-v2.pth        torch.save(..., _use_new_zipfile_serialization=False)
        tiny-zip.pth              torch.save (archive folder "tiny-zip")
        tiny-zip-archive.pth      torch.save to a buffer (archive folder "archive")
        tiny.safetensors          safetensors.torch.save_file
      and tiny-expected.txt: per tensor "key<TAB>dtype<TAB>shape<TAB>values",
      values in row-major order as Python floats (repr, exact).

  make_weight_fixtures.py --vgg19-narrow OUTDIR
      The narrow VGG19 the loader, engine and command-line tests run
      (shared/fixtures/weights holds the same names, written by PyTorch 2.6):
      torchvision's key names (features.0 ... features.34, classifier.0) with
      widths 8, 16, 32, 64, 64 instead of 64 ... 512, He-scaled random
      weights and small biases from a fixed seed, in four encodings:
        vgg19-narrow-legacy-v1.pth   2017 style, as tiny-legacy-v1.pth
        vgg19-narrow-legacy-v2.pth   torch.save(..., _use_new_zipfile_serialization=False)
        vgg19-narrow-zip.pth         torch.save (archive folder "vgg19-narrow-zip")
        vgg19-narrow.safetensors     safetensors.torch.save_file
      and vgg19-narrow-expected.txt as tiny-expected.txt, with "sum=S" (the
      float64 sum) in place of the values of the weights.

  make_weight_fixtures.py --vgg19-full FILE
      A full-size VGG19 with torchvision's key names and shapes (features.0
      ... features.34, classifier.0/3/6; 548 MiB of random float32) in the
      2017 legacy format of torchvision's vgg19-dcbb9e9d.pth.
"""
import collections
import io
import os
import pickle
import pickletools
import struct
import sys

import torch

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
SYS_INFO = {
    "protocol_version": PROTOCOL_VERSION,
    "little_endian": sys.byteorder == "little",
    "type_sizes": {"short": 2, "int": 4, "long": 8},
}
STORAGE_TYPES = {
    torch.float32: torch.FloatStorage,
    torch.float64: torch.DoubleStorage,
    torch.float16: torch.HalfStorage,
    torch.bfloat16: torch.BFloat16Storage,
    torch.int64: torch.LongStorage,
    torch.int32: torch.IntStorage,
    torch.int16: torch.ShortStorage,
    torch.int8: torch.CharStorage,
    torch.uint8: torch.ByteStorage,
    torch.bool: torch.BoolStorage,
}
DTYPE_NAMES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
    torch.int64: "int64",
    torch.int32: "int32",
    torch.int16: "int16",
    torch.int8: "int8",
    torch.uint8: "uint8",
    torch.bool: "bool",
}


def tiny_state_dict():
    """The tensors every encoding holds, in this order."""
    g = torch.Generator().manual_seed(20170401)
    sd = collections.OrderedDict()
    sd["features.0.weight"] = torch.randn(4, 3, 3, 3, generator=g)
    sd["features.0.bias"] = torch.randn(4, generator=g)
    # Non-contiguous: the transpose of a 4x6 matrix, strides (1, 6).
    sd["transposed"] = (torch.arange(24, dtype=torch.float32) / 8 - 1).reshape(4, 6).t()
    # Two views of one storage of 40 elements, at offsets 2 and 20.
    base = torch.randn(40, generator=g)
    sd["shared.a"] = base[2:12].view(2, 5)
    sd["shared.b"] = base[20:36].view(4, 4)
    sd["double"] = torch.randn(3, generator=g, dtype=torch.float64)
    sd["half"] = torch.randn(5, generator=g).half()
    sd["bf16"] = torch.randn(2, 3, generator=g).bfloat16()
    sd["long"] = torch.arange(-3, 4, dtype=torch.int64)
    sd["int32"] = torch.tensor([-70000, 0, 70000, 5], dtype=torch.int32)
    sd["int16"] = torch.tensor([-300, 300], dtype=torch.int16)
    sd["int8"] = torch.tensor([-128, 127, 1], dtype=torch.int8)
    sd["uint8"] = torch.tensor([0, 255, 17], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True, True])
    sd["scalar"] = torch.tensor(3.5)
    sd["empty"] = torch.zeros(0, 3)
    return sd


VGG19_WIDTHS = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M",
                512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]


def _vgg19_features(sd, g, width_of, bias_scale):
    """Adds features.N.weight/bias for VGG19's sixteen convolutions, each
    `width_of` torchvision's width, with He-scaled weights from `g` and
    biases of zero or, with a `bias_scale`, random ones that size; returns
    the last width."""
    index, channels = 0, 3
    for width in VGG19_WIDTHS:
        if width == "M":
            index += 1
            continue
        width = width_of(width)
        std = (2.0 / (channels * 9)) ** 0.5
        sd[f"features.{index}.weight"] = torch.randn(width, channels, 3, 3, generator=g) * std
        sd[f"features.{index}.bias"] = (torch.randn(width, generator=g) * bias_scale
                                        if bias_scale else torch.zeros(width))
        channels = width
        index += 2  # conv, relu
    return channels


def narrow_vgg19_state_dict():
    """VGG19's key names with widths 8, 16, 32, 64, 64: He-scaled random
    weights, biases of about 0.01 and one 16-way classifier layer over the
    64x7x7 features."""
    g = torch.Generator().manual_seed(20170402)
    sd = collections.OrderedDict()
    channels = _vgg19_features(sd, g, lambda width: width // 8, 0.01)
    sd["classifier.0.weight"] = torch.randn(16, channels * 7 * 7, generator=g) * 0.01
    sd["classifier.0.bias"] = torch.zeros(16)
    return sd


def vgg19_state_dict():
    """torchvision's VGG19 key names and shapes, He-scaled random values."""
    g = torch.Generator().manual_seed(19)
    sd = collections.OrderedDict()
    _vgg19_features(sd, g, lambda width: width, 0)
    for layer, (out, inp) in zip((0, 3, 6), ((4096, 25088), (4096, 4096), (1000, 4096))):
        sd[f"classifier.{layer}.weight"] = torch.randn(out, inp, generator=g) * (2.0 / inp) ** 0.5
        sd[f"classifier.{layer}.bias"] = torch.zeros(out)
    return sd


class _StorageRef:
    """Stands for a storage (or, with `view`, a slice of one) while pickling."""

    def __init__(self, key, dtype, numel, view=None):
        self.key, self.dtype, self.numel, self.view = key, dtype, numel, view


class _LegacyV1Pickler(pickle.Pickler):
    """Pickles tensors as PyTorch 0.2/0.3 did: _rebuild_tensor(storage,
    offset, size, stride), storages as 6-field persistent ids."""

    def __init__(self, file, placements):
        super().__init__(file, protocol=2)
        self.placements = placements  # id(tensor) -> (_StorageRef, offset)

    def persistent_id(self, obj):
        if isinstance(obj, _StorageRef):
            return ("storage", STORAGE_TYPES[obj.dtype], obj.key, "cpu", obj.numel, obj.view)
        return None

    def reducer_override(self, obj):
        if isinstance(obj, torch.Tensor):
            ref, offset = self.placements[id(obj)]
            return (torch._utils._rebuild_tensor, (ref, offset, tuple(obj.size()), obj.stride()))
        return NotImplemented


def _storage_bytes(tensor):
    storage = tensor.untyped_storage()
    flat = torch.empty(0, dtype=torch.uint8).set_(storage, 0, (storage.nbytes(),), (1,))
    return flat.numpy().tobytes()


def write_legacy_v1(f, sd, views=False):
    """The legacy stream: magic, protocol, sys_info, object, keys, data."""
    key_of = {}  # storage address -> key
    holder = {}  # key -> a tensor on that storage
    placements = {}
    for name, tensor in sd.items():
        storage = tensor.untyped_storage()
        address = storage.data_ptr() or ("empty", id(tensor))
        key = key_of.setdefault(address, str(1000 + len(key_of)))
        holder.setdefault(key, tensor)
        numel = storage.nbytes() // tensor.element_size()
        if views and name.startswith("shared."):
            # 0.1-era slice: the tensor starts at 0 of a view of the root.
            view = (f"view-{name}", tensor.storage_offset(), tensor.numel())
            placements[id(tensor)] = (_StorageRef(key, tensor.dtype, numel, view), 0)
        else:
            placements[id(tensor)] = (_StorageRef(key, tensor.dtype, numel), tensor.storage_offset())
    for header in (MAGIC_NUMBER, PROTOCOL_VERSION, SYS_INFO):
        pickle.dump(header, f, protocol=2)
    _LegacyV1Pickler(f, placements).dump(collections.OrderedDict(sd.items()))  # no _metadata
    keys = sorted(holder)
    pickle.dump(keys, f, protocol=2)
    for key in keys:
        tensor = holder[key]
        data = _storage_bytes(tensor)
        f.write(struct.pack("<q", len(data) // tensor.element_size()))
        f.write(data)


def python2_strings(pickled):
    """Rewrites BINUNICODE strings as Python 2's byte strings: SHORT_BINSTRING
    for most, BINSTRING (4-byte length) for those of odd length."""
    out = bytearray()
    ops = list(pickletools.genops(pickled))
    for i, (op, arg, pos) in enumerate(ops):
        end = ops[i + 1][2] if i + 1 < len(ops) else len(pickled)
        if op.name == "BINUNICODE":
            raw = arg.encode("ascii")
            if len(raw) % 2 == 1 or len(raw) > 255:
                out += b"T" + struct.pack("<i", len(raw)) + raw
            else:
                out += b"U" + bytes([len(raw)]) + raw
        else:
            out += pickled[pos:end]
    return bytes(out)


def write_legacy_v1_python2(f, sd):
    buffer = io.BytesIO()
    write_legacy_v1(buffer, sd)
    data = buffer.getvalue()
    # Five pickles, then the raw records: rewrite the pickles only.
    offset = 0
    for _ in range(5):
        end = offset + _pickle_length(data[offset:])
        f.write(python2_strings(data[offset:end]))
        offset = end
    f.write(data[offset:])


def _pickle_length(data):
    last = None
    for op, _, pos in pickletools.genops(data):
        last = (op, pos)
    return last[1] + 1  # STOP is one byte


def write_expected(path, sd, sums=()):
    """One line per tensor; the tensors named in `sums` by their float64
    sum ("sum=S") instead of their values."""
    with open(path, "w") as f:
        for name, tensor in sd.items():
            values = tensor.detach().to(torch.float64).flatten()
            if name in sums:
                text = "sum=" + repr(float(values.sum()))
            else:
                text = " ".join(repr(float(v)) for v in values.tolist())
            shape = ",".join(str(s) for s in tensor.shape)
            f.write(f"{name}\t{DTYPE_NAMES[tensor.dtype]}\t{shape}\t{text}\n")


def write_tiny_set(outdir):
    os.makedirs(outdir, exist_ok=True)
    sd = tiny_state_dict()
    with open(os.path.join(outdir, "tiny-legacy-v1.pth"), "wb") as f:
        write_legacy_v1(f, sd)
    with open(os.path.join(outdir, "tiny-legacy-v1-py2.pth"), "wb") as f:
        write_legacy_v1_python2(f, sd)
    with open(os.path.join(outdir, "tiny-legacy-v1-views.pth"), "wb") as f:
        write_legacy_v1(f, sd, views=True)
    # What module.state_dict() returns: an OrderedDict with _metadata.
    state = collections.OrderedDict(sd.items())
    state._metadata = collections.OrderedDict({"": {"version": 1}})
    torch.save(state, os.path.join(outdir, "tiny-legacy-v2.pth"), _use_new_zipfile_serialization=False)
    torch.save(state, os.path.join(outdir, "tiny-zip.pth"))
    buffer = io.BytesIO()
    torch.save(state, buffer)  # archive folder "archive", not the file's stem
    with open(os.path.join(outdir, "tiny-zip-archive.pth"), "wb") as f:
        f.write(buffer.getvalue())
    try:
        from safetensors.torch import save_file
    except ImportError:
        save_file = None
    if save_file is not None:
        save_file({k: v.contiguous().clone() for k, v in sd.items()},
                  os.path.join(outdir, "tiny.safetensors"), metadata={"format": "pt"})
    write_expected(os.path.join(outdir, "tiny-expected.txt"), sd)


def write_narrow_vgg19_set(outdir):
    """The four encodings of shared/fixtures/weights/vgg19-narrow*, which
    need safetensors as well as torch."""
    from safetensors.torch import save_file

    os.makedirs(outdir, exist_ok=True)
    sd = narrow_vgg19_state_dict()
    with open(os.path.join(outdir, "vgg19-narrow-legacy-v1.pth"), "wb") as f:
        write_legacy_v1(f, sd)
    state = collections.OrderedDict(sd.items())
    state._metadata = collections.OrderedDict({"": {"version": 1}})
    torch.save(state, os.path.join(outdir, "vgg19-narrow-legacy-v2.pth"),
               _use_new_zipfile_serialization=False)
    torch.save(state, os.path.join(outdir, "vgg19-narrow-zip.pth"))
    save_file(dict(sd.items()), os.path.join(outdir, "vgg19-narrow.safetensors"),
              metadata={"format": "pt"})
    write_expected(os.path.join(outdir, "vgg19-narrow-expected.txt"), sd,
                   sums={name for name in sd if name.endswith(".weight")})


def main(argv):
    if len(argv) == 3 and argv[1] == "--vgg19-narrow":
        write_narrow_vgg19_set(argv[2])
        return 0
    if len(argv) == 3 and argv[1] == "--vgg19-full":
        with open(argv[2], "wb") as f:
            write_legacy_v1(f, vgg19_state_dict())
        return 0
    if len(argv) == 2 and not argv[1].startswith("-"):
        write_tiny_set(argv[1])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
