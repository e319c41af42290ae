"""Input features: transforms of the plane coordinates x1, x2 that the network sees.

As in TensorFlow Playground, a 2-D problem can be fed x1, x2 and products or sines of them, so
that a network without hidden layers can still draw a circle (x1², x2²) or the XOR cross (x1·x2).
1-D data (the wave) has only x1, so only the features that do not use x2 apply to it.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from netsim.errors import DataError


@dataclass(frozen=True)
class Feature:
    """One model input computed from the raw coordinates."""

    name: str                                   # key in FEATURES, saved in sessions: "x1^2"
    label: str                                  # what the UI shows: "x₁²"
    fn: Callable[[np.ndarray], np.ndarray]      # raw (n, raw_dim) -> (n,)
    columns: tuple[int, ...]                    # raw columns it reads: (0,) for x1 only


FEATURES: dict[str, Feature] = {
    feature.name: feature
    for feature in (
        Feature("x1", "x₁", lambda raw: raw[:, 0], (0,)),
        Feature("x2", "x₂", lambda raw: raw[:, 1], (1,)),
        Feature("x1^2", "x₁²", lambda raw: raw[:, 0] ** 2, (0,)),
        Feature("x2^2", "x₂²", lambda raw: raw[:, 1] ** 2, (1,)),
        Feature("x1*x2", "x₁x₂", lambda raw: raw[:, 0] * raw[:, 1], (0, 1)),
        Feature("sin(x1)", "sin(x₁)", lambda raw: np.sin(raw[:, 0]), (0,)),
        Feature("sin(x2)", "sin(x₂)", lambda raw: np.sin(raw[:, 1]), (1,)),
    )
}


def features_for(raw_dim: int) -> tuple[str, ...]:
    """Names of the FEATURES that data with `raw_dim` raw columns (1 or 2) can use."""
    return tuple(name for name, feature in FEATURES.items() if max(feature.columns) < raw_dim)


def select_features(names, raw_dim: int) -> tuple[str, ...]:
    """Validate a choice of feature names for data with `raw_dim` (1 or 2) raw columns.

    For 1-D data the features that need x2 are left out, so that a feature choice made for the
    2-D problems carries over when the user switches to the wave. Raises DataError for an unknown
    name, a repeated name or a choice that leaves no input.
    """
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise DataError(f"features must be a list of feature names, got {names!r}")
    names = tuple(names)
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise DataError(f"unknown feature {unknown[0]!r}; known features: {', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise DataError(f"features must not repeat a name, got {', '.join(names)}")
    usable = features_for(raw_dim)
    chosen = tuple(name for name in names if name in usable)
    if not chosen:
        raise DataError(f"choose at least one input feature among {', '.join(usable)}")
    return chosen


def apply_features(names: tuple[str, ...], raw: np.ndarray) -> np.ndarray:
    """Model inputs (n, len(names)) float64 from raw coordinates (n, raw_dim)."""
    columns = [FEATURES[name].fn(raw) for name in names]
    return np.column_stack(columns).astype(np.float64, copy=False)
