"""When and how the trainer measures its train and test sets, and the reusable arrays of its
hot path: the figures must be those a plain full evaluation gives."""
import numpy as np
import pytest

import netsim.trainer as trainer_module
from netsim import Config, Network, Trainer
from netsim.diagnostics import dead_units
from netsim.trainer import EARLY_EPOCHS, TRAIN_EVALUATION_EVERY

SMALL = dict(dataset="circle", layers=[4, 2], learning_rate=0.03, batch_size=10, seed=0)


def steps_of(trainer, name):
    return [int(s) for s in trainer.history[name].data()[0]]


def test_test_set_every_epoch_training_set_at_most_every_few_steps():
    # 250 training points at batch 125: 2 steps an epoch
    trainer = Trainer(Config(**{**SMALL, "batch_size": 125}))
    trainer.step(100)
    assert steps_of(trainer, "test_loss") == list(range(0, 101, 2))
    train_steps = steps_of(trainer, "train_loss")
    early = [0] + [2 * epoch for epoch in range(1, EARLY_EPOCHS + 1)]
    assert train_steps[:len(early)] == early          # the first epochs' ends, every one
    later = train_steps[len(early) - 1:]
    assert all(b - a == TRAIN_EVALUATION_EVERY for a, b in zip(later, later[1:]))
    assert train_steps[-1] > 100 - TRAIN_EVALUATION_EVERY


def test_long_epochs_measure_the_training_set_at_every_epoch_end():
    trainer = Trainer(Config(**SMALL))            # 25 steps an epoch
    trainer.step(250)
    # the first epochs' ends all measure it, later ones when 32 steps have passed: 50 >= 32
    assert steps_of(trainer, "train_loss") == [0, 25, 50, 75, 100, 150, 200, 250]
    assert steps_of(trainer, "test_loss") == list(range(0, 251, 25))


def test_refresh_metrics_gives_the_figures_of_this_step_and_records_them_once():
    trainer = Trainer(Config(**{**SMALL, "batch_size": 125}))
    trainer.step(35)                                       # mid-epoch, train figures from 32
    stale = trainer.metrics
    fresh = trainer.refresh_metrics()
    assert fresh == trainer.evaluate() and fresh != stale
    assert steps_of(trainer, "train_loss")[-1] == 35 and steps_of(trainer, "test_loss")[-1] == 35
    before = {name: steps_of(trainer, name) for name in ("train_loss", "test_loss")}
    trainer.refresh_metrics()
    assert {name: steps_of(trainer, name) for name in before} == before


def test_refresh_after_an_epoch_end_adds_only_the_training_figures():
    trainer = Trainer(Config(**{**SMALL, "batch_size": 125}))
    trainer.step(34)                                       # test measured at 34, train at 32
    trainer.refresh_metrics()
    assert steps_of(trainer, "test_loss").count(34) == 1
    assert steps_of(trainer, "train_loss")[-1] == 34


@pytest.mark.parametrize("fields", [
    dict(dataset="iris", layers=[8], activation="relu"),
    dict(dataset="circle", layers=[6, 3], regularization="l2", reg_rate=0.01),
    dict(dataset="plane", layers=[5]),
], ids=["multiclass", "binary_l2", "regression"])
def test_evaluation_in_chunks_equals_one_pass(monkeypatch, fields):
    config = Config(**{**SMALL, **fields})
    whole = Trainer(config)
    monkeypatch.setattr(trainer_module, "EVALUATION_ROWS", 7)   # chunks straddle train/test
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
    for W, b, stacked in zip(net.weights, net.biases, net.stacked(net.flat)):
        np.testing.assert_array_equal(stacked[:-1], W)
        np.testing.assert_array_equal(stacked[-1], b)
    net.set_bias(1, 1, 4.25)                        # an edit shows through the stacked view
    assert net.stacked(net.flat)[1][-1, 1] == 4.25
    X = np.random.default_rng(1).standard_normal((4, 3))
    hidden = np.tanh(X @ net.weights[0] + net.biases[0])
    np.testing.assert_allclose(net.forward_all(X)[0][1], hidden @ net.weights[1] + net.biases[1],
                               rtol=1e-14)
