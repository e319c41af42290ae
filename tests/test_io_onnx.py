"""The .onnx export takes RAW features (transforms and standardisation are in the graph) and
gives the engine's outputs in onnxruntime, for every activation and task."""
import json

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from netsim import ACTIVATIONS  # noqa: E402
from netsim.io import export_weights  # noqa: E402
from netsim.io.architecture import FEATURE_OPERATIONS  # noqa: E402

from io_helpers import CASES, engine_outputs, raw_points, trained  # noqa: E402


def run(path, raw):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"input": raw.astype(np.float32)})[0]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("case", list(CASES))
def test_onnxruntime_on_raw_inputs_matches_the_engine(tmp_path, activation, case):
    trainer = trained(**CASES[case], activation=activation)
    path = export_weights(trainer, tmp_path / "net.onnx")
    raw = raw_points(trainer)
    np.testing.assert_allclose(run(path, raw), engine_outputs(trainer, raw),
                               rtol=1e-4, atol=1e-5)


def test_model_is_opset_17_ir_8_and_passes_the_full_check(tmp_path):
    path = export_weights(trained(activation="gelu"), tmp_path / "net.onnx")
    model = onnx.load(str(path))
    assert model.ir_version == 8
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]
    onnx.checker.check_model(model, full_check=True)
    ops = {node.op_type for node in model.graph.node}
    assert "Erf" in ops and "Gelu" not in ops


def test_input_and_output_have_a_dynamic_batch_dimension(tmp_path):
    trainer = trained(**CASES["multiclass_blobs"])
    path = export_weights(trainer, tmp_path / "net.onnx")
    graph = onnx.load(str(path)).graph
    (inp,), (out,) = graph.input, graph.output
    assert inp.name == "input" and out.name == "output"
    in_dims = inp.type.tensor_type.shape.dim
    out_dims = out.type.tensor_type.shape.dim
    assert in_dims[0].dim_param and out_dims[0].dim_param
    assert in_dims[1].dim_value == 2 and out_dims[1].dim_value == 4
    for n in (1, 3, 257):
        assert run(path, raw_points(trainer, n=n)).shape == (n, 4)


def test_feature_transforms_and_standardisation_are_nodes_of_the_graph(tmp_path):
    trainer = trained(**CASES["binary_all_features"], standardize=True)
    path = export_weights(trainer, tmp_path / "net.onnx")
    ops = [node.op_type for node in onnx.load(str(path)).graph.node]
    for op in ("Mul", "Sin", "Concat", "Sub", "Div"):
        assert op in ops
    assert ops[-1] == "Sigmoid"


@pytest.mark.parametrize("activation, op", [("leaky_relu", "LeakyRelu"), ("elu", "Elu"),
                                            ("softplus", "Softplus"), ("relu", "Relu")])
def test_activations_use_their_native_operators(tmp_path, activation, op):
    path = export_weights(trained(activation=activation), tmp_path / "net.onnx")
    nodes = [n for n in onnx.load(str(path)).graph.node if n.op_type == op]
    assert len(nodes) == 2
    if op == "LeakyRelu":
        assert nodes[0].attribute[0].f == pytest.approx(0.01)


def test_silu_is_x_times_sigmoid_x(tmp_path):
    path = export_weights(trained(activation="silu", layers=[3]), tmp_path / "net.onnx")
    ops = [n.op_type for n in onnx.load(str(path)).graph.node]
    assert ops == ["Gemm", "Sigmoid", "Mul", "Gemm", "Sigmoid"]


def test_metadata_carries_the_architecture_and_schema_version(tmp_path):
    trainer = trained(**CASES["multiclass_iris"])
    path = export_weights(trainer, tmp_path / "net.onnx")
    props = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert props["schema_version"] == "1"
    assert json.loads(props["architecture"])["class_names"] == list(trainer.dataset.class_names)
    assert props["inputs"] == ", ".join(trainer.dataset.raw_names)


def test_every_feature_has_an_operation_matching_the_engine():
    from netsim.datasets import FEATURES
    assert set(FEATURE_OPERATIONS) == set(FEATURES)
    raw = np.random.default_rng(0).normal(size=(20, 2)) * 3
    expressions = {"identity": lambda c: c[0], "square": lambda c: c[0] ** 2,
                   "product": lambda c: c[0] * c[1], "sin": lambda c: np.sin(c[0])}
    for name, (op, columns) in FEATURE_OPERATIONS.items():
        got = expressions[op]([raw[:, k] for k in columns])
        np.testing.assert_array_equal(got, FEATURES[name].fn(raw))


def test_network_without_hidden_layers_matches_the_engine(tmp_path):
    trainer = trained(dataset="circle", layers=[], features=("x1^2", "x2^2"), steps=40)
    path = export_weights(trainer, tmp_path / "linear.onnx")
    raw = raw_points(trainer)
    np.testing.assert_allclose(run(path, raw), engine_outputs(trainer, raw), rtol=1e-4, atol=1e-5)
