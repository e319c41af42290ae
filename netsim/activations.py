"""Activation functions, each beside its derivative.

`forward(z, out=None)` maps pre-activations to activations (writing into `out` where it can;
the returned array is the result); `derivative(z, a)` is da/dz elementwise, given both the
pre-activation z and the cached output a (whichever is cheaper to use); `backprop(delta, z, a)`
multiplies delta by it in place, the training step's form.
All are stable for |z| up to 1e3 and beyond: no overflow warnings, no NaN.
"""
import numpy as np

from .registry import Registry
from .special import erf

ACTIVATIONS = Registry("activation")

_INV_SQRT_2 = 0.7071067811865476
_INV_SQRT_2PI = 0.3989422804014327


def sigmoid(z, out=None):
    """Logistic function without overflow: 0.5 * (1 + tanh(z / 2))."""
    s = np.multiply(z, 0.5, out=out)
    np.tanh(s, out=s)
    s += 1.0
    s *= 0.5
    return s


class Activation:
    name = ""

    def forward(self, z, out=None):
        raise NotImplementedError

    def derivative(self, z, a):
        raise NotImplementedError

    def backprop(self, delta, z, a):
        """delta *= derivative(z, a), in place."""
        delta *= self.derivative(z, a)


@ACTIVATIONS.register("linear")
class Linear(Activation):
    def forward(self, z, out=None): return z
    def derivative(self, z, a): return np.ones_like(z)
    def backprop(self, delta, z, a): pass


@ACTIVATIONS.register("relu", "ReLU")
class ReLU(Activation):
    def forward(self, z, out=None): return np.maximum(z, 0.0, out=out)
    def derivative(self, z, a): return (z > 0).astype(z.dtype)
    def backprop(self, delta, z, a): np.multiply(delta, z > 0, out=delta)


@ACTIVATIONS.register("leaky_relu", "Leaky ReLU")
class LeakyReLU(Activation):
    slope = 0.01
    def forward(self, z, out=None): return np.where(z > 0, z, self.slope * z)
    def derivative(self, z, a): return np.where(z > 0, 1.0, self.slope).astype(z.dtype)


@ACTIVATIONS.register("elu", "ELU")
class ELU(Activation):
    alpha = 1.0
    def forward(self, z, out=None):
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def derivative(self, z, a): return np.where(z > 0, 1.0, a + self.alpha).astype(z.dtype)


@ACTIVATIONS.register("sigmoid")
class Sigmoid(Activation):
    def forward(self, z, out=None): return sigmoid(z, out)
    def derivative(self, z, a): return a * (1.0 - a)


@ACTIVATIONS.register("tanh")
class Tanh(Activation):
    def forward(self, z, out=None): return np.tanh(z, out=out)
    def derivative(self, z, a): return 1.0 - a * a

    def backprop(self, delta, z, a):
        slope = np.multiply(a, a)
        np.subtract(1.0, slope, out=slope)
        delta *= slope


@ACTIVATIONS.register("softplus")
class Softplus(Activation):
    def forward(self, z, out=None): return np.logaddexp(0.0, z).astype(z.dtype, copy=False)
    def derivative(self, z, a): return sigmoid(z)


@ACTIVATIONS.register("gelu", "GELU")
class GELU(Activation):
    """Exact GELU, z * Phi(z), as torch.nn.GELU(approximate='none')."""
    def forward(self, z, out=None): return 0.5 * z * (1.0 + erf(z * _INV_SQRT_2))

    def derivative(self, z, a):
        pdf = _INV_SQRT_2PI * np.exp(-0.5 * np.minimum(z * z, 1400.0))
        return 0.5 * (1.0 + erf(z * _INV_SQRT_2)) + z * pdf


@ACTIVATIONS.register("silu", "SiLU")
class SiLU(Activation):
    """z * sigmoid(z), as torch.nn.SiLU."""
    def forward(self, z, out=None): return z * sigmoid(z)

    def derivative(self, z, a):
        s = sigmoid(z)
        return s * (1.0 + z * (1.0 - s))


for _name, _act in ACTIVATIONS.items():
    _act.name = _name
