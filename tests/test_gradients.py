"""Analytic gradients of Network.loss_and_gradients against central finite differences."""
import zlib

import numpy as np
import pytest

from netsim.activations import ACTIVATIONS
from netsim.network import Network
from netsim.regularizers import REGULARIZERS

# loss -> (output activation, number of outputs, target maker)
LOSS_SETUPS = {
    "mse": ("linear", 2, lambda rng, n: rng.standard_normal((n, 2))),
    "binary_crossentropy": ("sigmoid", 1, lambda rng, n: rng.integers(0, 2, (n, 1)).astype(float)),
    "softmax_crossentropy": ("softmax", 3, lambda rng, n: np.eye(3)[rng.integers(0, 3, n)]),
}


def numeric_gradient(f, array, h=1e-5):
    """Fourth-order central differences: truncation error ~h^4, so small gradients (deep
    sigmoid nets) are still resolved well beyond 1e-6 relative error."""
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        keep = array[idx]
        values = []
        for offset in (2 * h, h, -h, -2 * h):
            array[idx] = keep + offset
            values.append(f())
        array[idx] = keep
        grad[idx] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h)
    return grad


def assert_close(analytic, numeric):
    """Relative error below 1e-6; a gradient that is exactly zero (a dead ReLU path) is
    compared absolutely, since differences then measure only rounding (~1e-12)."""
    error = np.linalg.norm(analytic - numeric)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    assert error <= 1e-6 * scale or error < 1e-10, f"relative error {error / scale:.3g}"


def away_from_kinks(net, X, margin=1e-3):
    """Rows of X whose hidden pre-activations all lie farther than `margin` from 0, so the
    finite-difference stencil never straddles a ReLU kink."""
    pre, _ = net.forward_all(X)
    clear = np.ones(len(X), dtype=bool)
    for z in pre[:-1]:
        clear &= (np.abs(z) > margin).all(axis=1)
    return X[clear]


@pytest.mark.parametrize("regularization", REGULARIZERS.names())
@pytest.mark.parametrize("loss", list(LOSS_SETUPS))
@pytest.mark.parametrize("activation", ACTIVATIONS.names())
def test_gradients_match_finite_differences(activation, loss, regularization, extra_seed=0):
    seed = zlib.crc32(f"{activation}/{loss}/{regularization}".encode()) + extra_seed
    rng = np.random.default_rng(seed)
    output, n_out, make_targets = LOSS_SETUPS[loss]
    hidden = list(rng.integers(2, 5, size=rng.integers(1, 4)))
    net = Network([3, *hidden, n_out], activation=activation, output=output,
                  init="xavier_normal", seed=seed)
    for w in net.weights:          # keep L1's kink at 0 out of the finite-difference stencil
        w[np.abs(w) < 0.01] += 0.02
    for b in net.biases:
        b[...] = rng.normal(0, 0.3, b.shape)
    X = away_from_kinks(net, rng.standard_normal((60, 3)))[:7]
    Y = make_targets(rng, len(X))
    kwargs = dict(loss=loss, regularization=regularization, reg_rate=0.05)

    def total_loss():
        data_loss, penalty, _, _ = net.loss_and_gradients(X, Y, **kwargs)
        return data_loss + penalty

    _, _, dW, db = net.loss_and_gradients(X, Y, **kwargs)
    for l in range(net.n_layers):
        assert_close(dW[l], numeric_gradient(total_loss, net.weights[l]))
        assert_close(db[l], numeric_gradient(total_loss, net.biases[l]))


def test_losses_match_torch_definitions():
    net = Network([2, 1], activation="tanh", output="sigmoid", seed=0)
    net.weights[0][...] = [[1.0], [-2.0]]
    net.biases[0][...] = [0.5]
    X = np.array([[1.0, 1.0], [0.0, 2.0]])
    Y = np.array([[1.0], [0.0]])
    p = 1 / (1 + np.exp(-np.array([-0.5, -3.5])))
    expected = -np.mean([np.log(p[0]), np.log(1 - p[1])])
    data_loss, penalty, _, _ = net.loss_and_gradients(X, Y)
    assert data_loss == pytest.approx(expected, rel=1e-12)
    assert penalty == 0.0


def test_penalties_follow_design_definitions():
    w = [np.array([[1.0, -2.0]]), np.array([[3.0]])]
    assert REGULARIZERS["l1"].penalty(w, 0.1) == pytest.approx(0.1 * 6)
    assert REGULARIZERS["l2"].penalty(w, 0.1) == pytest.approx(0.05 * 14)
    assert REGULARIZERS["elastic_net"].penalty(w, 0.1) == pytest.approx(0.1 * (3 + 3.5))


def test_confident_wrong_predictions_give_finite_loss_and_gradients():
    net = Network([1, 3], activation="relu", output="softmax", seed=0)
    net.weights[0][...] = [[1e3, -1e3, 0.0]]
    data_loss, _, dW, db = net.loss_and_gradients(np.array([[1.0]]), np.array([[0.0, 1.0, 0.0]]))
    assert data_loss == pytest.approx(2e3)
    assert np.all(np.isfinite(dW[0])) and np.all(np.isfinite(db[0]))
