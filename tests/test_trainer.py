import numpy as np
import pytest

from netsim import Config, ConfigError, DivergenceError, Trainer

SMALL = dict(dataset="circle", layers=[4, 2], activation="tanh", learning_rate=0.03,
             batch_size=10, seed=0)


def test_issue_example_runs():
    tr = Trainer(Config(**SMALL, init="xavier_uniform", optimizer="sgd", regularization="l2",
                        reg_rate=0.001))
    tr.step(25)
    tr.run_epoch()
    m = tr.evaluate()
    assert tr.step_count == 50 and tr.epoch == 2        # 250 training points, batch 10
    assert 0 < m.train_loss and 0 <= m.test_accuracy <= 1
    assert m.train_loss == pytest.approx(m.train_data_loss + m.penalty)


@pytest.mark.parametrize("dataset", ["circle", "xor"])
def test_reaches_95_percent_within_300_epochs(dataset):
    tr = Trainer(Config(**{**SMALL, "dataset": dataset}))
    for _ in range(300):
        tr.run_epoch()
        if tr.metrics.test_accuracy >= 0.95:
            break
    assert tr.metrics.test_accuracy >= 0.95


def test_huge_learning_rate_trips_divergence_guard_and_keeps_weights_finite():
    tr = Trainer(Config(**{**SMALL, "activation": "relu", "learning_rate": 10.0}))
    with pytest.raises(DivergenceError, match="learning rate of 10 is too high"):
        for _ in range(500):
            tr.run_epoch()
    assert all(np.all(np.isfinite(w)) for w in tr.network.weights + tr.network.biases)
    assert np.isfinite(tr.evaluate().train_loss)


def test_same_config_same_weights_after_1000_steps():
    a, b = Trainer(Config(**SMALL)), Trainer(Config(**SMALL))
    a.step(1000)
    b.step(1000)
    for wa, wb in zip(a.network.weights + a.network.biases, b.network.weights + b.network.biases):
        np.testing.assert_array_equal(wa, wb)


def test_different_seed_different_weights():
    a, b = Trainer(Config(**SMALL)), Trainer(Config(**{**SMALL, "seed": 1}))
    assert not np.array_equal(a.network.weights[0], b.network.weights[0])


def test_epoch_uses_the_last_smaller_batch():
    tr = Trainer(Config(**{**SMALL, "batch_size": 32}))      # 250 = 7 * 32 + 26
    tr.run_epoch()
    assert tr.step_count == 8 and tr.examples_seen == 250 and tr.epoch == 1


def test_changing_learning_rate_keeps_weights():
    tr = Trainer(Config(**SMALL))
    tr.step(10)
    before = [w.copy() for w in tr.network.weights]
    tr.apply(tr.config.replace(learning_rate=0.3, regularization="l1", reg_rate=0.01))
    assert tr.optimizer.hyper["learning_rate"] == 0.3
    for w0, w1 in zip(before, tr.network.weights):
        np.testing.assert_array_equal(w0, w1)


def test_structural_change_is_refused_live():
    tr = Trainer(Config(**SMALL))
    with pytest.raises(ConfigError, match="layers"):
        tr.apply(tr.config.replace(layers=(3,)))


def test_capture_and_restore_continue_bit_for_bit():
    cfg = Config(**{**SMALL, "optimizer": "adam", "learning_rate": 0.01})
    straight = Trainer(cfg)
    straight.step(137)
    resumed = Trainer(cfg)
    resumed.step(60)
    state = resumed.capture()
    resumed.step(20)                     # wander off, then come back
    resumed.restore(state)
    resumed.step(77)
    for a, b in zip(straight.network.parameters, resumed.network.parameters):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(straight.history["batch_loss"].data()[1],
                                  resumed.history["batch_loss"].data()[1])


def test_set_weight_changes_exactly_one_weight_and_the_loss():
    tr = Trainer(Config(**SMALL))
    before = [w.copy() for w in tr.network.weights]
    loss = tr.metrics.train_loss
    tr.set_weight(1, 2, 1, 3.5)
    changed = [np.argwhere(w0 != w1).tolist() for w0, w1 in zip(before, tr.network.weights)]
    assert changed == [[], [[2, 1]], []]
    assert tr.metrics.train_loss != loss


def test_set_bias_of_output_neuron():
    tr = Trainer(Config(**SMALL))
    tr.set_bias(2, 0, -1.25)
    assert tr.network.biases[2][0] == -1.25


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "abc"])
def test_set_weight_refuses_non_finite_values(value):
    tr = Trainer(Config(**SMALL))
    before = tr.network.weights[0].copy()
    with pytest.raises(ConfigError):
        tr.set_weight(0, 0, 0, value)
    np.testing.assert_array_equal(before, tr.network.weights[0])


def test_history_records_every_step_and_epoch_metrics():
    tr = Trainer(Config(**SMALL))
    tr.run_epoch()
    steps, _ = tr.history["batch_loss"].data()
    assert steps.tolist() == list(range(1, 26))
    assert tr.history["test_loss"].data()[0].tolist() == [0, 25]
    for name in ("weight_norm[0]", "mean_abs_weight[2]", "grad_norm[1]", "update_ratio[0]"):
        assert tr.history[name].data()[0].tolist() == [8, 16, 24]      # every 8th step


def test_history_stays_bounded_on_long_runs():
    tr = Trainer(Config(**{**SMALL, "batch_size": 250}))
    tr.step(5000)
    assert tr.history["batch_loss"].n <= tr.history.capacity
    assert tr.history["batch_loss"].data()[0][-1] == 5000


def test_float32_trains():
    tr = Trainer(Config(**{**SMALL, "dtype": "float32"}))
    tr.step(50)
    assert tr.network.weights[0].dtype == np.float32
