"""NumPy .npz weights: W0, b0, W1, b1 ... in the engine's layout (W[l] of shape (n_in, n_out)),
plus "architecture", a JSON string (see architecture.py). No pickles: `np.load(path,
allow_pickle=False)` reads it.

    data = np.load("net.npz"); W0, b0 = data["W0"], data["b0"]
    arch = json.loads(str(data["architecture"]))
"""
import io
import re
import zipfile

import numpy as np

from ..errors import FileFormatError
from .architecture import dumps, parse_architecture
from .atomic import write_bytes_atomic

_KEY = re.compile(r"([Wb])(\d+)")
MAX_MEMBER_BYTES = 1 << 28     # 256 MiB: twice the largest layer (4096 x 4096 float64)


def write_npz(path, arch: dict, weights, biases):
    arrays = {}
    for l, (w, b) in enumerate(zip(weights, biases)):
        arrays[f"W{l}"], arrays[f"b{l}"] = w, b
    arrays["architecture"] = np.array(dumps(arch))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    write_bytes_atomic(path, buffer.getvalue())


def read_npz(path) -> tuple[dict | None, list, list]:
    """(architecture or None, weights, biases) from an .npz file; FileFormatError if the file
    is not a readable, pickle-free archive of W0, b0, W1, b1 ..."""
    arrays = _read_all(path)
    arch = None
    if "architecture" in arrays:
        text = arrays.pop("architecture")
        if text.dtype.kind != "U" or text.shape != ():
            raise FileFormatError(f"{path}: 'architecture' must be a JSON string")
        arch = parse_architecture(str(text), path)
    layers = {}
    for key, array in arrays.items():
        match = _KEY.fullmatch(key)
        if match:
            layers[(match[1], int(match[2]))] = array
    n_layers = 1 + max((l for _, l in layers), default=-1)
    if n_layers == 0:
        raise FileFormatError(f"{path}: no weights found: expected arrays named W0, b0, W1, b1 ...")
    missing = [f"{kind}{l}" for l in range(n_layers) for kind in "Wb" if (kind, l) not in layers]
    if missing:
        raise FileFormatError(f"{path}: the array {missing[0]} is missing (expected W0, b0 ... "
                              f"W{n_layers - 1}, b{n_layers - 1})")
    return (arch, [layers["W", l] for l in range(n_layers)],
            [layers["b", l] for l in range(n_layers)])


def _read_all(path) -> dict:
    _check_sizes(path)
    # np.load opens a malicious archive without complaint; the refusal (object arrays need
    # pickle) comes when a key is read, so every key is read here, inside the handler.
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise FileFormatError(f"{path}: this is a single .npy array, not an .npz archive "
                                  f"of W0, b0, W1, b1 ...")
        with data:
            return {key: data[key] for key in data.files}
    except FileFormatError:
        raise
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the file ({exc})") from None
    except (ValueError, zipfile.BadZipFile, EOFError, KeyError, RuntimeError) as exc:
        raise FileFormatError(f"{path}: not a valid, pickle-free .npz weight file "
                              f"({exc})") from None


def _check_sizes(path):
    """Refuse members that would expand to more than any network could need (zip bombs)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the file ({exc})") from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        return             # np.load reports what the file is instead
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES:
            raise FileFormatError(f"{path}: {info.filename} would expand to {info.file_size} "
                                  f"bytes, more than any network here holds")
