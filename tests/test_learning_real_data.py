"""The bundled real data sets learn through the Trainer (issue: data)."""
import pytest

from netsim import Config, Trainer

REAL = dict(layers=[32], activation="relu", optimizer="adam", learning_rate=0.01,
            batch_size=32, seed=0)


@pytest.mark.parametrize("dataset", ["iris", "digits"])
def test_reaches_90_percent_within_30_epochs(dataset):
    tr = Trainer(Config(dataset=dataset, **REAL))
    for _ in range(30):
        tr.run_epoch()
    assert tr.metrics.test_accuracy >= 0.90


def test_wine_is_standardised_by_default_and_learns():
    tr = Trainer(Config(dataset="wine", **REAL))
    assert abs(tr.X_train.mean(axis=0)).max() < 1e-9      # z-scored on the training split
    for _ in range(30):
        tr.run_epoch()
    assert tr.metrics.test_accuracy >= 0.90
