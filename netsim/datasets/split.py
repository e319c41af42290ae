"""Seeded train/test split, stratified by class for classification."""

import numpy as np

from netsim.errors import DataError


def _train_count(count: int, train_fraction: float) -> int:
    """Rows of a group of `count` that go to training: rounded, at least 1 and, when the group
    has 2 or more rows, at most count - 1 so that both sides see the group."""
    if count < 2:
        return count
    return min(max(int(np.floor(count * train_fraction + 0.5)), 1), count - 1)


def split_indices(y: np.ndarray, stratify: bool, train_fraction: float,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Row indices (train (n_train,), test (n_test,)), each in shuffled order.

    y (n,) are the targets. With `stratify`, each class is split by the ratio on its own, so both
    sides keep the class proportions (to within one row per class); a class of a single row goes
    to training. Raises DataError when either side would be empty.
    """
    groups = [np.flatnonzero(y == label) for label in np.unique(y)] if stratify else [np.arange(len(y))]
    train_parts, test_parts = [], []
    for group in groups:
        group = rng.permutation(group)
        cut = _train_count(len(group), train_fraction)
        train_parts.append(group[:cut])
        test_parts.append(group[cut:])
    train = rng.permutation(np.concatenate(train_parts))
    test = rng.permutation(np.concatenate(test_parts))
    if len(train) == 0 or len(test) == 0:
        need = "at least one class needs 2 or more rows" if stratify else "need at least 2 rows"
        raise DataError(f"too few rows ({len(y)}) to split into a training and a test set: {need}")
    return train, test
