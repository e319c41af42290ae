import numpy as np
import pytest

from netsim.initializers import INITIALIZERS


@pytest.mark.parametrize("name", INITIALIZERS.names())
def test_shape_and_seeded(name):
    a = INITIALIZERS[name](7, 5, np.random.default_rng(1))
    b = INITIALIZERS[name](7, 5, np.random.default_rng(1))
    assert a.shape == (7, 5)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name,expected_std", [
    ("xavier_uniform", np.sqrt(2.0 / (300 + 200))),
    ("xavier_normal", np.sqrt(2.0 / (300 + 200))),
    ("he_uniform", np.sqrt(2.0 / 300)),
    ("he_normal", np.sqrt(2.0 / 300)),
    ("lecun_normal", np.sqrt(1.0 / 300)),
    ("normal", 1.0),
    ("uniform", np.sqrt(1.0 / 12)),
])
def test_spread_follows_torch_formulas(name, expected_std):
    w = INITIALIZERS[name](300, 200, np.random.default_rng(0))
    assert abs(w.mean()) < 0.02 * max(expected_std, 0.1)
    assert w.std() == pytest.approx(expected_std, rel=0.02)


def test_uniform_is_tf_playground_range():
    w = INITIALIZERS["uniform"](50, 50, np.random.default_rng(0))
    assert w.min() >= -0.5 and w.max() <= 0.5


def test_zeros_are_zero():
    assert not INITIALIZERS["zeros"](4, 3, np.random.default_rng(0)).any()


@pytest.mark.parametrize("shape", [(8, 3), (3, 8), (5, 5)])
def test_orthogonal_has_orthonormal_rows_or_columns(shape):
    w = INITIALIZERS["orthogonal"](*shape, np.random.default_rng(0))
    small = min(shape)
    gram = w.T @ w if shape[0] >= shape[1] else w @ w.T
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-12)
