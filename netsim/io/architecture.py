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
import reprlib

import numpy as np

from ..activations import ACTIVATIONS
from ..divergence import EXPLODED
from ..errors import FileFormatError
from ..losses import loss_of_output
from .limits import MAX_ARRAY_ELEMENTS, MAX_WEIGHT_LAYERS
from .reading import parse_json

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
    return checked_architecture(parse_json(text, f"{path}: the architecture", FileFormatError),
                                path)


# the optional entries of an architecture, by the kind of value each must be
_TEXTS = ("format", "output", "dtype", "layout", "task", "torch", "torch_input")
_NAME_LISTS = ("raw_names", "transforms", "feature_names", "class_names", "torch_input_names")
_NUMBER_LISTS = ("feature_mean", "feature_std")


def checked_architecture(arch, path) -> dict:
    """`arch` if it is an architecture dictionary whose every entry has the right kind of
    value (a file's architecture is read before its arrays, and steers how they are read)."""
    if not isinstance(arch, dict):
        raise FileFormatError(f"{path}: the architecture must be a JSON object")
    version = arch.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise FileFormatError(f"{path}: the architecture has no schema_version")
    if version > SCHEMA_VERSION:
        raise FileFormatError(f"{path}: written by a newer NetSim (schema_version {version}; "
                              f"this version reads up to {SCHEMA_VERSION}): update NetSim")
    sizes = arch.get("sizes")
    if (not isinstance(sizes, list) or not 2 <= len(sizes) <= MAX_WEIGHT_LAYERS + 1
            or not all(_is_int(s) and 1 <= s <= MAX_ARRAY_ELEMENTS for s in sizes)):
        raise FileFormatError(f"{path}: the architecture's sizes must be a list of 2 to "
                              f"{MAX_WEIGHT_LAYERS + 1} positive whole numbers; "
                              f"got {reprlib.repr(sizes)}")
    activation = arch.get("activation")
    if activation is not None and not isinstance(activation, str) and not (
            isinstance(activation, list) and len(activation) == len(sizes) - 2
            and all(isinstance(name, str) for name in activation)):
        raise FileFormatError(f"{path}: the architecture's activation must be a name, or a "
                              f"list of one name per hidden layer ({len(sizes) - 2})")
    for key in _TEXTS:
        if key in arch and not isinstance(arch[key], str):
            raise FileFormatError(f"{path}: the architecture's {key} must be text; "
                                  f"got {reprlib.repr(arch[key])}")
    for key in _NAME_LISTS:
        if key in arch and not (isinstance(arch[key], list)
                                and all(isinstance(name, str) for name in arch[key])):
            raise FileFormatError(f"{path}: the architecture's {key} must be a list of names; "
                                  f"got {reprlib.repr(arch[key])}")
    for key in _NUMBER_LISTS:
        if key in arch and not (isinstance(arch[key], list) and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in arch[key])):
            raise FileFormatError(f"{path}: the architecture's {key} must be a list of numbers; "
                                  f"got {reprlib.repr(arch[key])}")
    return arch


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
                f"{path}: the file's network uses the {_short(_activations_text(theirs))}, "
                f"this one {_activations_text(ours, named=False)}: choose "
                f"{_short(', '.join(dict.fromkeys(theirs)))} first")
    output = arch.get("output")
    if output is not None and output != network.output:
        raise FileFormatError(
            f"{path}: the file's network has a {_short(output)} output, this one a "
            f"{network.output} output: they solve different tasks")


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
            f"{path}: the file's network takes the inputs {_short(', '.join(names))}; this one "
            f"takes {', '.join(feature_names)}: choose the same input features first")


def _short(text: str) -> str:
    """Text from a file, cut to a length a message can show."""
    return text if len(text) <= 80 else text[:80] + "…"


class Target:
    """The network an imported weight file must fit. A reader checks the file against it
    piece by piece as it learns them, before it reads any array: the architecture the file
    carries, its number of weight layers, then each array's dtype and shape (from a header)."""

    def __init__(self, network, feature_names, path):
        self.network, self.feature_names, self.path = network, tuple(feature_names), path

    def architecture(self, arch: dict):
        check_compatible(arch, self.network, self.path)
        check_inputs(arch, self.feature_names, self.path)

    def layer_count(self, n_layers: int):
        check_layer_count(n_layers, self.network.sizes, self.path)

    def shape(self, l: int, what: str) -> tuple:
        """`what` is "weights" (shape (n_in, n_out), as the engine keeps them) or "biases"."""
        return layer_shapes(self.network.sizes)[l][what == "biases"]

    def header(self, l: int, what: str, dtype, shape):
        check_header(dtype, shape, self.shape(l, what), f"layer {l + 1}", what, self.path)


def check_layer_count(n_layers: int, sizes, path):
    if n_layers != len(sizes) - 1:
        raise FileFormatError(f"{path}: the file holds {n_layers} weight layers, this network "
                              f"has {len(sizes) - 1} (sizes {list(sizes)})")


def check_header(dtype, shape, expected, layer: str, what: str, path):
    """FileFormatError unless an array of `dtype` and `shape` can be `layer`'s `what`."""
    if dtype.kind not in "fiu":
        raise FileFormatError(f"{path}: {layer}: the {what} must be real numbers; the file has "
                              f"dtype {dtype}")
    if tuple(shape) != tuple(expected):
        raise FileFormatError(f"{path}: {layer}: expected {what} of shape {_shape(expected)}, "
                              f"the file has {_shape(shape)}")


def layer_shapes(sizes) -> list[tuple[tuple, tuple]]:
    """[(weights shape (n_in, n_out), biases shape (n_out,))] of each layer of a network of
    `sizes`, in the engine's layout."""
    return [((n_in, n_out), (n_out,)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def checked_parameters(weights, biases, sizes, dtype, path) -> tuple[list, list]:
    """Validated copies in `dtype` of imported weights[l] (n_in, n_out) and biases[l] (n_out,)
    for a network of `sizes`: the right number of layers and shapes, real numbers, all finite."""
    check_layer_count(len(weights), sizes, path)
    check_layer_count(len(biases), sizes, path)
    out_w, out_b = [], []
    for l, (w, b, (w_shape, b_shape)) in enumerate(zip(weights, biases, layer_shapes(sizes))):
        out_w.append(_checked_array(w, w_shape, dtype, f"layer {l + 1}", "weights", path))
        out_b.append(_checked_array(b, b_shape, dtype, f"layer {l + 1}", "biases", path))
    return out_w, out_b


def _checked_array(array, shape, dtype, layer, what, path):
    array = np.asarray(array)
    check_header(array.dtype, array.shape, shape, layer, what, path)
    with np.errstate(over="ignore", invalid="ignore"):     # overflow shows as inf, refused
        converted = array.astype(dtype)
    if not np.all(np.isfinite(converted)):
        raise FileFormatError(f"{path}: {layer}: the {what} contain NaN or infinite values "
                              f"(or values too large for {np.dtype(dtype)})")
    return converted


def check_trainable(weights, path):
    """FileFormatError for weights training would at once call diverged: a matrix whose norm
    reaches divergence.EXPLODED stops every step, with advice (lower the learning rate) that
    cannot help."""
    for l, w in enumerate(weights):
        with np.errstate(over="ignore"):
            square = float(np.sum(np.square(w, dtype=np.float64)))
        if not square < EXPLODED * EXPLODED:
            raise FileFormatError(
                f"{path}: layer {l + 1}: the weights have a norm of {math.sqrt(square):.3g}; "
                f"training takes a weight matrix of norm {EXPLODED:g} or more for a diverged "
                f"run, so these weights cannot be trained on")


def _shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def finite_or_none(value):
    """A float for JSON, or None where the value is missing or not finite."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
