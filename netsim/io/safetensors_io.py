"""safetensors weights for torch: keys "0.weight", "0.bias", "2.weight" ... as a
torch.nn.Sequential(Linear, activation, Linear, ...) names them (Linear k at index 2k), each
weight of shape (out, in), float32 or float64 as trained. The metadata holds the architecture
JSON (key "architecture", with the Sequential's source under "torch") and "format": "pt".

    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
    model.load_state_dict(safetensors.torch.load_file("net.safetensors"))   # strict
"""
import json

import numpy as np

from ..errors import FileFormatError
from .architecture import SCHEMA_VERSION, dumps, parse_architecture
from .atomic import write_bytes_atomic

MISSING = ("safetensors files need the 'safetensors' package: "
           "pip install 'netsim[export]' (or pip install safetensors)")


def _safetensors_numpy():
    try:
        import safetensors.numpy
    except ImportError:
        raise FileFormatError(MISSING) from None
    return safetensors.numpy


def tensor_name(l: int, kind: str) -> str:
    """Key of Linear l's "weight" or "bias" in a Sequential with activations between Linears."""
    return f"{2 * l}.{kind}"


TENSOR_LAYOUT = ("tensor '{2l}.weight' has torch's shape (n_out, n_in), the transpose of the "
                 "engine's weights[l], and z = a @ weight.T + bias, as torch.nn.Linear; "
                 "weight[j][i] is the edge from neuron i of layer l to neuron j of layer l+1")


def write_safetensors(path, arch: dict, weights, biases):
    st = _safetensors_numpy()
    tensors = {}
    for l, (w, b) in enumerate(zip(weights, biases)):
        # save() writes the raw buffer: a transposed view would be saved scrambled
        tensors[tensor_name(l, "weight")] = np.ascontiguousarray(w.T)
        tensors[tensor_name(l, "bias")] = np.ascontiguousarray(b)
    # the tensors are torch's (out, in), the transpose of the engine's layout: say so
    arch = {**arch, "layout": TENSOR_LAYOUT}
    metadata = {"format": "pt", "schema_version": str(SCHEMA_VERSION),
                "architecture": dumps(arch)}
    write_bytes_atomic(path, st.save(tensors, metadata=metadata))


def read_safetensors(path) -> tuple[dict | None, list, list]:
    """(architecture or None, weights (n_in, n_out), biases) or FileFormatError. The library
    checks that the header's offsets and sizes agree with the file before any array is made."""
    st = _safetensors_numpy()
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the file ({exc})") from None
    try:
        tensors = st.load(data)
        metadata = _metadata(data)
    except Exception as exc:      # the library raises its own SafetensorError, and others
        raise FileFormatError(f"{path}: not a valid safetensors file ({exc})") from None
    arch = None
    if metadata and "architecture" in metadata:
        arch = parse_architecture(metadata["architecture"], path)
    n_layers = 0
    while tensor_name(n_layers, "weight") in tensors:
        n_layers += 1
    if n_layers == 0:
        raise FileFormatError(f"{path}: no weights found: expected tensors named \"0.weight\", "
                              f"\"0.bias\", \"2.weight\" ... (a torch.nn.Sequential of Linear "
                              f"layers with activations between); the file has "
                              f"{', '.join(sorted(tensors)) or 'none'}")
    weights, biases = [], []
    for l in range(n_layers):
        bias_key = tensor_name(l, "bias")
        if bias_key not in tensors:
            raise FileFormatError(f"{path}: the tensor {bias_key!r} is missing")
        weight = tensors[tensor_name(l, "weight")]
        if weight.ndim != 2:
            raise FileFormatError(f"{path}: layer {l + 1}: the weight tensor must be a matrix "
                                  f"(out, in); the file has shape {weight.shape}")
        weights.append(weight.T)
        biases.append(tensors[bias_key])
    return arch, weights, biases


def _metadata(data: bytes) -> dict | None:
    # safetensors.numpy has no metadata reader for bytes; the header is 8 bytes of length
    # then JSON, which load() above has already validated.
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    metadata = header.get("__metadata__")
    return metadata if isinstance(metadata, dict) else None
