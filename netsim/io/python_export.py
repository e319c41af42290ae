"""A self-contained Python module: the weights as literal lists and `predict(raw)` in numpy
alone, with the raw -> model-input transforms, giving the engine's outputs.

    import net                       # or: python net.py data.csv > predictions.csv
    net.predict([[0.5, -1.2]])       # raw columns in, probabilities or values out

Generated source holds text from the data (column names, class labels) only as Python
literals, so a name cannot break out into code.
"""
import json

from ..activations import ACTIVATIONS
from ..losses import loss_of_output
from .architecture import (SCHEMA_VERSION, hidden_activations, input_operations,
                           output_meaning)
from .atomic import write_text_atomic

_EXPRESSIONS = {                        # numpy expression of each feature operation
    "identity": "raw[:, {0}]",
    "square": "raw[:, {0}] ** 2",
    "product": "raw[:, {0}] * raw[:, {1}]",
    "sin": "np.sin(raw[:, {0}])",
}

_TEMPLATE = '''"""A NetSim network exported at training step {step}: {sizes}, {activation} hidden
activation, {output} output. Self-contained: needs numpy only.

Input:  raw columns, shape (n, {raw_dim}); their names are RAW_NAMES.
Output: shape (n, {n_out}); OUTPUT_MEANING says what it is, OUTPUT_NAMES names each column.

    import {module}
    {module}.predict([[{example}]])

Run as a script to predict for a CSV file:
    python {module}.py data.csv > predictions.csv
A header line naming the columns picks RAW_NAMES out of it (so the file the network was
trained on, target column and all, is read as it is); without a header, the file must have
exactly the raw columns, in order.
"""
import csv
import json
import math
import sys

import numpy as np

# Every name below came from the data (a CSV's header, its class labels): each is written
# as a Python literal, never as source text.
SCHEMA_VERSION = {schema_version}
ARCHITECTURE = {architecture}

# the columns predict() takes, and the network's inputs computed from them
RAW_NAMES = {raw_names_list}
FEATURE_NAMES = {feature_names}
CLASS_NAMES = {class_names}
OUTPUT_MEANING = {meaning}
OUTPUT_NAMES = {output_names}
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


# the activation of each hidden layer, in order
_ACTIVATIONS = [
{activation_lines}]


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
    features = np.column_stack([    # one column per name of FEATURE_NAMES, in order
{feature_lines}    ])
    return (features - FEATURE_MEAN) / FEATURE_STD


def predict(raw):
    """The network's outputs (OUTPUT_MEANING), shape (n, {n_out}), for raw columns (n, {raw_dim})."""
    a = inputs(raw).astype(DTYPE)
    last = len(WEIGHTS) - 1
    for l, (W, b) in enumerate(zip(WEIGHTS, BIASES)):
        z = a @ W + b
        a = _output(z) if l == last else _ACTIVATIONS[l](z)
    return a


def read_csv(path):
    """The raw columns (n, {raw_dim}) of a CSV file: picked by name when a header names them
    (other columns, such as the target, are left out), else the file's columns as they are."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.reader(f) if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError(f"{{path}} holds no rows")
    header = [cell.strip() for cell in rows[0]]
    if not _numeric(header):
        missing = [name for name in RAW_NAMES if name not in header]
        if missing:
            raise ValueError(f"{{path}}: the header has no column " + ", ".join(map(repr, missing))
                             + "; the network reads " + ", ".join(map(repr, RAW_NAMES)))
        columns = [header.index(name) for name in RAW_NAMES]
        rows = [[row[k] for k in columns] for row in rows[1:]]
    elif len(header) != {raw_dim}:
        raise ValueError(f"{{path}} has {{len(header)}} columns and no header; the network reads "
                         f"{raw_dim}: " + ", ".join(map(repr, RAW_NAMES))
                         + " (add a header line naming the columns)")
    try:
        return np.array([[float(cell) for cell in row] for row in rows], dtype=np.float64)
    except ValueError as error:
        raise ValueError(f"{{path}}: every value of the raw columns must be a number ({{error}})")


def _main(argv):
    if len(argv) != 1:
        print(__doc__)
        return 2
    try:
        raw = read_csv(argv[0])
    except (OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    outputs = predict(raw.reshape(len(raw), {raw_dim}))
    csv.writer(sys.stdout, lineterminator="\\n").writerow(OUTPUT_NAMES)
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
    """The module's source. Text from the data reaches it only as literals (repr), so no
    name or label can end a string or a line of the generated code."""
    if not module.isidentifier() or not module.isascii():
        module = "net"
    raw_dim = len(arch["raw_names"])
    feature_lines = "".join(f"        {_EXPRESSIONS[op].format(*cols)},\n"
                            for _name, op, cols in input_operations(arch))
    return _TEMPLATE.format(
        sizes=_plain(arch["sizes"]), activation=_plain(", ".join(hidden_activations(arch))),
        output=_plain(arch["output"]), step=int(step), raw_dim=raw_dim,
        n_in=int(arch["sizes"][0]), n_out=int(arch["sizes"][-1]), module=module,
        example=", ".join(["0.0"] * raw_dim), schema_version=int(SCHEMA_VERSION),
        architecture=_literal(json.dumps(arch)),
        raw_names_list=repr([str(n) for n in arch["raw_names"]]),
        feature_names=repr([str(n) for n in arch["feature_names"]]),
        class_names=repr([str(n) for n in arch["class_names"]]),
        meaning=repr(output_meaning(arch)), output_names=repr(output_names(arch)),
        dtype=_plain(arch["dtype"]),
        feature_mean=_floats(arch["feature_mean"]), feature_std=_floats(arch["feature_std"]),
        weights="".join(f"    {_matrix(w)},\n" for w in weights),
        biases="".join(f"    {_floats(b.tolist())},\n" for b in biases),
        activation_lines="".join(f"    lambda z: {ACTIVATIONS[name].numpy_source},\n"
                                 for name in hidden_activations(arch)),
        output_expression=loss_of_output(arch["output"]).output_numpy_source,
        feature_lines=feature_lines)


def output_names(arch: dict) -> list[str]:
    """A name per output column: the class names, P(positive class) for a binary output,
    "output" for regression."""
    names = [str(n) for n in arch["class_names"]]
    if arch["output"] == "softmax":
        return names
    if arch["output"] == "sigmoid":
        return [f"P({names[-1] if names else 1})"]
    return ["output"] * int(arch["sizes"][-1])


def _plain(value) -> str:
    """Text of the program's own (sizes, registry names) for the docstring: checked to be
    plain words, never text from a file."""
    text = str(value)
    if not all(c.isalnum() or c in " _,[]().-" for c in text):
        raise ValueError(f"unexpected characters in {text!r}")
    return text


def _literal(text: str) -> str:
    return "json.loads(" + repr(text) + ")"


def _floats(values) -> str:
    # repr of a Python float reads back as the same float64 (and float32 values are exact)
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def _matrix(w) -> str:
    return "[" + ", ".join(_floats(row) for row in w.tolist()) + "]"
