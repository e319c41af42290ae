"""Inverted dropout in training steps only, with masks from the run's own rng, and a
different activation in each hidden layer: gradients equal torch autograd's (references
written by torch: tests/references/make_torch_references.py)."""
from pathlib import Path

import numpy as np
import pytest

from netsim import ACTIVATIONS, Config, Trainer
from netsim.batched import BatchedRuns
from netsim.network import Network
from netsim.session import load_session, save_session

REFERENCES = np.load(Path(__file__).parent / "references" / "torch_gradients.npz")
CASES = sorted({key.split("/")[0] for key in REFERENCES.files})


def test_every_activation_has_a_torch_reference():
    assert set(CASES) == set(ACTIVATIONS)


@pytest.mark.parametrize("name", CASES)
def test_gradients_with_fixed_masks_and_mixed_activations_equal_torch(name):
    ref = {key.split("/")[1]: REFERENCES[key] for key in REFERENCES.files
           if key.startswith(name + "/")}
    n_layers = sum(1 for key in ref if key.startswith("W"))
    sizes = [ref["W0"].shape[0]] + [ref[f"W{l}"].shape[1] for l in range(n_layers)]
    net = Network(sizes, activation=[str(a) for a in ref["activations"]], output="linear",
                  dropout=[float(r) for r in ref["rates"]])
    net.load_parameters([ref[f"W{l}"] for l in range(n_layers)],
                        [ref[f"b{l}"] for l in range(n_layers)])
    masks = [ref[f"mask{l}"].astype(bool) if rate else None
             for l, rate in enumerate(ref["rates"])]
    trace = net.trace(ref["X"], ref["Y"], dropout_masks=masks)
    assert trace.data_loss == pytest.approx(float(ref["loss"]), rel=1e-12)
    for l in range(n_layers):
        np.testing.assert_allclose(trace.grad_weights[l], ref[f"dW{l}"], rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(trace.grad_biases[l], ref[f"db{l}"], rtol=1e-10, atol=1e-13)


SMALL = Config(dataset="circle", layers=(6, 5), n_samples=120, batch_size=9)


def test_dropout_off_draws_nothing_and_trains_as_without_it():
    a, b = Trainer(SMALL), Trainer(SMALL.replace(dropout=(0.0, 0.0)))
    a.step(150)
    b.step(150)
    for x, y in zip(a.network.parameters, b.network.parameters):
        np.testing.assert_array_equal(x, y)
    assert a.rng.bit_generator.state == b.rng.bit_generator.state
    assert all(mask is None for mask in a.last_trace.dropout_masks)


def test_a_seeded_run_with_dropout_is_reproducible_and_its_masks_are_in_the_trace():
    config = SMALL.replace(dropout=(0.5, 0.0))
    a, b = Trainer(config), Trainer(config)
    a.step(120)
    b.step(120)
    for x, y in zip(a.network.parameters, b.network.parameters):
        np.testing.assert_array_equal(x, y)
    first, second = a.last_trace.dropout_masks
    assert second is None and first.shape == (9, 6) and first.dtype == bool
    assert 0.2 < first.mean() < 0.8                          # about half kept
    without = Trainer(SMALL)
    without.step(120)
    assert not np.array_equal(a.network.weights[0], without.network.weights[0])


def test_evaluation_and_predictions_run_without_dropout():
    config = SMALL.replace(dropout=0.5)
    trainer = Trainer(config)
    trainer.step(50)
    plain = Trainer(SMALL)
    plain.load_parameters(*trainer.network.copy_parameters())
    assert trainer.evaluate() == plain.evaluate()
    np.testing.assert_array_equal(trainer.predict(trainer.X_test), plain.predict(plain.X_test))


def test_a_session_with_dropout_mixed_activations_and_a_schedule_resumes_bit_for_bit(tmp_path):
    config = SMALL.replace(dropout=(0.3, 0.1), activation=("relu", "tanh"), schedule="cosine",
                           T_max=4, total_iters=1, optimizer="adam", learning_rate=0.01)
    straight = Trainer(config)
    straight.step(70)
    path = save_session(straight, tmp_path / "run.netsim")
    straight.step(90)
    resumed = load_session(path)
    resumed.step(90)
    for x, y in zip(straight.network.parameters, resumed.network.parameters):
        np.testing.assert_array_equal(x, y)
    assert resumed.optimizer.hyper["learning_rate"] == straight.optimizer.hyper["learning_rate"]


def test_batched_runs_with_dropout_equal_their_trainers():
    configs = [SMALL.replace(dropout=(0.3, 0.2), seed=s, learning_rate=lr)
               for s, lr in ((0, 0.03), (1, 0.1))]
    batch = BatchedRuns(configs)
    batch.step(60)
    for r, config in enumerate(configs):
        trainer = Trainer(config, batch.dataset)
        trainer.step(60)
        for mine, theirs in zip(batch.run_weights(r)[0], trainer.network.weights):
            np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-10)
