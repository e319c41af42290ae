"""make_dataset: the one entry point that builds any data set by name; the DATASETS registry."""

import numbers
from pathlib import Path

import numpy as np

from netsim.datasets.bundled import BUNDLED, load_bundled
from netsim.datasets.csv_loader import TASKS, load_csv
from netsim.datasets.dataset import Dataset, DatasetInfo
from netsim.datasets.features import apply_features, select_features
from netsim.datasets.split import split_indices
from netsim.datasets.synthetic import SYNTHETIC
from netsim.errors import DataError

CSV = "csv"            # make_dataset's name for the user's file (path=); not in DATASETS
DATASETS: dict[str, DatasetInfo] = {
    **{name: entry.info for name, entry in SYNTHETIC.items()},
    **{name: entry.info for name, entry in BUNDLED.items()},
}
N_RANGE = (4, 100_000)
NOISE_RANGE = (0.0, 0.5)
TRAIN_FRACTION_RANGE = (0.1, 0.9)
CLASSES_RANGE = (3, 6)
PLOT_MARGIN = 0.05     # fraction of a real column's range added on each side of the plane


def make_dataset(name: str, *, n: int | None = None, noise: float = 0.0,
                 train_fraction: float = 0.5, features=("x1", "x2"), seed: int = 0,
                 standardize: bool | None = None, classes: int = 3, path=None,
                 target: str | None = None, task: str = "auto") -> Dataset:
    """Build the data set `name`: a key of DATASETS, or "csv" to load the file at `path`.

    n: points of a synthetic set, 4..100000; None for its default (DATASETS[name].default_n).
    noise: 0..0.5, TensorFlow Playground's 0..50 %; each generator's docstring says what it does.
    train_fraction: share of the rows that go to training, 0.1..0.9; the split is seeded and,
        for classification, stratified.
    features: names from FEATURES computed from x1, x2 as the model inputs of synthetic data;
        for the 1-D wave those using x2 are left out.
    seed: seeds the generator and the split: the same arguments give the same data.
    standardize: z-score the model inputs with the training split's mean and standard deviation;
        None means no for synthetic data (as Playground), yes for bundled and CSV data.
    classes: classes of "blobs", 3..6.
    path, target, task: the CSV file, its target column (None: the last) and "auto",
        "classification" or "regression"; see load_csv.

    Bundled and CSV data use all their rows and their columns as inputs: they ignore n, noise,
    features and classes (which are still checked). Raises DataError for anything wrong.
    """
    _check_arguments(name, n, noise, train_fraction, features, seed, standardize, classes, task)
    if name in SYNTHETIC:
        return _synthetic(name, n, noise, train_fraction, features, seed, standardize, classes)
    common = {"train_fraction": train_fraction, "seed": seed,
              "standardize": True if standardize is None else standardize}
    if name in BUNDLED:
        return _real(name, DATASETS[name].title, load_bundled(name), BUNDLED[name].plane_axes,
                     {"name": name, **common})
    if name == CSV:
        if path is None:
            raise DataError("data set 'csv' needs the CSV file to load: csv_path in a config "
                            "(path= when calling make_dataset)")
        loaded = load_csv(path, target=target, task=task)
        recipe = {"name": CSV, "path": str(Path(path).resolve()), "target": target, "task": task,
                  **common}
        return _real(CSV, Path(path).name, loaded, (0, 1), recipe)
    raise DataError(f"unknown data set {name!r}; known data sets: {', '.join(DATASETS)}, "
                    f"and {CSV!r} for a CSV file of your own (csv_path in a config)")


def _check_number(label, value, low, high, integer=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
        what = "an integer" if integer else "a number"
        raise DataError(f"{label} must be {what} from {low} to {high}, got {value!r}")


def _check_arguments(name, n, noise, train_fraction, features, seed, standardize, classes, task):
    if not isinstance(name, str):
        raise DataError(f"data set name must be a string, got {name!r}")
    if n is not None:
        _check_number("n", n, *N_RANGE, integer=True)
    _check_number("noise", noise, *NOISE_RANGE)
    _check_number("train_fraction", train_fraction, *TRAIN_FRACTION_RANGE)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise DataError(f"seed must be a non-negative integer, got {seed!r}")
    if standardize is not None and not isinstance(standardize, bool):
        raise DataError(f"standardize must be true, false or None (the data set's default), "
                        f"got {standardize!r}")
    _check_number("classes", classes, *CLASSES_RANGE, integer=True)
    if task not in TASKS:
        raise DataError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    select_features(features, 2)


def _synthetic(name, n, noise, train_fraction, features, seed, standardize, classes) -> Dataset:
    entry = SYNTHETIC[name]
    info = entry.info
    n = info.default_n if n is None else int(n)
    if entry.uses_classes and n < 2 * classes:
        raise DataError(f"n must be at least {2 * classes} for {classes} classes (2 per class), got {n}")
    rng = np.random.default_rng(int(seed))
    extra = {"classes": int(classes)} if entry.uses_classes else {}
    raw, y = entry.generate(n, float(noise), rng, **extra)
    transforms = select_features(features, info.raw_dim)
    class_names = {"binary": ("0", "1"), "multiclass": tuple(str(k) for k in range(classes)),
                   "regression": ()}[info.task]
    recipe = {"name": name, "n": n, "noise": float(noise), "train_fraction": float(train_fraction),
              "features": list(transforms), "seed": int(seed), "standardize": bool(standardize),
              **extra}
    ranges = np.array([entry.bounds[:2], entry.bounds[2:]][:info.raw_dim])
    return _assemble(
        name=name, title=info.title + (f" ({classes} classes)" if extra else ""), task=info.task,
        raw=raw, y=y, rng=rng, train_fraction=train_fraction, transforms=transforms,
        raw_names=("x1", "x2")[:info.raw_dim], class_names=class_names,
        standardize=bool(standardize), bounds=entry.bounds,
        plane_axes=(0, 1) if info.raw_dim == 2 else (0, 0), raw_ranges=ranges, recipe=recipe)


def _with_margin(values: np.ndarray) -> np.ndarray:
    """(k, 2) [low, high] plotting range of each column of values (n, k), widened a little."""
    low, high = values.min(axis=0), values.max(axis=0)
    margin = np.where(high > low, (high - low) * PLOT_MARGIN, 1.0)
    return np.column_stack([low - margin, high + margin])


def _real(name, title, loaded, plane_axes, recipe) -> Dataset:
    raw, y, raw_names, class_names, task = loaded
    ranges = _with_margin(raw)
    if raw.shape[1] == 1:
        plane_axes = (0, 0)
        y_range = _with_margin(y[:, None])[0] if task == "regression" else (-0.1, 1.1)
        bounds = (*ranges[0], *y_range)
    else:
        bounds = (*ranges[plane_axes[0]], *ranges[plane_axes[1]])
    return _assemble(
        name=name, title=title, task=task, raw=raw, y=y,
        rng=np.random.default_rng(recipe["seed"]), train_fraction=recipe["train_fraction"],
        transforms=(), raw_names=raw_names, class_names=class_names,
        standardize=recipe["standardize"], bounds=tuple(float(b) for b in bounds),
        plane_axes=plane_axes, raw_ranges=ranges, recipe=recipe)


def _assemble(*, name, title, task, raw, y, rng, train_fraction, transforms, raw_names,
              class_names, standardize, bounds, plane_axes, raw_ranges, recipe) -> Dataset:
    """Split, transform and standardise raw (n, raw_dim) and y (n,) into a Dataset."""
    train, test = split_indices(y, task != "regression", train_fraction, rng)
    inputs = apply_features(transforms, raw) if transforms else raw      # (n, input_dim)
    if standardize:
        mean = inputs[train].mean(axis=0)
        std = inputs[train].std(axis=0)
        std = np.where(std > 0, std, 1.0)        # a constant column is only centred
    else:
        mean, std = np.zeros(inputs.shape[1]), np.ones(inputs.shape[1])
    model_inputs = (inputs - mean) / std
    y = y.astype(np.float64 if task == "regression" else np.int64)
    return Dataset(
        name=name, title=title, task=task,
        X_train=model_inputs[train], y_train=y[train], X_test=model_inputs[test], y_test=y[test],
        feature_names=tuple(transforms) or tuple(raw_names), raw_names=tuple(raw_names),
        class_names=tuple(class_names), raw_train=raw[train], raw_test=raw[test],
        bounds=tuple(float(b) for b in bounds), plane_axes=plane_axes, recipe=recipe,
        transforms=tuple(transforms), feature_mean=mean, feature_std=std, raw_ranges=raw_ranges)
