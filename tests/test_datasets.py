"""make_dataset as a whole: registry, split, standardisation, transform, plane grid, recipe,
bundled data and argument checking."""

import json

import numpy as np
import pytest

from netsim.datasets import CSV, DATASETS, RESOURCES_DIR, Dataset, make_dataset
from netsim.errors import ConfigError, DataError, DivergenceError, FileFormatError, NetsimError

ALL_NAMES = list(DATASETS)
BUNDLED_NAMES = [name for name, info in DATASETS.items() if info.kind == "bundled"]


def test_registry_lists_every_data_set_in_order():
    assert ALL_NAMES == ["circle", "xor", "gaussian", "spiral", "moons", "blobs", "plane",
                         "multi_gaussian", "wave", "iris", "wine", "digits"]
    for name, info in DATASETS.items():
        assert info.name == name
        assert info.kind in ("synthetic", "bundled")
        assert info.task in ("binary", "multiclass", "regression")
        assert info.title and info.description


def test_error_types_are_their_builtin_kinds():
    assert issubclass(DataError, ValueError) and issubclass(DataError, NetsimError)
    assert issubclass(ConfigError, ValueError) and issubclass(FileFormatError, ValueError)
    assert issubclass(DivergenceError, ArithmeticError) and issubclass(DivergenceError, NetsimError)


# --- split ------------------------------------------------------------------------------

@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.9])
def test_split_follows_the_train_fraction(fraction):
    data = make_dataset("plane", n=1000, train_fraction=fraction)
    assert len(data.y_train) == round(1000 * fraction) and len(data.y_test) == 1000 - len(data.y_train)


@pytest.mark.parametrize("name, kwargs", [("blobs", {"classes": 5, "n": 503}), ("iris", {}),
                                          ("wine", {}), ("digits", {})])
@pytest.mark.parametrize("fraction", [0.2, 0.7])
def test_stratified_split_keeps_class_proportions(name, kwargs, fraction):
    data = make_dataset(name, train_fraction=fraction, **kwargs)
    train_counts = np.bincount(data.y_train, minlength=len(data.class_names))
    total_counts = train_counts + np.bincount(data.y_test, minlength=len(data.class_names))
    assert np.all(np.abs(train_counts - total_counts * fraction) <= 0.5 + 1e-9)


def test_split_shuffles_classes_together():
    data = make_dataset("gaussian")
    assert 0 < data.y_train[:50].sum() < 50


def test_split_is_disjoint_and_complete():
    data = make_dataset("circle", n=200, noise=0.1)
    points = np.concatenate([data.raw_train, data.raw_test])
    assert len(np.unique(points, axis=0)) == 200


def test_different_seed_splits_real_data_differently():
    first, second = make_dataset("iris", seed=0), make_dataset("iris", seed=1)
    assert not np.array_equal(first.raw_train, second.raw_train)


# --- standardisation and transform ---------------------------------------------------------

@pytest.mark.parametrize("name", BUNDLED_NAMES)
def test_real_data_is_standardised_on_the_training_split_by_default(name):
    data = make_dataset(name)
    assert data.recipe["standardize"] is True
    varying = data.raw_train.std(axis=0) > 0
    assert np.allclose(data.X_train.mean(axis=0), 0, atol=1e-9)
    assert np.allclose(data.X_train.std(axis=0)[varying], 1)
    assert np.allclose(data.feature_mean, data.raw_train.mean(axis=0))


def test_constant_columns_are_only_centred():
    data = make_dataset("digits")
    constant = data.raw_train.std(axis=0) == 0
    assert constant.any()
    assert np.all(data.feature_std[constant] == 1) and np.all(data.X_train[:, constant] == 0)


def test_standardize_false_keeps_real_data_raw():
    data = make_dataset("wine", standardize=False)
    assert np.array_equal(data.X_train, data.raw_train)


@pytest.mark.parametrize("name, kwargs", [
    ("circle", {"features": ("x1", "x2", "x1^2", "x1*x2", "sin(x2)")}),
    ("circle", {"features": ("x1^2", "x2^2"), "standardize": True}),
    ("wave", {"features": ("x1", "sin(x1)"), "standardize": True}),
    ("iris", {}), ("digits", {}),
])
def test_transform_of_raw_points_gives_the_model_inputs(name, kwargs):
    data = make_dataset(name, **kwargs)
    assert np.array_equal(data.transform(data.raw_train), data.X_train)
    assert np.array_equal(data.transform(data.raw_test), data.X_test)


def test_transform_refuses_the_wrong_shape():
    data = make_dataset("iris")
    with pytest.raises(DataError, match=r"shape \(n, 4\)"):
        data.transform(np.zeros((3, 2)))


def test_preprocessing_is_json_and_matches_the_attributes():
    data = make_dataset("circle", features=("x1", "x1^2"), standardize=True)
    facts = json.loads(json.dumps(data.preprocessing()))
    assert facts["transforms"] == ["x1", "x1^2"] and facts["raw_names"] == ["x1", "x2"]
    assert np.allclose(facts["feature_mean"], data.feature_mean)
    assert np.allclose(facts["feature_std"], data.feature_std)


# --- plane grid ----------------------------------------------------------------------------

def test_plane_grid_is_row_major_over_the_bounds():
    data = make_dataset("xor", features=("x1", "x2", "x1*x2"))
    xs, ys, inputs = data.plane_grid(7)
    assert xs.shape == (7,) and ys.shape == (7,) and inputs.shape == (49, 3)
    assert (xs[0], xs[-1], ys[0], ys[-1]) == data.bounds
    row, column = 2, 5
    assert np.allclose(inputs[row * 7 + column], [xs[column], ys[row], xs[column] * ys[row]])


def test_plane_grid_holds_other_columns_at_their_training_mean():
    data = make_dataset("iris", standardize=False)
    xs, ys, inputs = data.plane_grid(5)
    assert inputs.shape == (25, 4) and data.plane_axes == (2, 3)
    held = [0, 1]
    assert np.allclose(inputs[:, held], data.raw_train[:, held].mean(axis=0))
    assert np.allclose(inputs[:, 2].reshape(5, 5), np.tile(xs, (5, 1)))
    assert np.allclose(inputs[:, 3].reshape(5, 5), np.tile(ys[:, None], (1, 5)))


def test_plane_grid_on_other_axes_uses_their_range():
    data = make_dataset("iris", standardize=False)
    xs, ys, inputs = data.plane_grid(4, axes=(1, 0))
    raw = np.concatenate([data.raw_train, data.raw_test])
    assert xs[0] < raw[:, 1].min() and xs[-1] > raw[:, 1].max()
    assert ys[0] < raw[:, 0].min() and ys[-1] > raw[:, 0].max()
    assert np.allclose(inputs[:, [2, 3]], data.raw_train[:, [2, 3]].mean(axis=0))


def test_plane_grid_of_standardised_data_is_transformed():
    data = make_dataset("wine")
    _, _, inputs = data.plane_grid(3)
    held = [j for j in range(data.raw_dim) if j not in data.plane_axes]
    assert np.allclose(inputs[:, held], 0, atol=1e-9)       # training means standardise to 0


def test_plane_grid_of_one_dimensional_data_is_a_line():
    data = make_dataset("wave", features=("x1", "x1^2"))
    xs, ys, inputs = data.plane_grid(11)
    assert ys is None and xs.shape == (11,) and inputs.shape == (11, 2)
    assert (xs[0], xs[-1]) == data.bounds[:2]
    assert np.allclose(inputs[:, 1], xs ** 2)


@pytest.mark.parametrize("resolution, axes", [(1, None), (2.5, None), (4, (0, 0)), (4, (0, 9))])
def test_plane_grid_refuses_bad_requests(resolution, axes):
    with pytest.raises(DataError):
        make_dataset("iris").plane_grid(resolution, axes)


def test_real_data_bounds_cover_the_plotted_columns_with_a_margin():
    data = make_dataset("iris")
    raw = np.concatenate([data.raw_train, data.raw_test])[:, list(data.plane_axes)]
    xmin, xmax, ymin, ymax = data.bounds
    assert xmin < raw[:, 0].min() and xmax > raw[:, 0].max()
    assert ymin < raw[:, 1].min() and ymax > raw[:, 1].max()
    assert xmax - xmin < 1.2 * np.ptp(raw[:, 0])


# --- the value itself ---------------------------------------------------------------------------

def test_arrays_are_read_only():
    data = make_dataset("circle")
    with pytest.raises(ValueError):
        data.X_train[0, 0] = 1.0
    with pytest.raises(ValueError):
        data.feature_mean[0] = 1.0


def test_dataset_is_frozen():
    data = make_dataset("circle")
    with pytest.raises(AttributeError):
        data.task = "regression"


@pytest.mark.parametrize("name, outputs", [("circle", 1), ("plane", 1), ("iris", 3), ("digits", 10)])
def test_n_outputs(name, outputs):
    assert make_dataset(name).n_outputs == outputs


@pytest.mark.parametrize("name, kwargs", [
    ("circle", {"noise": 0.25, "n": 77, "seed": 3, "features": ("x1", "sin(x2)")}),
    ("blobs", {"classes": 6, "train_fraction": 0.8}),
    ("wave", {"noise": 0.1}),
    ("wine", {"seed": 5, "standardize": False}),
])
def test_recipe_rebuilds_the_same_data_through_json(name, kwargs):
    data = make_dataset(name, **kwargs)
    rebuilt = make_dataset(**json.loads(json.dumps(data.recipe)))
    assert rebuilt.recipe == data.recipe
    assert np.array_equal(rebuilt.X_train, data.X_train) and np.array_equal(rebuilt.y_test, data.y_test)


def test_recipe_of_a_csv_file_rebuilds_it(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("a,b,c,label\n" + "".join(f"{k},{k * k % 7},{k % 3},{'pq'[k % 2]}\n"
                                             for k in range(40)))
    data = make_dataset(CSV, path=str(path), seed=2)
    assert data.title == "points.csv" and data.task == "binary" and data.raw_names == ("a", "b", "c")
    rebuilt = make_dataset(**json.loads(json.dumps(data.recipe)))
    assert np.array_equal(rebuilt.X_train, data.X_train)


def test_one_feature_csv_regression_plots_as_a_curve(tmp_path):
    path = tmp_path / "curve.csv"
    path.write_text("x,y\n" + "".join(f"{k},{k * 2}\n" for k in range(10)))
    data = make_dataset(CSV, path=str(path))
    assert data.raw_dim == 1 and data.plane_axes == (0, 0)
    assert data.bounds[2] < 0 and data.bounds[3] > 18
    assert data.plane_grid(5)[1] is None


# --- bundled data ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, rows, columns, classes", [("iris", 150, 4, 3), ("wine", 178, 13, 3),
                                                           ("digits", 1797, 64, 10)])
def test_bundled_data_loads_whole(name, rows, columns, classes):
    data = make_dataset(name)
    info = DATASETS[name]
    assert len(data.y_train) + len(data.y_test) == rows == info.default_n
    assert data.raw_dim == columns == info.raw_dim and len(data.class_names) == classes
    assert data.task == info.task == "multiclass"


def test_digits_classes_are_the_digits_in_order():
    assert make_dataset("digits").class_names == tuple("0123456789")


def test_bundled_files_and_their_readme_are_in_resources():
    folder = RESOURCES_DIR / "datasets"
    assert {p.name for p in folder.glob("*.csv")} >= {"iris.csv", "wine.csv", "digits.csv"}
    assert "UCI" in (folder / "README.md").read_text(encoding="utf-8")


def test_real_data_ignores_the_synthetic_settings():
    plain = make_dataset("iris")
    tuned = make_dataset("iris", n=500, noise=0.3, features=("x1", "x1^2"), classes=5)
    assert np.array_equal(plain.X_train, tuned.X_train) and plain.recipe == tuned.recipe


# --- argument checking -------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    ({"n": 3}, "n must be an integer from 4 to 100000"),
    ({"n": 100_001}, "n must be"),
    ({"n": 50.0}, "n must be"),
    ({"n": True}, "n must be"),
    ({"noise": -0.1}, "noise must be a number from 0.0 to 0.5"),
    ({"noise": 0.6}, "noise must be"),
    ({"noise": float("nan")}, "noise must be"),
    ({"train_fraction": 0.05}, "train_fraction must be a number from 0.1 to 0.9"),
    ({"train_fraction": 0.95}, "train_fraction must be"),
    ({"classes": 2}, "classes must be an integer from 3 to 6"),
    ({"classes": 7}, "classes must be"),
    ({"seed": -1}, "seed must be a non-negative integer"),
    ({"seed": "one"}, "seed must be"),
    ({"standardize": "yes"}, "standardize must be"),
    ({"features": ("x1", "x3")}, "unknown feature 'x3'; known features: x1, x2, x1\\^2"),
    ({"features": ()}, "at least one input feature"),
    ({"features": ("x1", "x1")}, "must not repeat"),
    ({"features": "x1"}, "features must be a list"),
    ({"task": "cluster"}, "task must be one of auto, classification, regression"),
])
def test_bad_arguments_raise_data_error_naming_the_argument(kwargs, match):
    with pytest.raises(DataError, match=match):
        make_dataset("blobs", **kwargs)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(DataError, match="unknown data set 'circles'; known data sets: circle, xor"):
        make_dataset("circles")


def test_csv_needs_a_path():
    with pytest.raises(DataError, match="needs the CSV file to load: csv_path"):
        make_dataset(CSV)


def test_blobs_need_two_points_per_class():
    with pytest.raises(DataError, match="at least 12"):
        make_dataset("blobs", classes=6, n=10)


def test_wave_needs_a_feature_of_x1():
    with pytest.raises(DataError, match="x1, x1\\^2, sin\\(x1\\)"):
        make_dataset("wave", features=("x2", "x2^2"))


def test_dataset_type_is_exported():
    assert isinstance(make_dataset("wave"), Dataset)
