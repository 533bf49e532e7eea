#!/usr/bin/env python3
"""Float64 reference fixtures for GoldenTests (dev-only; the tests never run Python).

The float32 golden files (`<case>.safetensors` beside this script, from ../shared/golden) come
from float32 PyTorch, which rounds differently from our engine. Where a ReLU6 pre-activation lies
within float32 rounding of 0 or 6, either side may switch the unit off, and its gradient path
with it: a few such flips move the input gradient by ~1e-3 relative, so a float32-vs-float32
comparison cannot be tight. This script computes the same model in float64 (rounding ~1e-16, so
its masks are the model's own) and writes, per golden case, `<case>-float64.safetensors`:

  logits                 [1000]        F32  float64 logits, rounded once to float32
  grad_logprob_target    [1,3,S,S]     F32  float64 d log_softmax(logits)[target] / d input (NCHW)
  layer_unit_count       [L]           I32  units of each ReLU6 layer (engine order, see below)
  layer_active_count     [L]           I32  units with 0 < z < 6 in float64 (the gradient passes)
  boundary_layer         [n]           I32  for every unit whose float64 pre-activation z lies
  boundary_index         [n]           I32    within MARGIN of 0 or 6: its layer, its flat NHWC
  boundary_edge          [n]           I32    index (batch 1), the nearer edge (0 or 6), and
  boundary_offset        [n]           F32    z − edge (float32 keeps the sign, which z itself
                                              would lose near 6)
  metadata mask_hash                        per layer, hex of Σ splitmix64(index) mod 2^64 over the
                                              active units: with the listed units set to the
                                              reference's masks, our masks must hash the same
  metadata margin, target, model, and measurements printed below.

ReLU6 layers in the engine's order: the stem, then per block its expansion (absent in block 0)
and its depthwise convolution, then the head. The forward pass here is written from the weight
file's tensors (`Weights/liteN.safetensors`, the engine's own input): TF "SAME" padding, BatchNorm
with eps 1e-3 applied after each convolution, ReLU6, linear projection, skip when stride 1 and
widths agree.

Run from the repository root with a python that has torch and safetensors, e.g. the reference venv:

    /tmp/trilobite-refenv/bin/python Tests/EngineTests/Fixtures/make_float64_reference.py

Options: `--margin 1e-3` (default), `--check-reference ../shared/reference` also builds
../shared/reference/lite_ref.py's model in float64 and compares its logits with ours. The output
is deterministic (same bytes on every run with the same torch and options).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CASES = [("chelsea-lite0", "lite0", 224), ("coffee-lite0", "lite0", 224), ("chelsea-lite2", "lite2", 260)]
TARGET = 69  # trilobite, as in the golden files


def same_padded(x, kernel, stride):
    """TensorFlow SAME: total padding split with the smaller half before."""
    side = x.shape[-1]
    out = -(-side // stride)
    total = max((out - 1) * stride + kernel - side, 0)
    return F.pad(x, [total // 2, total - total // 2, total // 2, total - total // 2])


def batch_norm(weights, prefix, x):
    scale = weights[prefix + ".weight"] / torch.sqrt(weights[prefix + ".running_var"] + 1e-3)
    shift = weights[prefix + ".bias"] - weights[prefix + ".running_mean"] * scale
    return x * scale[None, :, None, None] + shift[None, :, None, None]


def relu6(z, pre_activations):
    """ReLU6 whose gradient passes exactly where 0 < z < 6 (PyTorch's hardtanh backward and the
    engine's mask); keeps z for the fixture."""
    pre_activations.append(z.detach())
    passes = (z > 0) & (z < 6)
    return torch.where(passes, z, z.detach().clamp(0, 6))


def block_count(weights):
    return 1 + max(int(name.split(".")[1]) for name in weights if name.startswith("_blocks."))


def forward(weights, x, pre_activations):
    """EfficientNet-Lite in the dtype of `weights` and `x`; appends every ReLU6 pre-activation."""
    x = relu6(batch_norm(weights, "_bn0", F.conv2d(same_padded(x, 3, 2), weights["_conv_stem.weight"], stride=2)),
              pre_activations)
    stage, previous_width = 1, None
    for index in range(block_count(weights)):
        prefix = f"_blocks.{index}."
        width = weights[prefix + "_project_conv.weight"].shape[0]
        starts_stage = previous_width is not None and previous_width != width
        if starts_stage:
            stage += 1
        stride = 2 if (starts_stage or index == 0) and stage in (2, 3, 4, 6) else 1
        previous_width = width
        block_input = x
        if prefix + "_expand_conv.weight" in weights:
            x = relu6(batch_norm(weights, prefix + "_bn0", F.conv2d(x, weights[prefix + "_expand_conv.weight"])),
                      pre_activations)
        depthwise = weights[prefix + "_depthwise_conv.weight"]
        x = F.conv2d(same_padded(x, depthwise.shape[-1], stride), depthwise, stride=stride, groups=depthwise.shape[0])
        x = relu6(batch_norm(weights, prefix + "_bn1", x), pre_activations)
        x = batch_norm(weights, prefix + "_bn2", F.conv2d(x, weights[prefix + "_project_conv.weight"]))
        if stride == 1 and block_input.shape[1] == width:
            x = x + block_input
    x = relu6(batch_norm(weights, "_bn1", F.conv2d(x, weights["_conv_head.weight"])), pre_activations)
    return F.linear(x.mean((2, 3)), weights["_fc.weight"], weights["_fc.bias"])


def logits_and_gradient(weights, image):
    """Logits, d log_softmax[TARGET] / d input, and the ReLU6 pre-activations."""
    x = image.clone().requires_grad_(True)
    pre_activations = []
    logits = forward(weights, x, pre_activations)
    (gradient,) = torch.autograd.grad(torch.log_softmax(logits, 1)[0, TARGET], x)
    return logits.detach()[0], gradient, pre_activations


def channels_last_flat(z):
    """NCHW (batch 1) → the engine's flat NHWC order."""
    return z.permute(0, 2, 3, 1).reshape(-1)


MASK64 = (1 << 64) - 1


def splitmix64(indices):
    """SplitMix64 finaliser of state + golden gamma, as `mixedIndex` in GoldenTests.swift."""
    with np.errstate(over="ignore"):
        z = indices.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def mask_hash(active):
    """Order-free hash of the set of active flat indices (sum wraps mod 2^64)."""
    indices = np.flatnonzero(active)
    with np.errstate(over="ignore"):
        return int(splitmix64(indices).sum(dtype=np.uint64))


def write_safetensors(path, tensors, metadata):
    """safetensors with names and metadata keys sorted, so that the bytes are reproducible
    (safetensors' own writer orders metadata by a hash map)."""
    dtypes = {torch.float32: "F32", torch.int32: "I32"}
    header, blobs, offset = {"__metadata__": dict(sorted(metadata.items()))}, [], 0
    for name in sorted(tensors):
        tensor = tensors[name].contiguous()
        blob = tensor.numpy().astype(tensor.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtypes[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def relative_l2(value, reference):
    return float(torch.linalg.vector_norm(value - reference) / torch.linalg.vector_norm(reference))


def check_against_lite_ref(reference_dir, variant, image, logits64):
    """Our float64 forward against ../shared/reference/lite_ref.py's, also in float64."""
    sys.path.insert(0, os.path.abspath(reference_dir))
    import lite_ref  # noqa: E402  (the reference is imported by path, never copied)
    number = int(variant[-1])
    state = torch.load(lite_ref.weights_path(number), map_location="cpu", weights_only=False)
    state = {k: v.double() for k, v in state.items() if not k.endswith("num_batches_tracked")}
    model = lite_ref.Lite(state, True).eval()
    with torch.no_grad():
        theirs = model(image)[0]
    return float((theirs - logits64).abs().max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--margin", type=float, default=1e-3)
    parser.add_argument("--check-reference", metavar="DIR", help="path of ../shared/reference to cross-check logits")
    arguments = parser.parse_args()
    margin = arguments.margin
    torch.manual_seed(0)

    for name, variant, side in CASES:
        weights32 = load_file(os.path.join(REPOSITORY, "Weights", f"{variant}.safetensors"))
        weights64 = {k: v.double() for k, v in weights32.items()}
        golden = load_file(os.path.join(HERE, f"{name}.safetensors"))
        image32 = golden["input"]
        assert image32.shape == (1, 3, side, side), image32.shape
        image64 = image32.double()

        logits64, gradient64, pre64 = logits_and_gradient(weights64, image64)
        # Float32 PyTorch on the same weights: how far a float32 pre-activation strays from the
        # float64 one (this chooses the margin) and how many masks float32 flips.
        logits32, gradient32, pre32 = logits_and_gradient(weights32, image32)

        layers, indices, edges, offsets = [], [], [], []
        unit_counts, active_counts, hashes = [], [], []
        worst_stray, float32_flips, near_counts = 0.0, 0, []
        for layer, (z64, z32) in enumerate(zip(pre64, pre32)):
            flat = channels_last_flat(z64).numpy()
            flat32 = channels_last_flat(z32).double().numpy()
            active = (flat > 0) & (flat < 6)
            worst_stray = max(worst_stray, float(np.abs(flat32 - flat).max()))
            float32_flips += int((active != ((flat32 > 0) & (flat32 < 6))).sum())
            edge = np.where(np.abs(flat - 6) < np.abs(flat), 6, 0)
            offset = flat - edge
            near = np.flatnonzero(np.abs(offset) < margin)
            near_counts.append(len(near))
            layers += [layer] * len(near)
            indices += near.tolist()
            edges += edge[near].tolist()
            offsets += offset[near].tolist()
            unit_counts.append(flat.size)
            active_counts.append(int(active.sum()))
            hashes.append(f"{mask_hash(active):016x}")

        golden_error = relative_l2(golden["grad_logprob_target"].double(), gradient64)
        float32_error = relative_l2(gradient32.double(), gradient64)
        logit_error32 = float((golden["logits"].double() - logits64).abs().max())
        print(f"{name}: {len(pre64)} ReLU6 layers, {sum(unit_counts)} units, {len(indices)} within {margin:g} of 0 or 6 "
              f"(most in one layer: {max(near_counts)}); max |z32 − z64| (torch float32) = {worst_stray:.3g}, "
              f"torch float32 flips = {float32_flips}, its gradient relative L2 = {float32_error:.3g}; "
              f"golden file: logits max error {logit_error32:.3g}, gradient relative L2 {golden_error:.3g}")
        metadata = {
            "model": f"efficientnet-{variant}", "target": str(TARGET), "margin": repr(margin),
            "mask_hash": ",".join(hashes),
            "input": f"{name}.safetensors input",
            "reference": f"float64 PyTorch {torch.__version__}, make_float64_reference.py",
            "measured_max_float32_pre_activation_error": f"{worst_stray:.3g}",
            "measured_golden_gradient_relative_l2": f"{golden_error:.3g}",
        }
        if arguments.check_reference:
            difference = check_against_lite_ref(arguments.check_reference, variant, image64, logits64)
            print(f"  lite_ref.py in float64: max logit difference {difference:.3g}")
            metadata["checked_against_lite_ref_float64_max_logit_difference"] = f"{difference:.3g}"
        tensors = {
            "logits": logits64.float().contiguous(),
            "grad_logprob_target": gradient64.float().contiguous(),
            "layer_unit_count": torch.tensor(unit_counts, dtype=torch.int32),
            "layer_active_count": torch.tensor(active_counts, dtype=torch.int32),
            "boundary_layer": torch.tensor(layers, dtype=torch.int32),
            "boundary_index": torch.tensor(indices, dtype=torch.int32),
            "boundary_edge": torch.tensor(edges, dtype=torch.int32),
            "boundary_offset": torch.tensor(offsets, dtype=torch.float32),
        }
        path = os.path.join(HERE, f"{name}-float64.safetensors")
        write_safetensors(path, tensors, metadata)


if __name__ == "__main__":
    main()
