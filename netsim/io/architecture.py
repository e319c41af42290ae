"""What a weight file says about the network it holds, and how imported arrays are checked.

Every export carries the same `architecture` dictionary (JSON-safe):

    format, schema_version   "netsim-weights", SCHEMA_VERSION
    sizes                    [n_inputs, hidden..., n_outputs]
    activation, output       the hidden activation's name, or a list of one per hidden layer;
                             "sigmoid" | "softmax" | "linear"
    dtype                    "float64" | "float32", as trained
    layout                   how weights[l] is indexed (engine convention, (n_in, n_out))
    raw_names                names of the raw columns a user feeds in
    transforms               feature transforms applied to the raw columns, [] = raw columns as is
    feature_names            names of the model inputs
    feature_mean/feature_std standardisation: input = (feature - mean) / std
    class_names, task        what the outputs mean
    torch                    the torch.nn.Sequential that the .safetensors export loads into

Checks raise FileFormatError naming the file and, for a mismatch, the layer and both shapes.
Nothing here changes a network: callers validate everything first, then load.
"""
import json
import math

import numpy as np

from ..activations import ACTIVATIONS
from ..errors import FileFormatError
from ..losses import loss_of_output

FORMAT = "netsim-weights"
SCHEMA_VERSION = 1
LAYOUT = ("weights[l] has shape (n_in, n_out) and z = a @ weights[l] + biases[l]; "
          "weights[l][i][j] is the edge from neuron i of layer l to neuron j of layer l+1")

# How each feature transform reads the raw columns, for exporters that rebuild it outside
# numpy (ONNX nodes, a generated .py): (operation, raw column indices). The test
# test_every_feature_has_an_operation_matching_the_engine keeps this beside FEATURES.
FEATURE_OPERATIONS = {
    "x1": ("identity", (0,)),
    "x2": ("identity", (1,)),
    "x1^2": ("square", (0,)),
    "x2^2": ("square", (1,)),
    "x1*x2": ("product", (0, 1)),
    "sin(x1)": ("sin", (0,)),
    "sin(x2)": ("sin", (1,)),
}

def describe(trainer) -> dict:
    """The architecture dictionary of a trainer's network and data."""
    net, ds = trainer.network, trainer.dataset
    pre = ds.preprocessing()
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "sizes": list(net.sizes),
        "activation": activation_field(net.activation_names),
        "output": net.output,
        "dtype": net.dtype.name,
        "layout": LAYOUT,
        "raw_names": pre["raw_names"],
        "transforms": pre["transforms"],
        "feature_names": pre["feature_names"],
        "feature_mean": pre["feature_mean"],
        "feature_std": pre["feature_std"],
        "class_names": pre["class_names"],
        "task": pre["task"],
        "torch": torch_sequential(net.sizes, net.activation_names, net.output),
    }


def activation_field(names: list) -> str | list:
    """The architecture's "activation": one name when every hidden layer uses it (as files
    written before per-layer activations say), else the list of one per hidden layer."""
    return names[0] if len(set(names)) == 1 else list(names)


def hidden_activations(arch: dict) -> list:
    """The activation of each hidden layer of the architecture."""
    value = arch["activation"]
    return [value] * (len(arch["sizes"]) - 2) if isinstance(value, str) else list(value)


def torch_sequential(sizes, activations: list, output: str) -> str:
    """`torch.nn.Sequential(...)` source that loads our .safetensors export strictly:
    Linear k sits at index 2k, an activation (Identity for "linear") between Linears."""
    parts = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if k:
            parts.append(f"nn.{ACTIVATIONS[activations[k - 1]].torch_module}")
        parts.append(f"nn.Linear({n_in}, {n_out})")
    output_module = loss_of_output(output).output_torch_module
    if output_module:
        parts.append(f"nn.{output_module}")
    return "nn.Sequential(" + ", ".join(parts) + ")"


def output_meaning(arch: dict) -> str:
    """What the exported network's outputs are, in words."""
    names = arch["class_names"]
    if arch["output"] == "linear":
        return "predicted values"
    if arch["output"] == "softmax":
        return "probabilities of the classes " + ", ".join(names)
    return f"probability of class {repr(names[-1]) if names else '1'}"


def input_operations(arch: dict) -> list:
    """[(feature name, operation, raw columns)] computing the model inputs from raw columns,
    before standardisation."""
    transforms = arch["transforms"]
    if not transforms:
        return [(name, "identity", (k,)) for k, name in enumerate(arch["raw_names"])]
    return [(name, *FEATURE_OPERATIONS[name]) for name in transforms]


def dumps(arch: dict) -> str:
    return json.dumps(arch, separators=(",", ":"))


# ---- reading ----------------------------------------------------------------------------

def parse_architecture(text, path) -> dict:
    """The architecture dictionary from its JSON text, or FileFormatError."""
    try:
        arch = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, TypeError) as exc:
        raise FileFormatError(f"{path}: the architecture is not valid JSON ({exc})") from None
    return checked_architecture(arch, path)


def checked_architecture(arch, path) -> dict:
    if not isinstance(arch, dict):
        raise FileFormatError(f"{path}: the architecture must be a JSON object")
    version = arch.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise FileFormatError(f"{path}: the architecture has no schema_version")
    if version > SCHEMA_VERSION:
        raise FileFormatError(f"{path}: written by a newer NetSim (schema_version {version}; "
                              f"this version reads up to {SCHEMA_VERSION}): update NetSim")
    sizes = arch.get("sizes")
    if (not isinstance(sizes, list) or len(sizes) < 2
            or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in sizes)):
        raise FileFormatError(f"{path}: the architecture's sizes must be a list of at least two "
                              f"positive whole numbers; got {sizes!r}")
    if "output" in arch and not isinstance(arch["output"], str):
        raise FileFormatError(f"{path}: the architecture's output must be a name")
    activation = arch.get("activation")
    if activation is not None and not isinstance(activation, str) and not (
            isinstance(activation, list) and len(activation) == len(sizes) - 2
            and all(isinstance(name, str) for name in activation)):
        raise FileFormatError(f"{path}: the architecture's activation must be a name, or a "
                              f"list of one name per hidden layer ({len(sizes) - 2})")
    return arch


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def check_compatible(arch: dict, network, path):
    """FileFormatError unless a file whose architecture is `arch` fits `network`: the same
    number of layers, the same activation and output (loading weights into a different
    function would silently mean something else). Shapes are checked by checked_parameters."""
    sizes = arch["sizes"]
    if len(sizes) != len(network.sizes):
        raise FileFormatError(
            f"{path}: the file's network has {len(sizes) - 1} weight layers (sizes {sizes}), "
            f"this one has {network.n_layers} (sizes {network.sizes}): build a network with "
            f"the same layers first")
    if arch.get("activation") is not None:
        theirs, ours = hidden_activations(arch), network.activation_names
        if theirs != ours:
            raise FileFormatError(
                f"{path}: the file's network uses the {_activations_text(theirs)}, this one "
                f"{_activations_text(ours, named=False)}: choose "
                f"{', '.join(dict.fromkeys(theirs))} first")
    output = arch.get("output")
    if output is not None and output != network.output:
        raise FileFormatError(
            f"{path}: the file's network has a {output} output, this one a {network.output} "
            f"output: they solve different tasks")


def _activations_text(names: list, named: bool = True) -> str:
    """"relu activation" ("relu" unnamed), or "activations relu, tanh (one per hidden
    layer)" ("relu, tanh" unnamed)."""
    if len(set(names)) <= 1:
        name = names[0] if names else "no"
        return f"{name} activation" if named else name
    listed = ", ".join(names)
    return f"activations {listed} (one per hidden layer)" if named else listed


def check_inputs(arch: dict, feature_names, path):
    """FileFormatError unless the file's network takes the same model inputs, in order."""
    names = arch.get("feature_names")
    if names is not None and list(names) != list(feature_names):
        raise FileFormatError(
            f"{path}: the file's network takes the inputs {', '.join(map(str, names))}; this one "
            f"takes {', '.join(feature_names)}: choose the same input features first")


def checked_parameters(weights, biases, network, path) -> tuple[list, list]:
    """Validated copies in the network's dtype of imported weights[l] (n_in, n_out) and
    biases[l] (n_out,): the right number of layers and shapes, real numbers, all finite."""
    if len(weights) != network.n_layers or len(biases) != network.n_layers:
        raise FileFormatError(
            f"{path}: the file holds {len(weights)} weight layers, this network has "
            f"{network.n_layers} (sizes {network.sizes})")
    out_w, out_b = [], []
    for l, (w, b, mine_w, mine_b) in enumerate(zip(weights, biases, network.weights,
                                                   network.biases)):
        out_w.append(_checked_array(w, mine_w, f"layer {l + 1}", "weights", path))
        out_b.append(_checked_array(b, mine_b, f"layer {l + 1}", "biases", path))
    return out_w, out_b


def _checked_array(array, mine, layer, what, path):
    array = np.asarray(array)
    if array.dtype.kind not in "fiu":
        raise FileFormatError(f"{path}: {layer}: the {what} must be real numbers; the file has "
                              f"dtype {array.dtype}")
    if array.shape != mine.shape:
        raise FileFormatError(f"{path}: {layer}: expected {what} of shape {_shape(mine.shape)}, "
                              f"the file has {_shape(array.shape)}")
    with np.errstate(over="ignore", invalid="ignore"):     # overflow shows as inf, refused
        converted = array.astype(mine.dtype)
    if not np.all(np.isfinite(converted)):
        raise FileFormatError(f"{path}: {layer}: the {what} contain NaN or infinite values "
                              f"(or values too large for {mine.dtype})")
    return converted


def _shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def finite_or_none(value):
    """A float for JSON, or None where the value is missing or not finite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
