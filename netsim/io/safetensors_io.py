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
import math
import os

import numpy as np

from ..errors import FileFormatError
from .architecture import (SCHEMA_VERSION, check_header, dumps, hidden_activations,
                           input_operations, parse_architecture, torch_sequential)
from .atomic import write_bytes_atomic
from .limits import MAX_ARCHIVE_BYTES, MAX_SETTINGS_BYTES, size_text
from .reading import open_regular, parse_json

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


# bytes per element of every dtype the format defines (to check a header's offsets), and
# the ones weights can be read from: floating point with a numpy type (BF16 has none)
_ITEM_BYTES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2,
               "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8}
_WEIGHT_DTYPES = {"F16": "<f2", "F32": "<f4", "F64": "<f8"}
_LENGTH_BYTES = 8
_MAX_DIMENSIONS = 8         # torch's tensors have a few; with dimensions below 2^63 (int64, as
                            # the format's writers hold them) a shape's product stays small


def read_safetensors(path, target) -> tuple[dict | None, list, list]:
    """(architecture or None, weights (n_in, n_out), biases) from a safetensors file that
    fits `target` (architecture.Target), or FileFormatError. The header is checked whole (its
    size, every tensor's dtype, shape and offsets, which must tile the data exactly) before
    any tensor is read, and only this network's tensors are read."""
    try:
        f = open_regular(path, "safetensors file", MAX_ARCHIVE_BYTES, FileFormatError)
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    with f:
        header, data_start = _header(f, path)
        metadata = header.pop("__metadata__", None)
        entries = _entries(header, os.fstat(f.fileno()).st_size - data_start, path)
        arch, folded_inputs = None, None
        if metadata is not None and "architecture" in metadata:
            arch = parse_architecture(metadata["architecture"], path)
            target.architecture(arch)
            folded_inputs = _folded_inputs(arch, path)
        n_layers = 0
        while tensor_name(n_layers, "weight") in entries:
            n_layers += 1
        if n_layers == 0:
            raise FileFormatError(f"{path}: no weights found: expected tensors named \"0.weight\", "
                                  f"\"0.bias\", \"2.weight\" ... (a torch.nn.Sequential of Linear "
                                  f"layers with activations between); the file has "
                                  f"{_short_list(sorted(entries))}")
        target.layer_count(n_layers)
        weights, biases = [], []
        for l in range(n_layers):
            bias_key = tensor_name(l, "bias")
            if bias_key not in entries:
                raise FileFormatError(f"{path}: the tensor {bias_key!r} is missing")
            n_in, n_out = target.shape(l, "weights")
            if l == 0 and folded_inputs is not None:
                n_in = folded_inputs               # the first layer reads the raw columns
            weights.append(_tensor(f, data_start, entries, tensor_name(l, "weight"),
                                   (n_in, n_out), f"layer {l + 1}", "weights", path))
            biases.append(_tensor(f, data_start, entries, bias_key, (n_out,), f"layer {l + 1}",
                                  "biases", path))
    if folded_inputs is not None:
        try:
            weights[0], biases[0] = unfold_first_layer(arch, weights[0], biases[0], path)
        except (KeyError, TypeError, ValueError) as exc:
            raise FileFormatError(f"{path}: the architecture's inputs do not fit the first "
                                  f"layer ({exc})") from None
    return arch, weights, biases


def _invalid(path, reason) -> FileFormatError:
    return FileFormatError(f"{path}: not a valid safetensors file ({reason})")


def _header(f, path) -> tuple[dict, int]:
    """(the JSON header, the offset of the data) of an open safetensors file."""
    size = os.fstat(f.fileno()).st_size
    length = int.from_bytes(f.read(_LENGTH_BYTES), "little")
    if size < _LENGTH_BYTES or length > size - _LENGTH_BYTES:
        raise _invalid(path, f"its header length {length} goes past the end of the file")
    if length > MAX_SETTINGS_BYTES:
        raise _invalid(path, f"a header of {size_text(length)}; NetSim reads headers of up to "
                             f"{size_text(MAX_SETTINGS_BYTES)}")
    try:
        text = f.read(length).decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid(path, "the header is not UTF-8 text") from None
    header = parse_json(text, f"{path}: the safetensors header", FileFormatError)
    if not isinstance(header, dict):
        raise _invalid(path, "the header is not a JSON object")
    metadata = header.get("__metadata__")
    if metadata is not None and not (isinstance(metadata, dict) and all(
            isinstance(v, str) for v in metadata.values())):
        raise _invalid(path, "__metadata__ must map names to strings")
    return header, _LENGTH_BYTES + length


def _entries(header: dict, data_bytes: int, path) -> dict:
    """name -> (dtype, shape, (begin, end)) of every tensor, the offsets checked to tile the
    data exactly, as the format requires."""
    entries = {}
    for name, entry in header.items():
        if not (isinstance(entry, dict) and set(entry) == {"dtype", "shape", "data_offsets"}
                and isinstance(entry["dtype"], str) and entry["dtype"] in _ITEM_BYTES
                and isinstance(entry["shape"], list)
                and len(entry["shape"]) <= _MAX_DIMENSIONS
                and all(_whole(n) and n < 1 << 63 for n in entry["shape"])
                and isinstance(entry["data_offsets"], list) and len(entry["data_offsets"]) == 2
                and all(_whole(n) for n in entry["data_offsets"])):
            raise _invalid(path, f"the entry of tensor {name[:80]!r} is not a dtype, a shape "
                                 f"and two offsets")
        begin, end = entry["data_offsets"]
        if end - begin != math.prod(entry["shape"]) * _ITEM_BYTES[entry["dtype"]]:
            raise _invalid(path, f"tensor {name[:80]!r} takes {end - begin} bytes; its dtype "
                                 f"and shape need {math.prod(entry['shape'])} elements")
        entries[name] = (entry["dtype"], entry["shape"], (begin, end))
    position = 0
    for name, (_, _, (begin, end)) in sorted(entries.items(), key=lambda item: item[1][2]):
        if begin != position:
            raise _invalid(path, f"tensor {name[:80]!r} does not start where the one before "
                                 f"it ends")
        position = end
    if position != data_bytes:
        raise _invalid(path, f"the tensors take {position} bytes, the file holds {data_bytes}")
    return entries


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _tensor(f, data_start, entries, name, shape, layer, what, path) -> np.ndarray:
    """Tensor `name` read from the file in the engine's layout (a weight tensor, torch's
    (out, in), transposed), once its header's dtype is a float and its shape is `shape`."""
    dtype_name, found, (begin, end) = entries[name]
    if dtype_name not in _WEIGHT_DTYPES:
        raise FileFormatError(f"{path}: {layer}: tensor {name!r} has dtype {dtype_name}; "
                              f"weights are read from {', '.join(_WEIGHT_DTYPES)} tensors")
    if what == "weights" and len(found) != 2:
        raise FileFormatError(f"{path}: {layer}: the weight tensor must be a matrix (out, in); "
                              f"the file has shape {tuple(found)}")
    engine_shape = tuple(found[::-1]) if what == "weights" else tuple(found)
    dtype = np.dtype(_WEIGHT_DTYPES[dtype_name])
    check_header(dtype, engine_shape, shape, layer, what, path)
    f.seek(data_start + begin)
    data = f.read(end - begin)
    if len(data) != end - begin:
        raise _invalid(path, f"tensor {name!r} is cut short")
    tensor = np.frombuffer(data, dtype).reshape(found)
    return tensor.T if what == "weights" else tensor


def _folded_inputs(arch: dict, path) -> int | None:
    """How many inputs the first layer of a file whose standardisation is folded into it
    reads (its raw columns or features, see torch_input); None if it is not folded."""
    if arch.get("torch_input") not in ("raw", "features"):
        return None
    try:
        return len(torch_input(arch)[1])
    except (KeyError, TypeError, ValueError) as exc:
        raise FileFormatError(f"{path}: the architecture's inputs are not ones NetSim "
                              f"computes ({exc})") from None


def _short_list(names) -> str:
    shown = ", ".join(name[:80] for name in names[:10])
    return (shown + f" and {len(names) - 10} more" if len(names) > 10 else shown) or "none"
