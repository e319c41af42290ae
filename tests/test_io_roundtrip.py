"""Export, import into a fresh run of the same architecture, same outputs; the suffix picks
the format; the architecture travels with the weights."""
import json

import numpy as np
import pytest

from netsim import ACTIVATIONS, FileFormatError, Trainer
from netsim.io import IMPORT_FORMATS, export_weights, import_weights

from io_helpers import CASES, engine_outputs, raw_points, trained


@pytest.mark.parametrize("suffix", list(IMPORT_FORMATS))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_export_then_import_into_a_fresh_run_gives_the_same_outputs(tmp_path, suffix, dtype):
    source = trained(dataset="circle", features=("x1", "x2", "x1^2"), dtype=dtype)
    path = export_weights(source, tmp_path / f"net{suffix}")
    target = Trainer(source.config.replace(seed=7))
    assert not np.array_equal(target.network.weights[0], source.network.weights[0])
    import_weights(target, path)
    for got, want in zip(target.network.parameters, source.network.parameters, strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    raw = raw_points(source)
    np.testing.assert_array_equal(engine_outputs(target, raw), engine_outputs(source, raw))


def test_import_re_evaluates_the_metrics(tmp_path):
    source = trained(dataset="circle", steps=200)
    path = export_weights(source, tmp_path / "net.npz")
    target = Trainer(source.config.replace(seed=3))
    import_weights(target, path)
    assert target.metrics == source.evaluate()


@pytest.mark.parametrize("name", ["net.txt", "net", "net.NPZ.bak"])
def test_unknown_suffix_is_refused_with_the_accepted_ones(tmp_path, name):
    trainer = trained()
    with pytest.raises(FileFormatError, match=r"\.npz, \.json, \.safetensors, \.onnx, \.py"):
        export_weights(trainer, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_suffix_is_matched_case_insensitively(tmp_path):
    trainer = trained()
    path = export_weights(trainer, tmp_path / "NET.NPZ")
    assert np.load(path, allow_pickle=False)["W0"].shape == trainer.network.weights[0].shape


def test_npz_holds_engine_layout_arrays_and_the_architecture_json(tmp_path):
    trainer = trained(**CASES["multiclass_iris"])
    path = export_weights(trainer, tmp_path / "net.npz")
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == ["W0", "W1", "W2", "architecture", "b0", "b1", "b2"]
        for l, (w, b) in enumerate(zip(trainer.network.weights, trainer.network.biases)):
            np.testing.assert_array_equal(data[f"W{l}"], w)
            np.testing.assert_array_equal(data[f"b{l}"], b)
        arch = json.loads(str(data["architecture"]))
    ds = trainer.dataset
    assert arch["schema_version"] == 1
    assert arch["sizes"] == [4, 5, 3, 3]
    assert (arch["activation"], arch["output"], arch["task"]) == ("tanh", "softmax", "multiclass")
    assert arch["feature_names"] == list(ds.feature_names)
    assert arch["class_names"] == list(ds.class_names)
    np.testing.assert_array_equal(arch["feature_mean"], ds.feature_mean)
    np.testing.assert_array_equal(arch["feature_std"], ds.feature_std)


def test_json_is_readable_with_layers_and_training_summary(tmp_path):
    trainer = trained(dataset="circle", features=("x1", "x2", "x1*x2"), steps=60)
    path = export_weights(trainer, tmp_path / "net.json")
    text = path.read_text(encoding="utf-8")
    assert "\n" in text and "NaN" not in text
    doc = json.loads(text)
    assert doc["schema_version"] == 1 and doc["format"] == "netsim-weights"
    assert doc["architecture"]["transforms"] == ["x1", "x2", "x1*x2"]
    assert [layer["activation"] for layer in doc["layers"]] == ["tanh", "tanh", "sigmoid"]
    np.testing.assert_array_equal(doc["layers"][1]["weights"], trainer.network.weights[1])
    training = doc["training"]
    assert training["step"] == 60 and training["epoch"] == 2
    assert training["config"] == trainer.config.to_dict()
    assert training["metrics"]["test_accuracy"] == trainer.metrics.test_accuracy
    assert [s for s, _ in training["curves"]["test_loss"]] == [0, 25, 50]      # every epoch
    assert [s for s, _ in training["curves"]["train_loss"]] == [0, 25, 50]     # early epochs: all


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_json_says_what_every_activation_computes(tmp_path, activation):
    path = export_weights(trained(activation=activation), tmp_path / "net.json")
    layers = json.loads(path.read_text())["layers"]
    assert layers[0]["activation"] == activation
    computes = layers[0]["computes"]
    assert computes.startswith("a = ") and "z = inputs @ weights + biases" in computes


@pytest.mark.parametrize("suffix", [".npz", ".json", ".safetensors", ".onnx", ".py"])
def test_network_without_hidden_layers_exports_to_every_format(tmp_path, suffix):
    trainer = trained(dataset="circle", layers=[], features=("x1^2", "x2^2"))
    path = export_weights(trainer, tmp_path / f"linear{suffix}")
    assert path.stat().st_size > 0
    if suffix in IMPORT_FORMATS:
        fresh = Trainer(trainer.config.replace(seed=4))
        import_weights(fresh, path)
        np.testing.assert_array_equal(fresh.network.weights[0], trainer.network.weights[0])
