"""Batched runs equal the same runs trained one by one, for every entry of every registry:
a new activation, loss, regularizer, optimizer or initializer is covered the day it is added."""
import numpy as np
import pytest

from netsim import (ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, REGULARIZERS, Config,
                    ConfigError, DivergenceError, Trainer)
from netsim.batched import BatchedRuns, group_key
from netsim.datasets import make_dataset
from netsim.losses import TASK_LOSS

TOL = 1e-10
SMALL = Config(dataset="circle", n_samples=80, layers=(5, 3), batch_size=7)


def assert_run_equals_trainer(batch: BatchedRuns, r: int, trainer: Trainer):
    weights, biases = batch.run_weights(r)
    for mine, theirs in zip(weights + biases, trainer.network.weights + trainer.network.biases):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=TOL)
    mine, theirs = batch.evaluate()[r], trainer.evaluate()
    for name in ("train_loss", "test_loss", "penalty"):
        assert abs(getattr(mine, name) - getattr(theirs, name)) < TOL
    assert mine.test_accuracy == theirs.test_accuracy
    for name in ("train_loss", "test_loss"):
        steps, values = batch.histories[r][name].data()
        t_steps, t_values = trainer.history[name].data()
        np.testing.assert_array_equal(steps, t_steps)
        np.testing.assert_allclose(values, t_values, rtol=0, atol=TOL)


PER_RUN = [dict(learning_rate=0.01, seed=0, reg_rate=0.001, init="xavier_uniform", bias_init=0.0),
           dict(learning_rate=0.05, seed=1, reg_rate=0.0, init="he_normal", bias_init=0.1),
           dict(learning_rate=0.02, seed=2, reg_rate=0.01, init="orthogonal", bias_init=-0.1)]


@pytest.mark.parametrize("shared", [
    dict(optimizer="sgd", regularization="l2", activation="tanh"),
    dict(optimizer="momentum", regularization="l1", activation="relu", momentum=0.8),
    dict(optimizer="nesterov", regularization="none", activation="sigmoid"),
    dict(optimizer="rmsprop", regularization="elastic_net", activation="gelu"),
    dict(optimizer="adam", regularization="l2", activation="elu"),
    dict(optimizer="adamw", regularization="l1", activation="leaky_relu"),
    dict(dataset="blobs", optimizer="adam", regularization="l2", activation="tanh"),
    dict(dataset="plane", n_samples=100, optimizer="momentum", regularization="none"),
    dict(dataset="xor", optimizer="sgd", dtype="float32", regularization="none"),
], ids=lambda d: "-".join(str(v) for v in d.values()))
def test_batched_runs_equal_trainer_runs_with_the_same_seeds(shared):
    configs = [SMALL.replace(**shared, **per_run) for per_run in PER_RUN]
    batch = BatchedRuns(configs)
    batch.step(150)                     # several epochs, ending mid-epoch
    for r, config in enumerate(configs):
        trainer = Trainer(config, batch.dataset)
        trainer.step(150)
        if config.dtype == "float32":
            np.testing.assert_allclose(batch.run_weights(r)[0][0], trainer.network.weights[0],
                                       rtol=1e-5)
        else:
            assert_run_equals_trainer(batch, r, trainer)


def test_batched_runs_build_the_data_a_trainer_would():
    batch = BatchedRuns([SMALL])
    np.testing.assert_array_equal(batch.X_train, Trainer(SMALL).X_train)


def test_runs_with_different_layers_cannot_share_a_batch():
    with pytest.raises(ConfigError, match="must share layers"):
        BatchedRuns([SMALL, SMALL.replace(layers=(4,))])


def test_group_key_ignores_per_run_settings_only():
    assert group_key(SMALL) == group_key(SMALL.replace(learning_rate=0.3, seed=4, init="zeros"))
    assert group_key(SMALL) != group_key(SMALL.replace(activation="relu"))


def test_a_diverging_run_stops_alone_and_the_others_equal_their_trainers():
    base = Config(dataset="plane", n_samples=120, layers=(4,))
    configs = [base.replace(learning_rate=lr) for lr in (0.03, 1.0, 0.01)]
    batch = BatchedRuns(configs)
    batch.step(60)
    assert batch.diverged[0] is None and batch.diverged[2] is None
    assert "diverged at step" in batch.diverged[1] and batch.diverged_at[1] < 60
    with pytest.raises(DivergenceError):
        Trainer(configs[1], batch.dataset).step(60)
    for r in (0, 2):
        trainer = Trainer(configs[r], batch.dataset)
        trainer.step(60)
        assert_run_equals_trainer(batch, r, trainer)
    assert all(np.isfinite(w).all() for w in batch.run_weights(1)[0])


def test_a_stopped_run_keeps_its_weights_while_the_others_train():
    configs = [Config(dataset="plane", n_samples=120, layers=(4,), learning_rate=lr)
               for lr in (1.0, 0.03)]
    batch = BatchedRuns(configs)
    batch.step(40)
    frozen = batch.run_weights(0)[0]
    batch.step(40)
    for before, after in zip(frozen, batch.run_weights(0)[0]):
        np.testing.assert_array_equal(before, after)
    assert batch.active.tolist() == [False, True]


def test_a_collapsed_relu_layer_stops_its_run_where_a_trainer_raises():
    configs = [Config(layers=(4, 2), activation="relu", learning_rate=lr) for lr in (3.0, 0.03)]
    batch = BatchedRuns(configs)
    batch.step(130)
    with pytest.raises(DivergenceError, match="died"):
        Trainer(configs[0], batch.dataset).step(130)
    assert "died" in batch.diverged[0] and batch.diverged_at[0] == 64
    trainer = Trainer(configs[1], batch.dataset)
    trainer.step(130)
    assert_run_equals_trainer(batch, 1, trainer)


# a data set of each task, and so of each loss (losses.TASK_LOSS)
TASK_DATA = {"binary": dict(dataset="circle"), "multiclass": dict(dataset="blobs", classes=3),
             "regression": dict(dataset="plane")}
REGISTRY_CASES = ([("activation", name) for name in ACTIVATIONS]
                  + [("optimizer", name) for name in OPTIMIZERS]
                  + [("regularization", name) for name in REGULARIZERS]
                  + [("init", name) for name in INITIALIZERS]
                  + [("loss", name) for name in LOSSES])


def test_every_loss_has_a_task_and_every_task_data():
    assert set(TASK_LOSS.values()) == set(LOSSES)
    for task, fields in TASK_DATA.items():
        assert make_dataset(fields["dataset"], n=40).task == task


@pytest.mark.parametrize("field, name", REGISTRY_CASES, ids=lambda v: str(v))
def test_a_batch_of_runs_equals_its_runs_trained_alone_for_every_registry_entry(field, name):
    if field == "loss":
        task = next(t for t, loss in TASK_LOSS.items() if loss == name)
        shared = TASK_DATA[task]
    else:
        shared = {field: name}
    if field in ("regularization", "optimizer"):
        per_run = [dict(p, reg_rate=p["reg_rate"] or 0.005) for p in PER_RUN]
    elif field == "init":
        per_run = [dict(p, init=name) for p in PER_RUN]
        shared = {}
    else:
        per_run = PER_RUN
    configs = [SMALL.replace(**shared, **p) for p in per_run]
    if field != "regularization":
        configs = [c.replace(regularization="l2") for c in configs]
    batch = BatchedRuns(configs)
    batch.step(40)                     # several epochs, ending mid-epoch
    for r, config in enumerate(configs):
        trainer = Trainer(config, batch.dataset)
        trainer.step(40)
        assert_run_equals_trainer(batch, r, trainer)
