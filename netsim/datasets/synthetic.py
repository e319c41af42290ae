"""Synthetic problems, after TensorFlow Playground's src/dataset.ts.

Every generator takes (n, noise, rng) and returns raw (n, raw_dim) float64 coordinates and
targets y (n,): int64 class indices, or float64 values for regression. Points come grouped by
class; the split shuffles them. `noise` is a fraction in 0..0.5, Playground's 0..50 %; what it
does differs per problem, as there (see each docstring). Playground's labels -1/+1 are 0/1 here.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from netsim.datasets.dataset import DatasetInfo
from netsim.datasets.features import features_for

PLANE = (-6.0, 6.0, -6.0, 6.0)     # Playground's plotting square for every 2-D problem


def _split_count(n: int, parts: int) -> list[int]:
    """n points shared among `parts` groups as evenly as possible, the first groups larger."""
    return [n // parts + (1 if k < n % parts else 0) for k in range(parts)]


def _two_classes(n_positive: int, n_negative: int) -> np.ndarray:
    return np.concatenate([np.ones(n_positive, np.int64), np.zeros(n_negative, np.int64)])


def circle(n, noise, rng):
    """Class 1 inside radius 2.5, class 0 in the ring 3.5..5. Noise moves the point used for the
    label by up to ±5·noise in each coordinate, so labels near the boundary flip."""
    radius = 5.0
    n_in, n_out = _split_count(n, 2)
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_out)])
    angle = rng.uniform(0, 2 * np.pi, n)
    raw = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    moved = raw + rng.uniform(-radius, radius, (n, 2)) * noise
    y = (np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5).astype(np.int64)
    return raw, y


def xor(n, noise, rng):
    """Points in [-5.3, -0.3] ∪ [0.3, 5.3] per axis; class 1 where x1·x2 >= 0. Half the points
    are drawn in each class's quadrants (Playground draws the quadrant at random). Noise moves
    the point used for the label by up to ±5·noise per coordinate."""
    padding = 0.3
    n_same, n_opposite = _split_count(n, 2)
    sign_x = rng.choice([-1.0, 1.0], n)
    sign_y = sign_x * np.concatenate([np.ones(n_same), -np.ones(n_opposite)])
    magnitude = rng.uniform(0, 5, (n, 2)) + padding
    raw = magnitude * np.column_stack([sign_x, sign_y])
    moved = raw + rng.uniform(-5, 5, (n, 2)) * noise
    y = (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)
    return raw, y


def gaussian(n, noise, rng):
    """Two Gaussian clouds, class 1 at (2, 2) and class 0 at (-2, -2); the variance of each
    coordinate grows linearly from 0.5 (noise 0) to 4 (noise 0.5)."""
    variance = 0.5 + 7.0 * noise
    n_positive, n_negative = _split_count(n, 2)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [n_positive, n_negative], axis=0)
    raw = centres + rng.normal(0, np.sqrt(variance), (n, 2))
    return raw, _two_classes(n_positive, n_negative)


def spiral(n, noise, rng):
    """Two interleaved spirals of 1.75 turns out to radius 5; class 0 is class 1 turned by π.
    Noise adds up to ±noise to each coordinate (uniform)."""
    def arm(count, turn):
        t = np.arange(count) / count
        angle = 1.75 * t * 2 * np.pi + turn
        points = np.column_stack([5 * t * np.sin(angle), 5 * t * np.cos(angle)])
        return points + rng.uniform(-1, 1, (count, 2)) * noise

    n_positive, n_negative = _split_count(n, 2)
    raw = np.concatenate([arm(n_positive, 0.0), arm(n_negative, np.pi)])
    return raw, _two_classes(n_positive, n_negative)


def moons(n, noise, rng):
    """Two interlocking half circles of radius 3 (scikit-learn's make_moons scaled by 3 and
    centred): class 1 the upper arc about (-1.5, -0.75), class 0 the lower about (1.5, 0.75).
    Noise adds Gaussian jitter of standard deviation 2·noise."""
    n_upper, n_lower = _split_count(n, 2)
    t = rng.uniform(0, np.pi, n)
    arc = 3.0 * np.column_stack([np.cos(t), np.sin(t)])
    centre = np.repeat([[-1.5, -0.75], [1.5, 0.75]], [n_upper, n_lower], axis=0)
    side = np.repeat([1.0, -1.0], [n_upper, n_lower])[:, None]
    raw = centre + side * arc + rng.normal(0, 2.0 * noise, (n, 2))
    return raw, _two_classes(n_upper, n_lower)


def blobs(n, noise, rng, classes):
    """`classes` Gaussian clouds whose centres sit evenly on a circle of radius 4.5, class 0 at the
    top; standard deviation 0.4 (noise 0) to 2 (noise 0.5)."""
    angle = np.pi / 2 + 2 * np.pi * np.arange(classes) / classes
    centres = 4.5 * np.column_stack([np.cos(angle), np.sin(angle)])
    y = np.repeat(np.arange(classes, dtype=np.int64), _split_count(n, classes))
    raw = centres[y] + rng.normal(0, 0.4 + 3.2 * noise, (n, 2))
    return raw, y


def plane(n, noise, rng):
    """Target (x1 + x2) / 10 over the square ±6, evaluated at the point moved by up to ±6·noise
    per coordinate."""
    raw = rng.uniform(-6, 6, (n, 2))
    moved = raw + rng.uniform(-6, 6, (n, 2)) * noise
    return raw, (moved[:, 0] + moved[:, 1]) / 10.0


def multi_gaussian(n, noise, rng):
    """Six bumps of height ±1 (falling linearly to 0 at distance 2) at x1 ∈ {-4, 0, 4},
    x2 = ±2.5 with alternating signs; the target is the bump largest in absolute value,
    evaluated at the point moved by up to ±6·noise per coordinate."""
    bumps = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                      [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=np.float64)
    raw = rng.uniform(-6, 6, (n, 2))
    moved = raw + rng.uniform(-6, 6, (n, 2)) * noise
    distance = np.hypot(moved[:, None, 0] - bumps[:, 0], moved[:, None, 1] - bumps[:, 1])   # (n, 6)
    heights = bumps[:, 2] * np.clip(1 - distance / 2, 0, 1)                                  # (n, 6)
    strongest = np.argmax(np.abs(heights), axis=1)
    return raw, heights[np.arange(n), strongest]


def wave(n, noise, rng):
    """1-D regression: x1 uniform in [-5, 5], target sin(x1) plus Gaussian noise of standard
    deviation `noise` (half the wave's amplitude at 0.5). Few points, to watch a curve under- and
    over-fit."""
    x = rng.uniform(-5, 5, (n, 1))
    return x, np.sin(x[:, 0]) + rng.normal(0, noise, n)


@dataclass(frozen=True)
class Synthetic:
    """A registered generator and how to draw it."""

    info: DatasetInfo
    generate: Callable                         # (n, noise, rng[, classes]) -> (raw, y)
    bounds: tuple[float, float, float, float]  # (xmin, xmax, ymin, ymax) of the plot
    uses_classes: bool = False                 # takes make_dataset's `classes`


def _entry(generate, title, task, default_n, description, bounds=PLANE, raw_dim=2, **kwargs):
    name = generate.__name__
    info = DatasetInfo(name, title, "synthetic", task, default_n, description, raw_dim,
                       features_for(raw_dim))
    return name, Synthetic(info, generate, bounds, **kwargs)


SYNTHETIC: dict[str, Synthetic] = dict([
    _entry(circle, "Circle", "binary", 500, "One class inside a circle, the other in a ring around it."),
    _entry(xor, "Exclusive or", "binary", 500, "Opposite quadrants share a class."),
    _entry(gaussian, "Gaussian", "binary", 500, "Two Gaussian clouds, one per class."),
    _entry(spiral, "Spiral", "binary", 500, "Two interleaved spirals, the hardest of the 2-D problems."),
    _entry(moons, "Moons", "binary", 500, "Two interlocking half circles."),
    _entry(blobs, "Blobs", "multiclass", 500, "3 to 6 Gaussian clouds, one per class.",
           uses_classes=True),
    _entry(plane, "Plane", "regression", 1200, "Regression of the tilted plane (x1 + x2) / 10."),
    _entry(multi_gaussian, "Multi Gaussian", "regression", 1200,
           "Regression of six bumps of alternating sign."),
    _entry(wave, "Wave", "regression", 30, "1-D regression of sin(x) from a few noisy points.",
           bounds=(-6.0, 6.0, -2.5, 2.5), raw_dim=1),
])
