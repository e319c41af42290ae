"""safetensors weights for torch: keys "0.weight", "0.bias", "2.weight" ... as a
torch.nn.Sequential(Linear, activation, Linear, ...) names them (Linear k at index 2k), each
weight of shape (out, in), float32 or float64 as trained. The metadata holds the architecture
JSON (key "architecture", with the Sequential's source under "torch") and "format": "pt".

    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
    model.load_state_dict(safetensors.torch.load_file("net.safetensors"))   # strict
    model(torch.tensor(raw_rows))           # the app's predictions

The input standardisation is folded into the first layer (W / std, b - mean / std @ W), so
the model takes values as the data has them. When every input is a raw column as it is (CSV
files, the real data sets, x1 and x2), the first Linear takes the raw columns, in the file's
order; otherwise (x1², sin x1 ...) it takes the features, computed from the raw columns as the
architecture's "transforms" name them. The architecture says which: "torch_input" is "raw" or
"features", "torch_input_names" lists the columns. Reading the file back unfolds it.
"""
import json

import numpy as np

from ..errors import FileFormatError
from .architecture import (SCHEMA_VERSION, dumps, hidden_activations, input_operations,
                           parse_architecture, torch_sequential)
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


def torch_input(arch: dict) -> tuple[str, list]:
    """("raw", raw column names) when every model input is a raw column as it is, else
    ("features", feature names): what the exported torch model takes."""
    operations = input_operations(arch)
    if all(op == "identity" for _, op, _ in operations):
        return "raw", list(arch["raw_names"])
    return "features", list(arch["feature_names"])


def _folding(arch: dict):
    """(mean, std, rows) of the first layer's folding: each model input's mean and std, and
    the row of the folded weights it reads (its raw column, or its own feature row)."""
    mean = np.asarray(arch["feature_mean"], dtype=np.float64)
    std = np.asarray(arch["feature_std"], dtype=np.float64)
    kind, _ = torch_input(arch)
    rows = ([cols[0] for _, _, cols in input_operations(arch)] if kind == "raw"
            else list(range(len(mean))))
    return mean, std, rows


def fold_first_layer(arch: dict, w, b):
    """The first layer (n_in, n_out), (n_out,) as it reads unstandardised inputs: raw columns
    (raw_dim rows, zero for columns the network does not use) or features."""
    mean, std, rows = _folding(arch)
    kind, names = torch_input(arch)
    w64 = np.asarray(w, dtype=np.float64) / std[:, None]
    folded = np.zeros((len(names), w64.shape[1]))
    folded[rows] = w64
    bias = np.asarray(b, dtype=np.float64) - mean @ w64
    return folded.astype(w.dtype), bias.astype(b.dtype)


def unfold_first_layer(arch: dict, w, b, path):
    """The engine's first layer from a folded one: the inverse of fold_first_layer."""
    mean, std, rows = _folding(arch)
    if w.shape[0] <= max(rows):
        raise FileFormatError(f"{path}: the first layer reads {w.shape[0]} inputs; the "
                              f"architecture needs {max(rows) + 1}")
    read = np.asarray(w, dtype=np.float64)[rows]
    bias = np.asarray(b, dtype=np.float64) + mean @ read
    return (read * std[:, None]).astype(w.dtype), bias.astype(b.dtype)


def write_safetensors(path, arch: dict, weights, biases):
    st = _safetensors_numpy()
    tensors = {}
    weights, biases = list(weights), list(biases)
    weights[0], biases[0] = fold_first_layer(arch, weights[0], biases[0])
    kind, names = torch_input(arch)
    arch = {**arch, "torch_input": kind, "torch_input_names": names,
            "torch": torch_sequential([len(names), *arch["sizes"][1:]],
                                      hidden_activations(arch), arch["output"])}
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
    if arch is not None and arch.get("torch_input") in ("raw", "features"):
        try:
            weights[0], biases[0] = unfold_first_layer(arch, weights[0], biases[0], path)
        except (KeyError, TypeError, ValueError) as exc:
            raise FileFormatError(f"{path}: the architecture's inputs do not fit the first "
                                  f"layer ({exc})") from None
    return arch, weights, biases


def _metadata(data: bytes) -> dict | None:
    # safetensors.numpy has no metadata reader for bytes; the header is 8 bytes of length
    # then JSON, which load() above has already validated.
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    metadata = header.get("__metadata__")
    return metadata if isinstance(metadata, dict) else None
