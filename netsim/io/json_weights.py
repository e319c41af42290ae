"""Weights as JSON a person can read: the architecture, every layer's weights as nested lists
(engine layout: weights[i][j] is the edge from neuron i to neuron j of the next layer) and
biases, and a summary of the training that produced them.

    {"format": "netsim-weights", "schema_version": 1,
     "architecture": {...},
     "layers": [{"layer": 1, "inputs": 2, "outputs": 4, "computes": "a = tanh(z) with ...",
                 "activation": "tanh",
                 "weights": [[...], ...], "biases": [...]}, ...],
     "training": {"step": ..., "epoch": ..., "metrics": {...}, "curves": {...}, "config": {...}}}
"""
import json

import numpy as np

from ..activations import ACTIVATIONS
from ..errors import FileFormatError
from ..losses import loss_of_output
from .architecture import (FORMAT, SCHEMA_VERSION, checked_architecture, finite_or_none,
                           hidden_activations)
from .atomic import write_text_atomic
from .limits import MAX_JSON_WEIGHTS_BYTES
from .reading import read_json_file

CURVES = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
"""The per-epoch series summarised in "training"; every series goes to the history CSV."""


def write_json(path, arch: dict, weights, biases, training: dict):
    n_layers = len(weights)
    layers = []
    for l, (w, b) in enumerate(zip(weights, biases)):
        last = l == n_layers - 1
        activation = arch["output"] if last else hidden_activations(arch)[l]
        formula = (loss_of_output(activation).output_formula if last
                   else ACTIVATIONS[activation].formula)
        layers.append({
            "layer": l + 1,
            "inputs": int(w.shape[0]),
            "outputs": int(w.shape[1]),
            "computes": f"a = {formula} with z = inputs @ weights + biases",
            "activation": activation,
            "weights": w.tolist(),
            "biases": b.tolist(),
        })
    document = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "architecture": arch,
                "layers": layers, "training": training}
    write_text_atomic(path, json.dumps(document, indent=1, allow_nan=False) + "\n")


def training_summary(trainer) -> dict:
    """Where the run stands: counters, current metrics, the epoch curves and the config."""
    m = trainer.metrics
    curves = {}
    for name in CURVES:
        if name in trainer.history:
            steps, values = trainer.history[name].data()
            curves[name] = [[int(s), finite_or_none(v)] for s, v in zip(steps, values)]
    return {
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        "examples_seen": trainer.examples_seen,
        "metrics": {name: finite_or_none(getattr(m, name)) for name in
                    ("train_loss", "train_data_loss", "penalty", "test_loss",
                     "train_accuracy", "test_accuracy")},
        "curves": curves,
        "config": trainer.config.to_dict(),
    }


def read_json(path, target) -> tuple[dict, list, list]:
    """(architecture, weights, biases) from a JSON weight file that fits `target`
    (architecture.Target), or FileFormatError."""
    try:
        document = read_json_file(path, "JSON weight file", MAX_JSON_WEIGHTS_BYTES,
                                  FileFormatError)
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileFormatError(f"{path}: not a NetSim weight file (no \"format\": \"{FORMAT}\")")
    arch = checked_architecture(document.get("architecture"), path)
    target.architecture(arch)
    layers = document.get("layers")
    if not isinstance(layers, list) or not all(isinstance(layer, dict) for layer in layers):
        raise FileFormatError(f"{path}: \"layers\" must be a list of objects")
    target.layer_count(len(layers))
    weights = [_numbers(layer.get("weights"), 2, f"layer {k + 1} weights", path)
               for k, layer in enumerate(layers)]
    biases = [_numbers(layer.get("biases"), 1, f"layer {k + 1} biases", path)
              for k, layer in enumerate(layers)]
    return arch, weights, biases


def _numbers(value, ndim, what, path) -> np.ndarray:
    """A matrix (ndim 2) or list (ndim 1) of JSON numbers as an array. Checked element by
    element: numpy would read true as 1.0 and "2" as a string."""
    rows = value if ndim == 2 else [value]
    if not (isinstance(value, list) and value and all(
            isinstance(row, list) and row and len(row) == len(rows[0]) and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) for x in row)
            for row in rows)):
        raise FileFormatError(f"{path}: {what} must be a {'matrix' if ndim == 2 else 'list'} "
                              f"of numbers")
    array = np.array(value)
    if array.dtype.kind not in "fiu":          # integers beyond 64 bits come as objects
        raise FileFormatError(f"{path}: {what} hold numbers too large for a weight")
    return array
