import numpy as np
import pytest

from netsim.activations import ACTIVATIONS

NAMES = ACTIVATIONS.names()


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-6, 6, 241) + 0.013      # avoid kinks at exactly 0
    h = 1e-6
    numeric = (act.forward(z + h) - act.forward(z - h)) / (2 * h)
    analytic = act.derivative(z, act.forward(z))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_stable_for_huge_inputs(name):
    act = ACTIVATIONS[name]
    z = np.array([-1e3, -50.0, 0.0, 50.0, 1e3])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = act.forward(z)
        d = act.derivative(z, a)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(d))


@pytest.mark.parametrize("name,z,expected", [
    ("relu", [-1.0, 2.0], [0.0, 2.0]),
    ("leaky_relu", [-1.0, 2.0], [-0.01, 2.0]),
    ("elu", [-1.0, 2.0], [np.expm1(-1.0), 2.0]),
    ("sigmoid", [0.0, 1e3], [0.5, 1.0]),
    ("softplus", [0.0, 1e3], [np.log(2.0), 1e3]),
    ("gelu", [1.0, -1.0], [0.8413447460685429, -0.15865525393145707]),
    ("silu", [1.0], [0.7310585786300049]),
])
def test_known_values(name, z, expected):
    np.testing.assert_allclose(ACTIVATIONS[name].forward(np.array(z)), expected, rtol=1e-12)
