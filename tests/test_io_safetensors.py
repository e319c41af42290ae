"""The .safetensors export is what torch.nn.Sequential(Linear, act, Linear, ...) loads
strictly: keys, (out, in) shapes, dtype as trained, contiguous data, and the same function."""
import json

import numpy as np
import pytest

safetensors_numpy = pytest.importorskip("safetensors.numpy")
from safetensors import safe_open  # noqa: E402

from netsim import ACTIVATIONS  # noqa: E402
from netsim.activations import sigmoid  # noqa: E402
from netsim import Trainer  # noqa: E402
from netsim.datasets.features import apply_features  # noqa: E402
from netsim.io import export_weights, import_weights  # noqa: E402
from netsim.io.safetensors_io import fold_first_layer  # noqa: E402
from netsim.losses import softmax  # noqa: E402

from io_helpers import CASES, engine_outputs, raw_points, trained  # noqa: E402

# torch.nn's definitions, written out in numpy (not the engine's code)
TORCH_MODULES = {
    "Identity()": lambda x: x,
    "ReLU()": lambda x: np.maximum(x, 0),
    "LeakyReLU(0.01)": lambda x: np.where(x >= 0, x, 0.01 * x),
    "ELU(alpha=1.0)": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    "Sigmoid()": lambda x: 1 / (1 + np.exp(-x)),
    "Tanh()": np.tanh,
    "Softplus()": lambda x: np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0),
    "GELU()": lambda x: x * 0.5 * (1 + np.vectorize(__import__("math").erf)(x / np.sqrt(2))),
    "SiLU()": lambda x: x / (1 + np.exp(-x)),
    "Softmax(dim=1)": lambda x: np.exp(x - x.max(1, keepdims=True))
    / np.exp(x - x.max(1, keepdims=True)).sum(1, keepdims=True),
}


def sequential_from_file(path):
    """Run the file as torch would: the Sequential's modules parsed from the metadata, every
    Linear computing x @ weight.T + bias from the file's tensors alone."""
    with safe_open(str(path), framework="numpy") as f:
        metadata = f.metadata()
        tensors = {key: f.get_tensor(key) for key in f.keys()}
    source = json.loads(metadata["architecture"])["torch"]
    modules = [m.strip() for m in source[len("nn.Sequential("):-1].replace("nn.", "|").split("|")
               if m.strip(" ,")]
    modules = [m.rstrip(", ") for m in modules]

    def forward(x):
        for index, module in enumerate(modules):
            if module.startswith("Linear("):
                x = x @ tensors[f"{index}.weight"].T + tensors[f"{index}.bias"]
            else:
                x = TORCH_MODULES[module](x)
        return x
    return forward, modules, tensors


def test_keys_shapes_dtype_and_contiguity_follow_torch_sequential(tmp_path):
    trainer = trained(**CASES["multiclass_iris"], layers=[6, 5, 3])
    path = export_weights(trainer, tmp_path / "net.safetensors")
    with safe_open(str(path), framework="numpy") as f:
        keys = set(f.keys())
        metadata = f.metadata()
        tensors = {key: f.get_tensor(key) for key in keys}
    assert keys == {"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
                    "6.weight", "6.bias"}
    arch = json.loads(metadata["architecture"])
    for l, (w, b) in enumerate(zip(trainer.network.weights, trainer.network.biases)):
        weight, bias = tensors[f"{2 * l}.weight"], tensors[f"{2 * l}.bias"]
        if l == 0:                        # the standardisation folded in (test below)
            w, b = fold_first_layer(arch, w, b)
        assert weight.shape == (w.shape[1], w.shape[0]) and bias.shape == b.shape
        assert weight.dtype == np.float64 and weight.flags.c_contiguous
        np.testing.assert_array_equal(weight, w.T)      # not scrambled by the transpose
        np.testing.assert_array_equal(bias, b)
    assert metadata["schema_version"] == "1" and metadata["format"] == "pt"
    assert json.loads(metadata["architecture"])["sizes"] == [4, 6, 5, 3, 3]


def test_float32_run_is_saved_as_float32(tmp_path):
    trainer = trained(dtype="float32")
    path = export_weights(trainer, tmp_path / "net.safetensors")
    tensors = safetensors_numpy.load_file(str(path))
    assert {t.dtype for t in tensors.values()} == {np.dtype(np.float32)}


def test_torch_source_in_metadata_numbers_linears_at_even_indices(tmp_path):
    trainer = trained(dataset="circle", layers=[4, 2], activation="linear")
    path = export_weights(trainer, tmp_path / "net.safetensors")
    _, modules, _ = sequential_from_file(path)
    assert modules == ["Linear(2, 4)", "Identity()", "Linear(4, 2)", "Identity()",
                       "Linear(2, 1)", "Sigmoid()"]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("case", ["binary_all_features", "multiclass_blobs", "regression_plane"])
def test_torch_semantics_from_the_file_alone_give_the_engines_outputs(tmp_path, activation, case):
    trainer = trained(**CASES[case], activation=activation)
    path = export_weights(trainer, tmp_path / "net.safetensors")
    forward, _, _ = sequential_from_file(path)
    raw = raw_points(trainer)
    np.testing.assert_allclose(forward(torch_inputs(path, raw)), engine_outputs(trainer, raw),
                               rtol=1e-10, atol=1e-12)


def torch_inputs(path, raw):
    """What a torch user feeds the model: the raw columns, or the features the architecture's
    transforms name, computed from them (never standardised: that is in the first layer)."""
    with safe_open(str(path), framework="numpy") as f:
        arch = json.loads(f.metadata()["architecture"])
    if arch["torch_input"] == "raw":
        return raw
    return apply_features(tuple(arch["transforms"]), raw)


@pytest.mark.parametrize("case", ["multiclass_iris", "binary_standardised", "regression_wave"])
def test_a_torch_model_fed_raw_rows_gives_the_apps_predictions(tmp_path, case):
    trainer = trained(**CASES[case])
    assert np.any(trainer.dataset.feature_std != 1.0) or case == "regression_wave"
    path = export_weights(trainer, tmp_path / "net.safetensors")
    forward, modules, _ = sequential_from_file(path)
    raw = raw_points(trainer)
    with safe_open(str(path), framework="numpy") as f:
        arch = json.loads(f.metadata()["architecture"])
    if arch["torch_input"] == "raw":
        assert modules[0] == f"Linear({raw.shape[1]}, {trainer.network.sizes[1]})"
        assert arch["torch_input_names"] == list(trainer.dataset.raw_names)
    np.testing.assert_allclose(forward(torch_inputs(path, raw)), engine_outputs(trainer, raw),
                               rtol=1e-10, atol=1e-12)


def test_a_network_using_some_raw_columns_reads_them_all_from_torch(tmp_path):
    trainer = trained(dataset="circle", features=("x2",))         # x1 unused
    path = export_weights(trainer, tmp_path / "net.safetensors")
    forward, modules, tensors = sequential_from_file(path)
    assert modules[0] == "Linear(2, 5)" and not tensors["0.weight"][:, 0].any()
    raw = raw_points(trainer)
    np.testing.assert_allclose(forward(raw), engine_outputs(trainer, raw), rtol=1e-10)


def test_reading_a_folded_file_back_gives_the_engines_weights(tmp_path):
    trainer = trained(**CASES["multiclass_iris"])
    path = export_weights(trainer, tmp_path / "net.safetensors")
    fresh = Trainer(trainer.config.replace(seed=5))
    import_weights(fresh, path)
    for got, want in zip(fresh.network.parameters, trainer.network.parameters):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def test_the_engine_helpers_match_torchs_definitions():
    # guards the test above against comparing the engine with itself
    z = np.linspace(-8, 8, 101)[:, None]
    np.testing.assert_allclose(TORCH_MODULES["Sigmoid()"](z), sigmoid(z), rtol=1e-12)
    np.testing.assert_allclose(TORCH_MODULES["Softmax(dim=1)"](np.hstack([z, -z])),
                               softmax(np.hstack([z, -z])), rtol=1e-12)


def test_metadata_describes_the_tensors_as_stored(tmp_path):
    trainer = trained()
    path = export_weights(trainer, tmp_path / "net.safetensors")
    with safe_open(str(path), "np") as f:
        layout = json.loads(f.metadata()["architecture"])["layout"]
        weight = f.get_tensor("0.weight")
    assert "(n_out, n_in)" in layout
    assert weight.shape == trainer.network.weights[0].T.shape
