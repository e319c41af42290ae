"""The Dataset value that the trainer learns from and the views draw, and the DatasetInfo entry
that describes a name in the DATASETS registry."""

from dataclasses import dataclass

import numpy as np

from netsim.datasets.features import apply_features
from netsim.errors import DataError


@dataclass(frozen=True)
class DatasetInfo:
    """What the data drop-down shows for one name that make_dataset accepts."""

    name: str                   # key in DATASETS: "circle"
    title: str                  # "Circle"
    kind: str                   # "synthetic" | "bundled"
    task: str                   # "binary" | "multiclass" | "regression"
    default_n: int              # points generated when n is None; rows of the file for bundled data
    description: str            # one sentence for a tooltip
    raw_dim: int                # raw columns: 2 for the plane problems, 1 for the wave, columns of a file
    features: tuple[str, ...]   # FEATURES that apply; () for bundled data, whose inputs are its columns


_ARRAY_FIELDS = ("X_train", "y_train", "X_test", "y_test", "raw_train", "raw_test",
                 "feature_mean", "feature_std", "raw_ranges")


@dataclass(frozen=True, eq=False)
class Dataset:
    """A train/test split ready for a network, with what is needed to draw and rebuild it.

    Build one with make_dataset. All arrays are read-only copies.
    """

    name: str                        # the make_dataset name: "circle", "iris", "csv"
    title: str                       # for people: "Circle", "Iris", "measurements.csv"
    task: str                        # "binary" | "multiclass" | "regression"
    X_train: np.ndarray              # (n_train, input_dim) float64 model inputs: transformed, standardised
    y_train: np.ndarray              # (n_train,) int64 class index, or float64 target for regression
    X_test: np.ndarray               # (n_test, input_dim) float64
    y_test: np.ndarray               # (n_test,) like y_train
    feature_names: tuple[str, ...]   # (input_dim,) names of the model inputs: ("x1", "x2", "x1^2")
    raw_names: tuple[str, ...]       # (raw_dim,) names of the raw columns: ("x1", "x2") or CSV headers
    class_names: tuple[str, ...]     # (n_classes,) for classification; () for regression
    raw_train: np.ndarray            # (n_train, raw_dim) float64 raw coordinates, row i <-> X_train[i]
    raw_test: np.ndarray             # (n_test, raw_dim) float64
    bounds: tuple[float, float, float, float]   # (xmin, xmax, ymin, ymax) of the plane; see plane_grid
    plane_axes: tuple[int, int]      # raw columns on the plane's x and y axes; (0, 0) for 1-D data
    recipe: dict                     # JSON-safe make_dataset kwargs that rebuild this data exactly
    transforms: tuple[str, ...]      # FEATURES applied to the raw columns; () = the raw columns as they are
    feature_mean: np.ndarray         # (input_dim,) subtracted from each input; zeros when not standardised
    feature_std: np.ndarray          # (input_dim,) then divided by; ones when not standardised
    raw_ranges: np.ndarray           # (raw_dim, 2) [low, high] plotting range of each raw column

    def __post_init__(self):
        for name in _ARRAY_FIELDS:
            array = np.array(getattr(self, name))
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    @property
    def input_dim(self) -> int:
        return self.X_train.shape[1]

    @property
    def raw_dim(self) -> int:
        return self.raw_train.shape[1]

    @property
    def n_outputs(self) -> int:
        """Output units: one for binary (a sigmoid) and regression, one per class otherwise."""
        return len(self.class_names) if self.task == "multiclass" else 1

    @property
    def raw_train_mean(self) -> np.ndarray:
        """(raw_dim,) mean of the training raw columns: where plane_grid holds the hidden columns."""
        return self.raw_train.mean(axis=0)

    def transform(self, raw: np.ndarray) -> np.ndarray:
        """Model inputs (n, input_dim) for raw points (n, raw_dim), exactly as for training."""
        raw = np.asarray(raw, dtype=np.float64)
        if raw.ndim != 2 or raw.shape[1] != self.raw_dim:
            raise DataError(f"transform needs raw points of shape (n, {self.raw_dim}), "
                            f"got shape {raw.shape}")
        inputs = apply_features(self.transforms, raw) if self.transforms else raw
        return (inputs - self.feature_mean) / self.feature_std

    def plane_grid(self, resolution: int, axes: tuple[int, int] | None = None):
        """Model inputs on a regular grid over the plane, for drawing the network's output.

        2-D and higher: returns (xs (resolution,), ys (resolution,), inputs (resolution²,
        input_dim)); xs spans the range of raw column axes[0] (bounds[0:2] for plane_axes), ys that
        of axes[1]; inputs[r * resolution + c] is the point (xs[c], ys[r]); raw columns off the
        plane are held at their training mean.
        1-D data: returns (xs (resolution,), None, inputs (resolution, input_dim)), a line over
        bounds[0:2]; the view plots the output against xs.
        """
        if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) \
                or resolution < 2:
            raise DataError(f"resolution must be an integer >= 2, got {resolution!r}")
        if self.raw_dim == 1:
            xs = np.linspace(self.bounds[0], self.bounds[1], resolution)
            return xs, None, self.transform(xs[:, None])
        axis_x, axis_y = self._checked_axes(axes)
        xs = np.linspace(*self.raw_ranges[axis_x], resolution)
        ys = np.linspace(*self.raw_ranges[axis_y], resolution)
        grid_x, grid_y = np.meshgrid(xs, ys)          # (resolution, resolution): [r, c] = (xs[c], ys[r])
        raw = np.tile(self.raw_train_mean, (resolution * resolution, 1))
        raw[:, axis_x] = grid_x.ravel()
        raw[:, axis_y] = grid_y.ravel()
        return xs, ys, self.transform(raw)

    def _checked_axes(self, axes) -> tuple[int, int]:
        if axes is None:
            return self.plane_axes
        valid = (len(axes) == 2 and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                                        and 0 <= a < self.raw_dim for a in axes)
                 and axes[0] != axes[1])
        if not valid:
            raise DataError(f"axes must be two different raw column indices in 0..{self.raw_dim - 1}, "
                            f"got {axes!r}")
        return int(axes[0]), int(axes[1])

    def preprocessing(self) -> dict:
        """JSON-safe description of raw -> model input, for embedding in weight exports."""
        return {
            "raw_names": list(self.raw_names),
            "transforms": list(self.transforms),
            "feature_names": list(self.feature_names),
            "feature_mean": self.feature_mean.tolist(),
            "feature_std": self.feature_std.tolist(),
            "class_names": list(self.class_names),
            "task": self.task,
        }

