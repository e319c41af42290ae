"""ONNX export: one graph from RAW features to the network's outputs, float32.

    input  "input"  (batch, raw_dim) float32: the raw columns (x1, x2 or the CSV's columns)
    output "output" (batch, n_outputs) float32: probabilities (Sigmoid or Softmax) for
                    classification, values for regression

The feature transforms (x1², x1·x2, sin ...) and the standardisation are nodes of the graph
(Slice, Mul, Sin, Concat, Sub, Div), so a consumer feeds the same raw values a person sees.
Opset 17 with IR version 8 set explicitly: onnx >= 1.23 stamps a newer IR version that
onnxruntime before 1.32 refuses, while opset 17 / IR 8 loads in onnxruntime 1.17 and later.
Each activation adds its own nodes (netsim/activations.py, `onnx`): GELU is built from Erf
(the native Gelu operator needs opset 20), SiLU is x * Sigmoid(x).
The architecture JSON is in the model's metadata_props.

float32 because ONNX consumers expect it and onnxruntime's CPU kernels for Erf, Elu,
Softplus and LeakyRelu exist for float only.
"""
import numpy as np

from ..activations import ACTIVATIONS
from ..errors import FileFormatError
from ..losses import loss_of_output
from .architecture import (SCHEMA_VERSION, dumps, hidden_activations, input_operations,
                           output_meaning)
from .atomic import write_bytes_atomic

OPSET = 17
IR_VERSION = 8
MISSING = "ONNX export needs the 'onnx' package: pip install 'netsim[export]' (or pip install onnx)"


def write_onnx(path, arch: dict, weights, biases):
    model = build_model(arch, weights, biases)
    write_bytes_atomic(path, model.SerializeToString())


def build_model(arch: dict, weights, biases):
    """A checked onnx.ModelProto for this network and its preprocessing."""
    try:
        import onnx
        from onnx import TensorProto, helper
    except ImportError:
        raise FileFormatError(MISSING) from None
    graph = _GraphBuilder(helper, onnx.numpy_helper)
    x = graph.preprocessing(arch)
    n_layers = len(weights)
    activations = hidden_activations(arch)
    for l, (w, b) in enumerate(zip(weights, biases)):
        x = graph.node("Gemm", [x, graph.constant(f"W{l}", w), graph.constant(f"b{l}", b)],
                       f"layer{l + 1}_z")
        if l < n_layers - 1:
            x = ACTIVATIONS[activations[l]].onnx(graph, x, f"layer{l + 1}")
    output = loss_of_output(arch["output"])
    graph.node(output.output_onnx_op, [x], "output", **output.output_onnx_attributes)

    raw_dim = len(arch["raw_names"])
    n_out = arch["sizes"][-1]
    onnx_graph = helper.make_graph(
        graph.nodes, "netsim_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", raw_dim])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", n_out])],
        initializer=graph.initializers)
    model = helper.make_model(
        onnx_graph, producer_name="NetSim", opset_imports=[helper.make_opsetid("", OPSET)],
        doc_string=_doc(arch))
    model.ir_version = IR_VERSION
    helper.set_model_props(model, {"architecture": dumps(arch),
                                   "schema_version": str(SCHEMA_VERSION),
                                   "inputs": ", ".join(arch["raw_names"]),
                                   "outputs": ", ".join(arch["class_names"]) or "value"})
    onnx.checker.check_model(model, full_check=True)
    return model


def _doc(arch) -> str:
    return (f"NetSim multilayer perceptron {arch['sizes']} ({arch['activation']}). Input: raw "
            f"columns {', '.join(arch['raw_names'])}; output: {output_meaning(arch)}.")


class _GraphBuilder:
    """Collects nodes and initializers with unique names."""

    def __init__(self, helper, numpy_helper):
        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.initializers = [], []
        self._names: set[str] = set()
        self._scalars: dict[str, str] = {}

    def _unique(self, name: str) -> str:
        candidate, k = name, 1
        while candidate in self._names:
            k += 1
            candidate = f"{name}_{k}"
        self._names.add(candidate)
        return candidate

    def constant(self, name, array) -> str:
        """An initializer; floating arrays become float32, integer ones stay as they are."""
        array = np.asarray(array)
        if array.dtype.kind == "f":
            array = array.astype(np.float32)
        name = self._unique(name)
        self.initializers.append(self.numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def scalar(self, name, value: float) -> str:
        """A float32 scalar initializer, shared by every node that uses it."""
        if name not in self._scalars:
            self._scalars[name] = self.constant(name, np.array(value))
        return self._scalars[name]

    def node(self, op, inputs, output, **attributes) -> str:
        output = output if output in ("output",) else self._unique(output)
        self.nodes.append(self.helper.make_node(op, inputs, [output],
                                                name=self._unique(f"{op}_{output}"), **attributes))
        return output

    def preprocessing(self, arch) -> str:
        """Model inputs (batch, n_inputs) from the raw "input" (batch, raw_dim)."""
        self._names.add("input")
        operations = input_operations(arch)
        if all(op == "identity" for _, op, _ in operations) and \
                [cols[0] for _, _, cols in operations] == list(range(len(arch["raw_names"]))):
            features = "input"
        else:
            columns = {}
            parts = [self._feature(op, cols, columns) for _, op, cols in operations]
            features = parts[0] if len(parts) == 1 else self.node("Concat", parts, "features",
                                                                  axis=1)
        mean = np.asarray(arch["feature_mean"], dtype=np.float64)
        std = np.asarray(arch["feature_std"], dtype=np.float64)
        if np.any(mean != 0.0):
            features = self.node("Sub", [features, self.constant("feature_mean", mean)],
                                 "centred")
        if np.any(std != 1.0):
            features = self.node("Div", [features, self.constant("feature_std", std)],
                                 "standardised")
        return features

    def _column(self, k, columns) -> str:
        if k not in columns:
            starts = self.constant(f"col{k}_start", np.array([k], dtype=np.int64))
            ends = self.constant(f"col{k}_end", np.array([k + 1], dtype=np.int64))
            axes = self.constant(f"col{k}_axis", np.array([1], dtype=np.int64))
            columns[k] = self.node("Slice", ["input", starts, ends, axes], f"raw{k}")
        return columns[k]

    def _feature(self, op, cols, columns) -> str:
        c = [self._column(k, columns) for k in cols]
        if op == "identity":
            return c[0]
        if op == "square":
            return self.node("Mul", [c[0], c[0]], f"square{cols[0]}")
        if op == "product":
            return self.node("Mul", [c[0], c[1]], f"product{cols[0]}_{cols[1]}")
        if op == "sin":
            return self.node("Sin", [c[0]], f"sin{cols[0]}")
        raise FileFormatError(f"the feature operation {op!r} has no ONNX form")
