"""A self-contained Python module: the weights as literal lists and `predict(raw)` in numpy
alone, with the raw -> model-input transforms, giving the engine's outputs.

    import net                       # or: python net.py data.csv > predictions.csv
    net.predict([[0.5, -1.2]])       # raw columns in, probabilities or values out
"""
import json

from ..activations import ACTIVATIONS
from ..losses import loss_of_output
from .architecture import SCHEMA_VERSION, input_operations, output_meaning
from .atomic import write_text_atomic

_EXPRESSIONS = {                        # numpy expression of each feature operation
    "identity": "raw[:, {0}]",
    "square": "raw[:, {0}] ** 2",
    "product": "raw[:, {0}] * raw[:, {1}]",
    "sin": "np.sin(raw[:, {0}])",
}

_TEMPLATE = '''"""NetSim network {sizes} ({activation} hidden activation, {output} output), exported
at training step {step}. Self-contained: needs numpy only.

Input:  raw columns {raw_names}, shape (n, {raw_dim}).
Output: {meaning}, shape (n, {n_out}).

    import {module}
    {module}.predict([[{example}]])

Run as a script to predict for a CSV file of raw columns (a header line is skipped):
    python {module}.py data.csv > predictions.csv
"""
import json
import math
import sys

import numpy as np

SCHEMA_VERSION = {schema_version}
ARCHITECTURE = {architecture}

RAW_NAMES = {raw_names_list}          # the columns predict() takes
FEATURE_NAMES = {feature_names}       # the network's inputs computed from them
CLASS_NAMES = {class_names}
DTYPE = np.{dtype}

FEATURE_MEAN = np.array({feature_mean}, dtype=np.float64)
FEATURE_STD = np.array({feature_std}, dtype=np.float64)

# WEIGHTS[l] has shape (n_in, n_out): z = a @ WEIGHTS[l] + BIASES[l]
WEIGHTS = [
{weights}]
BIASES = [
{biases}]
WEIGHTS = [np.array(w, dtype=DTYPE) for w in WEIGHTS]
BIASES = [np.array(b, dtype=DTYPE) for b in BIASES]


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_erf_elementwise = np.vectorize(math.erf, otypes=[np.float64])


def _erf(z):
    return _erf_elementwise(z).astype(z.dtype, copy=False)


def _activation(z):
    return {activation_expression}


def _output(z):
    return {output_expression}


def inputs(raw):
    """The network's inputs (n, {n_in}) for raw columns (n, {raw_dim}): features, then
    standardisation."""
    raw = np.asarray(raw, dtype=np.float64)
    if raw.ndim == 1:
        raw = raw.reshape(1, -1)
    if raw.ndim != 2 or raw.shape[1] != {raw_dim}:
        raise ValueError("expected raw columns " + ", ".join(RAW_NAMES)
                         + f" as an array of shape (n, {raw_dim}); got shape {{raw.shape}}")
    features = np.column_stack([
{feature_lines}    ])
    return (features - FEATURE_MEAN) / FEATURE_STD


def predict(raw):
    """{meaning_cap}, shape (n, {n_out}), for raw columns (n, {raw_dim})."""
    a = inputs(raw).astype(DTYPE)
    last = len(WEIGHTS) - 1
    for l, (W, b) in enumerate(zip(WEIGHTS, BIASES)):
        z = a @ W + b
        a = _output(z) if l == last else _activation(z)
    return a


def _main(argv):
    if len(argv) != 1:
        print(__doc__)
        return 2
    with open(argv[0], encoding="utf-8-sig") as f:
        rows = [line.split(",") for line in f.read().splitlines() if line.strip()]
    if rows and not _numeric(rows[0]):
        rows = rows[1:]                                     # the header
    raw = np.array([[float(cell) for cell in row] for row in rows], dtype=np.float64)
    outputs = predict(raw.reshape(len(rows), {raw_dim}))
    print(",".join(CLASS_NAMES if len(CLASS_NAMES) == outputs.shape[1] else ["output"]))
    for row in outputs:
        print(",".join(repr(float(v)) for v in row))
    return 0


def _numeric(cells):
    try:
        [float(cell) for cell in cells]
    except ValueError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
'''


def write_python(path, arch: dict, weights, biases, step: int, module: str = "net"):
    write_text_atomic(path, python_source(arch, weights, biases, step, module))


def python_source(arch: dict, weights, biases, step: int, module: str = "net") -> str:
    meaning = output_meaning(arch)
    raw_dim = len(arch["raw_names"])
    feature_lines = "".join(
        f"        {_EXPRESSIONS[op].format(*cols)},   # {name}\n"
        for name, op, cols in input_operations(arch))
    return _TEMPLATE.format(
        sizes=arch["sizes"], activation=arch["activation"], output=arch["output"], step=step,
        raw_names=_doc_text(", ".join(arch["raw_names"])), raw_dim=raw_dim, n_in=arch["sizes"][0],
        n_out=arch["sizes"][-1], meaning=_doc_text(meaning),
        meaning_cap=_doc_text(meaning[0].upper() + meaning[1:]),
        module=module, example=", ".join(["0.0"] * raw_dim), schema_version=SCHEMA_VERSION,
        architecture=_literal(json.dumps(arch)),
        raw_names_list=repr(list(arch["raw_names"])),
        feature_names=repr(list(arch["feature_names"])),
        class_names=repr(list(arch["class_names"])), dtype=arch["dtype"],
        feature_mean=_floats(arch["feature_mean"]), feature_std=_floats(arch["feature_std"]),
        weights="".join(f"    {_matrix(w)},\n" for w in weights),
        biases="".join(f"    {_floats(b.tolist())},\n" for b in biases),
        activation_expression=ACTIVATIONS[arch["activation"]].numpy_source,
        output_expression=loss_of_output(arch["output"]).output_numpy_source,
        feature_lines=feature_lines)


def _literal(text: str) -> str:
    return "json.loads(" + repr(text) + ")"


def _doc_text(text: str) -> str:
    """Text safe inside the generated module's docstring (names come from users' CSV files)."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _floats(values) -> str:
    # repr of a Python float reads back as the same float64 (and float32 values are exact)
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def _matrix(w) -> str:
    return "[" + ", ".join(_floats(row) for row in w.tolist()) + "]"
