"""NumPy .npz weights: W0, b0, W1, b1 ... in the engine's layout (W[l] of shape (n_in, n_out)),
plus "architecture", a JSON string (see architecture.py). No pickles: `np.load(path,
allow_pickle=False)` reads it. NetSim reads it with archive.ArrayArchive, header before data.

    data = np.load("net.npz"); W0, b0 = data["W0"], data["b0"]
    arch = json.loads(str(data["architecture"]))
"""
import io
import re

import numpy as np

from ..errors import FileFormatError
from .architecture import dumps, parse_architecture
from .archive import ArrayArchive
from .limits import MAX_SETTINGS_BYTES
from .atomic import write_bytes_atomic

_KEY = re.compile(r"[Wb]\d+")


def write_npz(path, arch: dict, weights, biases):
    arrays = {}
    for l, (w, b) in enumerate(zip(weights, biases)):
        arrays[f"W{l}"], arrays[f"b{l}"] = w, b
    arrays["architecture"] = np.array(dumps(arch))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    write_bytes_atomic(path, buffer.getvalue())


def read_npz(path, target) -> tuple[dict | None, list, list]:
    """(architecture or None, weights, biases) from an .npz file that fits `target`
    (architecture.Target); FileFormatError if the file is not a readable, pickle-free archive
    of W0, b0, W1, b1 ... or does not fit. Every array's header is checked before it is read."""
    with ArrayArchive(path, "NetSim weight file (.npz)") as archive:
        keys = {name[:-len(".npy")] for name in archive.names() if name.endswith(".npy")}
        arch = None
        if "architecture" in keys:
            text = archive.array("architecture.npy", "the architecture", kinds="U", shape=(),
                                 check=lambda dtype, shape: _check_text_size(dtype, path))
            arch = parse_architecture(str(text[()]), path)
            target.architecture(arch)
        n_layers = _layer_count(keys, path)
        target.layer_count(n_layers)
        weights, biases = [], []
        for l in range(n_layers):
            for kind, what, arrays in (("W", "weights", weights), ("b", "biases", biases)):
                arrays.append(archive.array(
                    f"{kind}{l}.npy", f"layer {l + 1} {what}", kinds=_ANY_PLAIN,
                    check=lambda dtype, shape, l=l, what=what: target.header(l, what, dtype,
                                                                             shape)))
    return arch, weights, biases


def _check_text_size(dtype, path):
    if dtype.itemsize > 4 * MAX_SETTINGS_BYTES:         # numpy keeps 4 bytes per character
        raise FileFormatError(f"{path}: the architecture is {dtype.itemsize // 4} characters "
                              f"long; NetSim reads up to {MAX_SETTINGS_BYTES}")


_ANY_PLAIN = "biufcSU"      # read without pickle; Target.header says which are weights


def _layer_count(keys, path) -> int:
    """n where the archive holds W0, b0 ... W(n-1), b(n-1), or FileFormatError naming the
    first array missing."""
    n_layers = sum(1 for key in keys if _KEY.fullmatch(key) and key[0] == "W")
    if n_layers == 0:
        raise FileFormatError(f"{path}: no weights found: expected arrays named W0, b0, W1, b1 ...")
    for l in range(n_layers):
        for kind in "Wb":
            if f"{kind}{l}" not in keys:
                raise FileFormatError(f"{path}: the array {kind}{l} is missing (expected W0, "
                                      f"b0 ... W{n_layers - 1}, b{n_layers - 1})")
    return n_layers
