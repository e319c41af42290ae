"""Optimizers with torch.optim's update rules and defaults; state is kept per parameter.

An optimizer updates a list of parameter arrays in place from their gradients and keeps, for
the views, the update it just applied (`last_updates[k]`, same shape as parameter k).
Hyperparameters live in `self.hyper` and may change between steps (learning rate sliders);
the state (moments, step count) is kept.
"""
import numpy as np

from .registry import Registry

OPTIMIZERS = Registry("optimizer", instantiate=False)


class Optimizer:
    defaults: dict = {}        # hyperparameters besides the learning rate, as torch.optim
    slots: tuple = ()          # names of the per-parameter state arrays

    def __init__(self, learning_rate: float, **hyper):
        self.hyper = {"learning_rate": learning_rate, **self.defaults}
        self.configure(learning_rate=learning_rate, **hyper)
        self.t = 0                                   # steps taken
        self.state: dict[str, list[np.ndarray]] = {}  # slot -> one array per parameter
        self.last_updates: list[np.ndarray] = []

    def configure(self, **hyper):
        """Change hyperparameters live; names outside this optimizer's set are ignored."""
        for key, value in hyper.items():
            if key in self.hyper:
                self.hyper[key] = float(value)

    def step(self, params: list, grads: list):
        """One update of every parameter in place."""
        if not self.state:
            self.state = {slot: [np.zeros_like(p) for p in params] for slot in self.slots}
        self.t += 1
        updates = []
        for k in range(len(params)):
            delta = self._update(k, params[k], grads[k])
            params[k] += delta
            updates.append(delta)
        self.last_updates = updates

    def _update(self, k, p, g):
        """The change to parameter k (p is read, not written)."""
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Everything needed to continue exactly: step count and per-parameter state."""
        return {"t": self.t, "hyper": dict(self.hyper),
                "state": {slot: [a.copy() for a in arrays] for slot, arrays in self.state.items()}}

    def load_state_dict(self, d: dict):
        self.t = int(d["t"])
        self.hyper.update(d["hyper"])
        self.state = {slot: [np.array(a) for a in arrays] for slot, arrays in d["state"].items()}


@OPTIMIZERS.register("sgd", "SGD")
class SGD(Optimizer):
    def step(self, params, grads):
        """Plain SGD has no state: one fused loop, the hot path of small networks. The update
        arrays are kept and reused: a fresh one each step costs page faults on a large net."""
        self.t += 1
        scale = -self.hyper["learning_rate"]
        updates = self.last_updates
        if len(updates) != len(grads) or not all(
                u.shape == g.shape and u.dtype == g.dtype for u, g in zip(updates, grads)):
            updates = self.last_updates = [np.empty_like(g) for g in grads]
        for p, g, u in zip(params, grads, updates):
            np.multiply(g, scale, out=u)
            p += u


@OPTIMIZERS.register("momentum")
class Momentum(Optimizer):
    """torch SGD(momentum=0.9): b = mu*b + g (b = g on the first step); p -= lr*b."""
    defaults = {"momentum": 0.9}
    slots = ("buffer",)
    nesterov = False

    def _update(self, k, p, g):
        mu = self.hyper["momentum"]
        b = self.state["buffer"][k]
        if self.t == 1:
            b[...] = g
        else:
            b *= mu
            b += g
        direction = g + mu * b if self.nesterov else b
        return -self.hyper["learning_rate"] * direction


@OPTIMIZERS.register("nesterov", "Nesterov momentum")
class Nesterov(Momentum):
    """torch SGD(momentum=0.9, nesterov=True): the step uses g + mu*b."""
    nesterov = True


@OPTIMIZERS.register("rmsprop", "RMSprop")
class RMSprop(Optimizer):
    """torch RMSprop: v = alpha*v + (1-alpha)*g^2; p -= lr * g / (sqrt(v) + eps)."""
    defaults = {"alpha": 0.99, "eps": 1e-8}
    slots = ("square_avg",)

    def _update(self, k, p, g):
        alpha = self.hyper["alpha"]
        v = self.state["square_avg"][k]
        v *= alpha
        v += (1.0 - alpha) * g * g
        return -self.hyper["learning_rate"] * g / (np.sqrt(v) + self.hyper["eps"])


@OPTIMIZERS.register("adam", "Adam")
class Adam(Optimizer):
    """torch Adam: bias-corrected moments; p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)."""
    defaults = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    slots = ("exp_avg", "exp_avg_sq")

    def _adam_direction(self, k, g):
        b1, b2 = self.hyper["beta1"], self.hyper["beta2"]
        m, v = self.state["exp_avg"][k], self.state["exp_avg_sq"][k]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * g * g
        bias1 = 1.0 - b1 ** self.t
        bias2 = 1.0 - b2 ** self.t
        denom = np.sqrt(v) / np.sqrt(bias2) + self.hyper["eps"]
        return (self.hyper["learning_rate"] / bias1) * m / denom

    def _update(self, k, p, g):
        return -self._adam_direction(k, g)


@OPTIMIZERS.register("adamw", "AdamW")
class AdamW(Adam):
    """torch AdamW: decoupled decay p *= 1 - lr*wd, then the Adam step."""
    defaults = {**Adam.defaults, "weight_decay": 0.01}

    def _update(self, k, p, g):
        decay = -self.hyper["learning_rate"] * self.hyper["weight_decay"] * p
        return decay - self._adam_direction(k, g)
