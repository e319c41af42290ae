"""When and how the trainer measures its train and test sets, and the reusable arrays of its
hot path: the figures must be those a plain full evaluation gives."""
import numpy as np
import pytest

import netsim.run_stack as run_stack_module
from netsim import Config, Network, Trainer
from netsim.diagnostics import dead_units
from netsim.run_stack import EARLY_EPOCHS, EVALUATION_EVERY

SMALL = dict(dataset="circle", layers=[4, 2], learning_rate=0.03, batch_size=10, seed=0)


def steps_of(trainer, name):
    return [int(s) for s in trainer.history[name].data()[0]]


def test_short_epochs_measure_both_sets_at_most_every_few_steps():
    # 250 training points at batch 125: 2 steps an epoch; measuring both sets at every end
    # would cost as much as the training
    trainer = Trainer(Config(**{**SMALL, "batch_size": 125}))
    trainer.step(100)
    early = [0] + [2 * epoch for epoch in range(1, EARLY_EPOCHS + 1)]
    for name in ("train_loss", "test_loss", "test_accuracy"):
        steps = steps_of(trainer, name)
        assert steps[:len(early)] == early            # the first epochs' ends, every one
        later = steps[len(early) - 1:]
        assert all(b - a == EVALUATION_EVERY for a, b in zip(later, later[1:])), name
        assert steps[-1] > 100 - EVALUATION_EVERY


def test_long_epochs_measure_both_sets_at_their_ends_once_enough_steps_passed():
    trainer = Trainer(Config(**SMALL))            # 25 steps an epoch
    trainer.step(250)
    # the first epochs' ends all measure them, later ones when 32 steps have passed: 50 >= 32
    for name in ("train_loss", "test_loss"):
        assert steps_of(trainer, name) == [0, 25, 50, 75, 100, 150, 200, 250]


def test_refresh_metrics_gives_the_figures_of_this_step_and_records_them_once():
    trainer = Trainer(Config(**{**SMALL, "batch_size": 125}))
    trainer.step(35)                                       # mid-epoch, figures from step 8
    stale = trainer.metrics
    fresh = trainer.refresh_metrics()
    assert fresh == trainer.evaluate() and fresh != stale
    assert steps_of(trainer, "train_loss")[-1] == 35 and steps_of(trainer, "test_loss")[-1] == 35
    before = {name: steps_of(trainer, name) for name in ("train_loss", "test_loss")}
    trainer.refresh_metrics()
    assert {name: steps_of(trainer, name) for name in before} == before


def test_refresh_at_a_measured_epoch_end_adds_nothing():
    trainer = Trainer(Config(**{**SMALL, "batch_size": 125}))
    trainer.step(40)                                       # both measured at 40
    trainer.refresh_metrics()
    assert steps_of(trainer, "test_loss").count(40) == 1
    assert steps_of(trainer, "train_loss").count(40) == 1


@pytest.mark.parametrize("fields", [
    dict(dataset="iris", layers=[8], activation="relu"),
    dict(dataset="circle", layers=[6, 3], regularization="l2", reg_rate=0.01),
    dict(dataset="plane", layers=[5]),
], ids=["multiclass", "binary_l2", "regression"])
def test_evaluation_in_chunks_equals_one_pass(monkeypatch, fields):
    config = Config(**{**SMALL, **fields})
    whole = Trainer(config)
    monkeypatch.setattr(run_stack_module, "EVALUATION_ELEMENTS", 7)   # chunks straddle train/test
    chunked = Trainer(config)
    whole.step(40)
    chunked.step(40)
    a, b = whole.evaluate(), chunked.evaluate()
    for name in ("train_loss", "test_loss", "penalty", "train_accuracy", "test_accuracy"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None and y is None) or x == pytest.approx(y, rel=1e-12), name
    np.testing.assert_array_equal(np.concatenate(whole.dead_units()),
                                  np.concatenate(chunked.dead_units()))


def test_evaluation_agrees_with_the_network_and_loss_directly():
    trainer = Trainer(Config(**{**SMALL, "dataset": "iris", "layers": [8]}))
    trainer.step(30)
    m = trainer.evaluate()
    probabilities = trainer.predict(trainer.X_test)
    expected = np.mean(probabilities.argmax(axis=1) == trainer.Y_test.argmax(axis=1))
    assert m.test_accuracy == pytest.approx(expected)
    log_likelihood = np.log(probabilities[trainer.Y_test.astype(bool)])
    assert m.test_loss == pytest.approx(-log_likelihood.mean(), rel=1e-9)


def test_trace_through_a_reused_workspace_equals_a_fresh_trace():
    rng = np.random.default_rng(3)
    net = Network([3, 16, 8, 2], activation="relu", output="sigmoid", seed=1)
    workspace = net.workspace(32)
    for rows in (32, 5, 32):                         # a smaller batch uses the leading rows
        X = rng.standard_normal((rows, 3))
        Y = (rng.random((rows, 2)) < 0.5).astype(float)
        fresh = net.trace(X, Y, regularization="l1", reg_rate=0.01)
        reused = net.trace(X, Y, regularization="l1", reg_rate=0.01, workspace=workspace)
        for got, want in zip(reused.grad_weights + reused.grad_biases,
                             fresh.grad_weights + fresh.grad_biases):
            np.testing.assert_array_equal(got, want)
        assert reused.data_loss == fresh.data_loss


def test_weights_are_views_of_one_flat_array_that_edits_and_loads_keep():
    net = Network([2, 3, 1], seed=0)
    net.set_weight(1, 2, 0, 7.5)
    assert 7.5 in net.flat
    net.load_parameters([np.ones((2, 3)), np.zeros((3, 1))], [np.zeros(3), np.full(1, 2.0)])
    np.testing.assert_array_equal(net.flat, np.r_[np.ones(6), np.zeros(3), np.zeros(3), 2.0])


def test_dead_units_in_chunks_equal_one_pass():
    net = Network([2, 12, 12, 1], activation="relu", init="normal", seed=4)
    net.biases[0][:6] = -50.0                                     # six units of layer 1 die
    X = np.random.default_rng(0).uniform(-1, 1, (101, 2))
    one_pass = dead_units(net, X)
    chunked = dead_units(net, X, net.workspace(16))
    assert one_pass[1][:6].all()
    for a, b in zip(one_pass, chunked):
        np.testing.assert_array_equal(a, b)


def test_each_layers_weights_and_biases_are_one_stacked_matrix_in_the_flat_array():
    net = Network([3, 5, 2], seed=0)
    for W, b, stacked in zip(net.weights, net.biases, net.augmented(net.flat)):
        np.testing.assert_array_equal(stacked[:-1], W)
        np.testing.assert_array_equal(stacked[-1], b)
    net.set_bias(1, 1, 4.25)                        # an edit shows through the stacked view
    assert net.augmented(net.flat)[1][-1, 1] == 4.25
    X = np.random.default_rng(1).standard_normal((4, 3))
    hidden = np.tanh(X @ net.weights[0] + net.biases[0])
    np.testing.assert_allclose(net.forward_all(X)[0][1], hidden @ net.weights[1] + net.biases[1],
                               rtol=1e-14)
