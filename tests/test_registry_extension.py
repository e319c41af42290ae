"""Adding an activation is one registry entry: with nothing else changed, the new entry is
accepted by Config, trains with correct gradients, and exports to every format with outputs
equal to the engine's, the readable formats reading back (the panel: tests/ui)."""
import importlib.util

import numpy as np
import pytest

from netsim import Config, Trainer
from netsim.io import EXPORT_FORMATS, export_weights, import_weights
from netsim.network import Network

from extension_helpers import softsign_registered
from io_helpers import engine_outputs, raw_points, trained
from test_gradients import assert_close, numeric_gradient


@pytest.fixture
def softsign():
    with softsign_registered() as activation:
        yield activation


def test_a_new_activation_trains_with_the_gradients_of_its_definition(softsign):
    net = Network([3, 4, 2], activation="softsign", output="linear", seed=3)
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))

    def loss():
        return net.loss_and_gradients(X, Y)[0]

    _, _, dW, db = net.loss_and_gradients(X, Y)
    for l in range(net.n_layers):
        assert_close(dW[l], numeric_gradient(loss, net.weights[l]))
        assert_close(db[l], numeric_gradient(loss, net.biases[l]))
    trainer = Trainer(Config(dataset="circle", layers=(6,), activation="softsign",
                             learning_rate=0.3))
    before = trainer.evaluate().train_loss
    trainer.step(300)
    assert trainer.evaluate().train_loss < 0.8 * before


@pytest.mark.parametrize("suffix", list(EXPORT_FORMATS))
def test_a_new_activation_exports_to_every_format_with_the_engines_outputs(
        softsign, tmp_path, suffix):
    trainer = trained(dataset="circle", features=("x1", "x2", "x1^2"), activation="softsign")
    path = export_weights(trainer, tmp_path / f"net{suffix}")
    raw = raw_points(trainer)
    expected = engine_outputs(trainer, raw)
    if suffix == ".onnx":
        ort = pytest.importorskip("onnxruntime")
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        got = session.run(None, {"input": raw.astype(np.float32)})[0]
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    elif suffix == ".py":
        spec = importlib.util.spec_from_file_location("softsign_net", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        np.testing.assert_allclose(module.predict(raw), expected, rtol=1e-12)
    if EXPORT_FORMATS[suffix].reader is not None:
        fresh = Trainer(trainer.config)
        import_weights(fresh, path)
        np.testing.assert_array_equal(engine_outputs(fresh, raw), expected)
