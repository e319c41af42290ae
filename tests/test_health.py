"""Each hidden layer's health over the training set: dead and saturated shares, the spread of
its activations, and the plain verdicts that name what is wrong and what to try."""
import numpy as np
import pytest

from netsim import ACTIVATIONS, Config, Trainer
from netsim.diagnostics import (DEAD_WARNING, SATURATED_ROWS, SATURATED_SLOPE,
                                STALLED_UPDATE_RATIO, LayerHealth, verdicts)
from netsim.io import export_history_csv
from netsim.session import load_session, save_session

SMALL = Config(dataset="circle", layers=(8, 6), n_samples=200)


def test_dead_units_of_a_relu_layer_are_counted_on_the_training_set():
    trainer = Trainer(SMALL.replace(activation="relu"))
    trainer.network.biases[0][:4] = -1e3               # four of the eight units can never fire
    trainer.network.biases[1][:] = 1e3                 # none of the second layer's can die
    trainer.evaluate()
    first, second = trainer.layer_health
    assert first.dead == pytest.approx(4 / 8) and second.dead == 0.0
    assert first.saturated is None                     # a ReLU does not saturate


def test_saturated_units_are_those_flat_on_nearly_every_row():
    trainer = Trainer(SMALL.replace(activation=("tanh", "sigmoid")))
    trainer.network.weights[0][:, :3] *= 1e3           # three tanh units pushed to +-1
    trainer.evaluate()
    first, second = trainer.layer_health
    a = np.tanh(trainer.X_train @ trainer.network.weights[0] + trainer.network.biases[0])
    flat = (1 - a * a) < SATURATED_SLOPE * ACTIVATIONS["tanh"].steepest_slope
    expected = np.mean(flat.mean(axis=0) >= SATURATED_ROWS)
    assert first.saturated == pytest.approx(expected) and expected >= 3 / 8
    assert first.dead is None and second.saturated is not None


def test_the_activations_spread_is_that_of_the_training_set():
    trainer = Trainer(SMALL)
    trainer.step(30)
    trainer.evaluate()
    a = np.tanh(trainer.X_train @ trainer.network.weights[0] + trainer.network.biases[0])
    health = trainer.layer_health[0]
    assert health.mean == pytest.approx(a.mean(), rel=1e-9)
    assert health.std == pytest.approx(a.std(), rel=1e-9)
    assert health.sample.size == min(a.size, 4096)


def test_health_is_recorded_in_the_history_and_exported_with_it(tmp_path):
    trainer = Trainer(SMALL.replace(activation=("relu", "sigmoid")))
    trainer.step(60)
    names = set(trainer.history.names())
    assert {"dead_share[1]", "saturated_share[2]", "activation_std[1]"} <= names
    assert "saturated_share[1]" not in names and "dead_share[2]" not in names
    path = export_history_csv(trainer, tmp_path / "history.csv")
    header = path.read_text().splitlines()[0].split(",")
    assert "dead_share[1]" in header and "saturated_share[2]" in header


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_a_session_keeps_every_series_its_run_records(tmp_path, activation):
    trainer = Trainer(SMALL.replace(activation=activation, dropout=0.2, schedule="step",
                                    step_size=1))
    trainer.step(80)
    path = save_session(trainer, tmp_path / "run.netsim")
    assert set(load_session(path).history.names()) == set(trainer.history.names())


def health(layer, dead=None, saturated=None):
    return LayerHealth(layer, dead, saturated, 0.0, 1.0, np.zeros(0))


def test_verdicts_name_the_layer_the_cause_and_what_to_try():
    said = verdicts([health(1, dead=0.1), health(2, dead=DEAD_WARNING + 0.16),
                     health(3, saturated=0.9)], [1e-3, STALLED_UPDATE_RATIO / 10, 0.5, 1e-3])
    assert said == [
        "layer 2: 41% of units dead; try leaky ReLU, He initialization or a smaller "
        "learning rate",
        "layer 3: 90% saturated; try Xavier or a smaller initial scale",
        "layer 2's updates are 1e-07 of its weights: it has stopped learning",
        "layer 3's updates are 50% of its weights at each step: lower the learning rate"]


def test_a_deep_sigmoid_net_is_told_its_first_layers_stopped_learning():
    trainer = Trainer(Config(dataset="circle", layers=(8,) * 8, activation="sigmoid"))
    trainer.step(300)
    said = trainer.verdicts()
    assert any(v.startswith("layer 1's updates are") and "stopped learning" in v for v in said)


def test_a_healthy_net_has_nothing_said():
    trainer = Trainer(SMALL.replace(learning_rate=0.1))
    trainer.step(200)
    assert trainer.verdicts() == []
