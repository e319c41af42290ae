"""Five steps of each optimizer against torch.optim's documented update rules, written out."""
import numpy as np
import pytest

from netsim.optimizers import OPTIMIZERS

LR = 0.05
A = np.array([[3.0, 0.4], [0.4, 1.0]])
B = np.array([1.0, -2.0])


def gradient(p):
    """Of the quadratic 0.5 p.A.p - b.p, so the gradient depends on where the steps went."""
    return A @ p - B


def reference(name, p, steps=5):
    """torch.optim's pseudo-code (docs), default hyperparameters."""
    p = p.copy()
    buf = m = v = np.zeros_like(p)
    mu, alpha, eps, b1, b2, wd = 0.9, 0.99, 1e-8, 0.9, 0.999, 0.01
    for t in range(1, steps + 1):
        g = gradient(p)
        if name == "sgd":
            p = p - LR * g
        elif name in ("momentum", "nesterov"):
            buf = g if t == 1 else mu * buf + g
            p = p - LR * (g + mu * buf if name == "nesterov" else buf)
        elif name == "rmsprop":
            v = alpha * v + (1 - alpha) * g * g
            p = p - LR * g / (np.sqrt(v) + eps)
        else:
            if name == "adamw":
                p = p - LR * wd * p
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
            p = p - LR * m_hat / (np.sqrt(v_hat) + eps)
    return p


@pytest.mark.parametrize("name", OPTIMIZERS.names())
def test_five_steps_equal_torch_rule(name):
    start = np.array([0.7, -1.3])
    p = start.copy()
    opt = OPTIMIZERS[name](learning_rate=LR)
    for _ in range(5):
        opt.step([p], [gradient(p)])
    np.testing.assert_allclose(p, reference(name, start), rtol=0, atol=1e-10)


@pytest.mark.parametrize("name", OPTIMIZERS.names())
def test_last_updates_are_the_applied_change(name):
    p = np.array([0.7, -1.3])
    opt = OPTIMIZERS[name](learning_rate=LR)
    before = p.copy()
    opt.step([p], [gradient(p)])
    np.testing.assert_allclose(opt.last_updates[0], p - before, atol=1e-15)


def test_learning_rate_changes_live_and_keeps_state():
    p = np.array([0.7, -1.3])
    opt = OPTIMIZERS["adam"](learning_rate=LR)
    opt.step([p], [gradient(p)])
    moments = opt.state["exp_avg"][0].copy()
    opt.configure(learning_rate=0.5)
    assert opt.hyper["learning_rate"] == 0.5
    np.testing.assert_array_equal(opt.state["exp_avg"][0], moments)


def test_state_dict_round_trip_continues_identically():
    p1 = np.array([0.7, -1.3])
    a = OPTIMIZERS["adam"](learning_rate=LR)
    a.step([p1], [gradient(p1)])
    p2 = p1.copy()
    b = OPTIMIZERS["adam"](learning_rate=LR)
    b.load_state_dict(a.state_dict())
    a.step([p1], [gradient(p1)])
    b.step([p2], [gradient(p2)])
    np.testing.assert_array_equal(p1, p2)
