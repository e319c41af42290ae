"""The synthetic problems: shapes, balance, seeding, and the geometry each one promises."""

import numpy as np
import pytest

from netsim.datasets import DATASETS, FEATURES, make_dataset
from netsim.datasets.synthetic import SYNTHETIC

SYNTHETIC_NAMES = list(SYNTHETIC)
CLASSIFICATION = [name for name in SYNTHETIC_NAMES if DATASETS[name].task != "regression"]
SEEDS = range(5)


def all_points(data):
    """(raw (n, raw_dim), y (n,)) of train and test together."""
    return (np.concatenate([data.raw_train, data.raw_test]),
            np.concatenate([data.y_train, data.y_test]))


@pytest.mark.parametrize("name", SYNTHETIC_NAMES)
def test_default_size_and_shapes(name):
    info = DATASETS[name]
    data = make_dataset(name)
    n = info.default_n
    assert len(data.y_train) + len(data.y_test) == n
    assert data.raw_train.shape == (len(data.y_train), info.raw_dim)
    assert data.X_train.shape == (len(data.y_train), data.input_dim)
    assert data.X_test.shape == (len(data.y_test), data.input_dim)
    assert data.X_train.dtype == np.float64
    expected_dtype = np.float64 if info.task == "regression" else np.int64
    assert data.y_train.dtype == expected_dtype and data.y_test.dtype == expected_dtype


def test_default_sizes_follow_playground():
    assert {name: DATASETS[name].default_n for name in SYNTHETIC_NAMES} == {
        "circle": 500, "xor": 500, "gaussian": 500, "spiral": 500, "moons": 500, "blobs": 500,
        "plane": 1200, "multi_gaussian": 1200, "wave": 30}


@pytest.mark.parametrize("name", SYNTHETIC_NAMES)
@pytest.mark.parametrize("n", [4, 37, 1000])
def test_n_sets_the_number_of_points(name, n):
    if name == "blobs":
        n = max(n, 6)
    data = make_dataset(name, n=n)
    assert len(data.y_train) + len(data.y_test) == n


@pytest.mark.parametrize("name", SYNTHETIC_NAMES)
def test_same_seed_gives_the_same_data(name):
    first, second = make_dataset(name, noise=0.2, seed=7), make_dataset(name, noise=0.2, seed=7)
    for field in ("X_train", "y_train", "X_test", "y_test", "raw_train", "raw_test"):
        assert np.array_equal(getattr(first, field), getattr(second, field))


@pytest.mark.parametrize("name", SYNTHETIC_NAMES)
def test_different_seed_gives_different_data(name):
    first, second = make_dataset(name, noise=0.2, seed=1), make_dataset(name, noise=0.2, seed=2)
    assert not np.array_equal(first.raw_train, second.raw_train)


@pytest.mark.parametrize("name", [n for n in CLASSIFICATION if n not in ("circle", "xor")])
def test_classes_have_equal_size(name):
    _, y = all_points(make_dataset(name, n=501, noise=0.3))
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_classes_have_equal_size_without_noise(name):
    # with noise their labels are computed at a moved point, as in Playground, so some flip
    _, y = all_points(make_dataset(name, n=500))
    assert np.bincount(y).tolist() == [250, 250]


@pytest.mark.parametrize("seed", SEEDS)
def test_circle_without_noise_is_split_by_radius(seed):
    raw, y = all_points(make_dataset("circle", seed=seed))
    radius = np.hypot(raw[:, 0], raw[:, 1])
    assert np.all(radius[y == 1] <= 2.5) and np.all(radius[y == 0] >= 3.5)
    assert radius.max() <= 5.0


@pytest.mark.parametrize("seed", SEEDS)
def test_xor_without_noise_is_labelled_by_sign_product(seed):
    raw, y = all_points(make_dataset("xor", seed=seed))
    assert np.array_equal(y, (raw[:, 0] * raw[:, 1] >= 0).astype(int))
    assert np.all(np.abs(raw) >= 0.3) and np.all(np.abs(raw) <= 5.3)


@pytest.mark.parametrize("seed", SEEDS)
def test_gaussian_without_noise_is_split_by_a_line(seed):
    raw, y = all_points(make_dataset("gaussian", seed=seed))
    assert np.array_equal(y, (raw[:, 0] + raw[:, 1] > 0).astype(int))


@pytest.mark.parametrize("classes", [3, 4, 5, 6])
@pytest.mark.parametrize("seed", SEEDS)
def test_blobs_without_noise_are_labelled_by_nearest_centre(classes, seed):
    data = make_dataset("blobs", classes=classes, seed=seed)
    raw, y = all_points(data)
    centres = np.array([raw[y == k].mean(axis=0) for k in range(classes)])
    nearest = np.argmin(((raw[:, None, :] - centres) ** 2).sum(axis=2), axis=1)
    assert np.array_equal(nearest, y)
    assert data.class_names == tuple(str(k) for k in range(classes))
    assert data.n_outputs == classes


def test_spiral_arms_are_half_turns_of_each_other_without_noise():
    data = make_dataset("spiral", n=400)
    raw, y = all_points(data)
    arm_1 = raw[y == 1][np.argsort(np.hypot(*raw[y == 1].T))]
    arm_0 = raw[y == 0][np.argsort(np.hypot(*raw[y == 0].T))]
    assert np.allclose(arm_0, -arm_1)
    assert np.hypot(*raw.T).max() < 5.0


@pytest.mark.parametrize("seed", SEEDS)
def test_moons_without_noise_lie_on_their_arcs(seed):
    raw, y = all_points(make_dataset("moons", seed=seed))
    upper, lower = raw[y == 1], raw[y == 0]
    assert np.allclose(np.hypot(*(upper - [-1.5, -0.75]).T), 3.0)
    assert np.allclose(np.hypot(*(lower - [1.5, 0.75]).T), 3.0)
    assert np.all(upper[:, 1] >= -0.75 - 1e-12) and np.all(lower[:, 1] <= 0.75 + 1e-12)


def test_plane_without_noise_is_the_tilted_plane():
    raw, y = all_points(make_dataset("plane"))
    assert np.allclose(y, (raw[:, 0] + raw[:, 1]) / 10)
    assert np.all(np.abs(raw) <= 6)


def test_multi_gaussian_without_noise_takes_the_sign_of_the_nearest_bump():
    raw, y = all_points(make_dataset("multi_gaussian"))
    bumps = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1],
                      [4, -2.5, -1]])
    distance = np.hypot(raw[:, None, 0] - bumps[:, 0], raw[:, None, 1] - bumps[:, 1])
    nearest = np.argmin(distance, axis=1)
    assert np.all(np.abs(y) <= 1)
    near = distance.min(axis=1) < 2
    assert np.array_equal(np.sign(y[near]), bumps[nearest[near], 2])
    assert np.allclose(y[near], bumps[nearest[near], 2] * (1 - distance.min(axis=1)[near] / 2))
    assert np.all(y[~near] == 0)


def test_wave_without_noise_is_the_sine():
    data = make_dataset("wave")
    raw, y = all_points(data)
    assert raw.shape == (30, 1)
    assert np.allclose(y, np.sin(raw[:, 0]))
    assert np.all(np.abs(raw) <= 5)


def test_wave_noise_has_the_requested_spread():
    raw, y = all_points(make_dataset("wave", n=20000, noise=0.3))
    assert abs(np.std(y - np.sin(raw[:, 0])) - 0.3) < 0.01


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_noise_flips_labels_near_the_boundary(name):
    raw, y = all_points(make_dataset(name, seed=3, noise=0.5))
    rule = np.hypot(*raw.T) < 2.5 if name == "circle" else raw[:, 0] * raw[:, 1] >= 0
    assert 0.05 < np.mean(y != rule) < 0.5


def test_gaussian_noise_widens_the_clouds():
    def spread(noise):
        raw, y = all_points(make_dataset("gaussian", noise=noise))
        return raw[y == 1].std(axis=0).mean()

    assert abs(spread(0.0) - np.sqrt(0.5)) < 0.07
    assert abs(spread(0.5) - 2.0) < 0.2


@pytest.mark.parametrize("name", [n for n in SYNTHETIC_NAMES if n != "wave"])
def test_two_d_problems_are_plotted_on_playgrounds_square(name):
    data = make_dataset(name)
    assert data.bounds == (-6.0, 6.0, -6.0, 6.0)
    assert data.plane_axes == (0, 1)
    assert data.raw_names == ("x1", "x2")


def test_wave_plots_x_against_the_target():
    data = make_dataset("wave")
    assert data.bounds == (-6.0, 6.0, -2.5, 2.5)
    assert data.raw_dim == 1 and data.raw_names == ("x1",)


@pytest.mark.parametrize("name", SYNTHETIC_NAMES)
def test_synthetic_inputs_are_raw_by_default(name):
    data = make_dataset(name)
    assert np.array_equal(data.feature_mean, np.zeros(data.input_dim))
    assert np.array_equal(data.feature_std, np.ones(data.input_dim))
    assert np.array_equal(data.X_train, data.raw_train)


@pytest.mark.parametrize("feature", list(FEATURES))
def test_each_feature_computes_its_formula(feature):
    data = make_dataset("xor", features=(feature,))
    x1, x2 = data.raw_train.T
    expected = {"x1": x1, "x2": x2, "x1^2": x1 ** 2, "x2^2": x2 ** 2, "x1*x2": x1 * x2,
                "sin(x1)": np.sin(x1), "sin(x2)": np.sin(x2)}[feature]
    assert np.allclose(data.X_train[:, 0], expected)
    assert data.feature_names == (feature,)


def test_features_come_in_the_order_chosen():
    data = make_dataset("circle", features=("x2^2", "x1", "x1^2"))
    assert data.feature_names == ("x2^2", "x1", "x1^2") and data.input_dim == 3
    assert np.allclose(data.X_train[:, 1], data.raw_train[:, 0])


def test_feature_labels_are_printable_names():
    assert [f.label for f in FEATURES.values()] == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin(x₁)",
                                                    "sin(x₂)"]


def test_wave_leaves_out_features_of_x2():
    data = make_dataset("wave", features=("x1", "x2", "x1^2", "x1*x2", "sin(x1)"))
    assert data.feature_names == ("x1", "x1^2", "sin(x1)")
    assert data.recipe["features"] == ["x1", "x1^2", "sin(x1)"]
    assert DATASETS["wave"].features == ("x1", "x1^2", "sin(x1)")


def test_circle_with_squares_is_linearly_separable_in_feature_space():
    data = make_dataset("circle", features=("x1^2", "x2^2"))
    radius_squared = data.X_train.sum(axis=1)
    assert np.array_equal(data.y_train, (radius_squared <= 2.5 ** 2).astype(int))


def test_standardize_true_scales_synthetic_inputs_on_the_training_split():
    data = make_dataset("gaussian", standardize=True, features=("x1", "x2", "x1*x2"))
    assert np.allclose(data.X_train.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(data.X_train.std(axis=0), 1)
    assert not np.allclose(data.X_test.mean(axis=0), 0, atol=1e-12)
