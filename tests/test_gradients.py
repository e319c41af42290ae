"""Analytic gradients of Network.loss_and_gradients against central finite differences."""
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


def numeric_gradient(f, array, h=1e-6):
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        keep = array[idx]
        array[idx] = keep + h
        up = f()
        array[idx] = keep - h
        down = f()
        array[idx] = keep
        grad[idx] = (up - down) / (2 * h)
    return grad


def relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)


@pytest.mark.parametrize("regularization", REGULARIZERS.names())
@pytest.mark.parametrize("loss", list(LOSS_SETUPS))
@pytest.mark.parametrize("activation", ACTIVATIONS.names())
def test_gradients_match_finite_differences(activation, loss, regularization):
    seed = hash((activation, loss, regularization)) % 2**32
    rng = np.random.default_rng(seed)
    output, n_out, make_targets = LOSS_SETUPS[loss]
    hidden = list(rng.integers(2, 5, size=rng.integers(1, 4)))
    net = Network([3, *hidden, n_out], activation=activation, output=output,
                  init="xavier_normal", seed=seed)
    for w in net.weights:          # keep L1's kink at 0 out of the finite-difference stencil
        w[np.abs(w) < 0.05] += 0.1
    for b in net.biases:
        b[...] = rng.normal(0, 0.3, b.shape)
    X = rng.standard_normal((7, 3))
    Y = make_targets(rng, 7)
    kwargs = dict(loss=loss, regularization=regularization, reg_rate=0.05)

    def total_loss():
        data_loss, penalty, _, _ = net.loss_and_gradients(X, Y, **kwargs)
        return data_loss + penalty

    _, _, dW, db = net.loss_and_gradients(X, Y, **kwargs)
    for l in range(net.n_layers):
        assert relative_error(dW[l], numeric_gradient(total_loss, net.weights[l])) < 1e-6
        assert relative_error(db[l], numeric_gradient(total_loss, net.biases[l])) < 1e-6


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
