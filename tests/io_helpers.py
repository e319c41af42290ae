"""Small trained runs for the weight-file and session tests."""
import numpy as np

from netsim import Config, Trainer

ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")

# (name, config fields): every task, feature transforms on 2-D data, standardisation on
# real data, 1-D data
CASES = {
    "binary_all_features": dict(dataset="circle", features=ALL_FEATURES, noise=0.1),
    "binary_standardised": dict(dataset="xor", features=("x1", "x2", "x1*x2"), standardize=True),
    "multiclass_blobs": dict(dataset="blobs", classes=4, features=("x1", "x2", "sin(x1)")),
    "multiclass_iris": dict(dataset="iris"),
    "regression_plane": dict(dataset="plane", features=("x1", "x2", "x1^2", "x2^2"),
                             n_samples=200),
    "regression_wave": dict(dataset="wave"),
}


def trained(steps=15, **fields) -> Trainer:
    """A run with a few steps taken, so that weights and biases are no longer their init."""
    fields = {"layers": [5, 3], "learning_rate": 0.05, "optimizer": "adam", **fields}
    trainer = Trainer(Config(**fields))
    trainer.step(steps)
    return trainer


def raw_points(trainer: Trainer, n=40, seed=1) -> np.ndarray:
    """(n, raw_dim) raw inputs over (and a little beyond) the data's range."""
    ranges = trainer.dataset.raw_ranges
    rng = np.random.default_rng(seed)
    return rng.uniform(ranges[:, 0] - 0.5, ranges[:, 1] + 0.5, size=(n, len(ranges)))


def engine_outputs(trainer: Trainer, raw) -> np.ndarray:
    return trainer.predict(trainer.dataset.transform(raw))


def parameters(trainer: Trainer) -> list:
    return [p.copy() for p in trainer.network.parameters]


def assert_parameters_equal(trainer: Trainer, expected: list):
    for got, want in zip(trainer.network.parameters, expected, strict=True):
        np.testing.assert_array_equal(got, want)
