"""Activation functions, each one entry: its numpy function beside its derivative, and every
form the rest of the program needs, so that adding an activation is one entry plus its test
row (the exporters, the panels and the explanations iterate this registry).

  forward(z, out=None)   activations from pre-activations (writing into `out` where it can;
                         the returned array is the result)
  derivative(z, a)       da/dz elementwise, from the pre-activation z and the cached output a
                         (whichever is cheaper to use)
  backprop(delta, z, a)  delta *= derivative(z, a), in place: the training step's form
  formula                what it computes from z, as a person reads it ("max(z, 0)")
  derivative_formula     its derivative, the same way
  numpy_source           the same as a numpy expression of z, for the .py export (whose module
                         defines the helpers _sigmoid(z) and _erf(z))
  torch_module           the torch.nn module equal to it, for the .safetensors export
  onnx(graph, x, prefix) ONNX nodes computing it, added to netsim.io.onnx_export's graph
  bounds                 (low, high) of its outputs when bounded (None: unbounded), for views
  can_die                whether a unit can stop for good: zero output and zero gradient on
                         every input (a ReLU pushed below zero)
  steepest_slope         the largest derivative of an activation that flattens at both ends
                         (sigmoid, tanh), against which a unit counts as saturated; None else

All are stable for |z| up to 1e3 and beyond: no overflow warnings, no NaN. Shapes are free:
a pass of one run or of a stack of runs is elementwise alike.
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
    formula = ""
    derivative_formula = ""
    numpy_source = ""
    torch_module = ""
    onnx_op = ""                  # the one ONNX operator computing it, if one does
    onnx_attributes: dict = {}
    bounds: tuple | None = None
    can_die = False
    steepest_slope: float | None = None

    def forward(self, z, out=None):
        raise NotImplementedError

    def derivative(self, z, a):
        raise NotImplementedError

    def backprop(self, delta, z, a):
        """delta *= derivative(z, a), in place."""
        delta *= self.derivative(z, a)

    def onnx(self, graph, x: str, prefix: str) -> str:
        """Add to `graph` the nodes computing this activation of the tensor named `x`;
        returns the name of their output. graph.node(op, inputs, name, **attributes) adds a
        node, graph.scalar(name, value) a float constant."""
        return graph.node(self.onnx_op, [x], f"{prefix}_a", **self.onnx_attributes)


@ACTIVATIONS.register("linear")
class Linear(Activation):
    formula, derivative_formula = "z", "1"
    numpy_source, torch_module = "z", "Identity()"

    def forward(self, z, out=None): return z
    def derivative(self, z, a): return np.ones_like(z)
    def backprop(self, delta, z, a): pass
    def onnx(self, graph, x, prefix): return x


@ACTIVATIONS.register("relu", "ReLU")
class ReLU(Activation):
    formula, derivative_formula = "max(z, 0)", "1 if z > 0 else 0"
    numpy_source, torch_module, onnx_op = "np.maximum(z, 0.0)", "ReLU()", "Relu"
    can_die = True

    def forward(self, z, out=None): return np.maximum(z, 0.0, out=out)
    def derivative(self, z, a): return (z > 0).astype(z.dtype)
    def backprop(self, delta, z, a): np.multiply(delta, z > 0, out=delta)


@ACTIVATIONS.register("leaky_relu", "Leaky ReLU")
class LeakyReLU(Activation):
    slope = 0.01                  # torch.nn.LeakyReLU's default negative_slope
    formula = f"z if z > 0 else {slope:g} * z"
    derivative_formula = f"1 if z > 0 else {slope:g}"
    numpy_source = f"np.where(z > 0, z, {slope!r} * z)"
    torch_module = f"LeakyReLU({slope!r})"
    onnx_op, onnx_attributes = "LeakyRelu", {"alpha": slope}

    def forward(self, z, out=None): return np.where(z > 0, z, self.slope * z)
    def derivative(self, z, a): return np.where(z > 0, 1.0, self.slope).astype(z.dtype)


@ACTIVATIONS.register("elu", "ELU")
class ELU(Activation):
    alpha = 1.0                   # torch.nn.ELU's default
    formula = f"z if z > 0 else {alpha:g} * (exp(z) - 1)"
    derivative_formula = f"1 if z > 0 else a + {alpha:g}"
    numpy_source = f"np.where(z > 0, z, {alpha!r} * np.expm1(np.minimum(z, 0.0)))"
    torch_module = f"ELU(alpha={alpha!r})"
    onnx_op, onnx_attributes = "Elu", {"alpha": alpha}

    def forward(self, z, out=None):
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def derivative(self, z, a): return np.where(z > 0, 1.0, a + self.alpha).astype(z.dtype)


@ACTIVATIONS.register("sigmoid")
class Sigmoid(Activation):
    formula, derivative_formula = "1 / (1 + exp(-z))", "a * (1 - a)"
    numpy_source, torch_module, onnx_op = "_sigmoid(z)", "Sigmoid()", "Sigmoid"
    bounds, steepest_slope = (0.0, 1.0), 0.25

    def forward(self, z, out=None): return sigmoid(z, out)
    def derivative(self, z, a): return a * (1.0 - a)


@ACTIVATIONS.register("tanh")
class Tanh(Activation):
    formula, derivative_formula = "tanh(z)", "1 - a^2"
    numpy_source, torch_module, onnx_op = "np.tanh(z)", "Tanh()", "Tanh"
    bounds, steepest_slope = (-1.0, 1.0), 1.0

    def forward(self, z, out=None): return np.tanh(z, out=out)
    def derivative(self, z, a): return 1.0 - a * a

    def backprop(self, delta, z, a):
        slope = np.multiply(a, a)
        np.subtract(1.0, slope, out=slope)
        delta *= slope


@ACTIVATIONS.register("softplus")
class Softplus(Activation):
    formula, derivative_formula = "log(1 + exp(z))", "1 / (1 + exp(-z))"
    numpy_source = "np.logaddexp(0.0, z).astype(z.dtype, copy=False)"
    torch_module, onnx_op = "Softplus()", "Softplus"

    def forward(self, z, out=None): return np.logaddexp(0.0, z).astype(z.dtype, copy=False)
    def derivative(self, z, a): return sigmoid(z)


@ACTIVATIONS.register("gelu", "GELU")
class GELU(Activation):
    """Exact GELU, z * Phi(z), as torch.nn.GELU(approximate='none')."""
    formula = "0.5 * z * (1 + erf(z / sqrt(2)))"
    derivative_formula = "Phi(z) + z * exp(-z^2 / 2) / sqrt(2 pi)"
    numpy_source = f"0.5 * z * (1.0 + _erf(z * {_INV_SQRT_2!r}))"
    torch_module = "GELU()"

    def forward(self, z, out=None): return 0.5 * z * (1.0 + erf(z * _INV_SQRT_2))

    def derivative(self, z, a):
        pdf = _INV_SQRT_2PI * np.exp(-0.5 * np.minimum(z * z, 1400.0))
        return 0.5 * (1.0 + erf(z * _INV_SQRT_2)) + z * pdf

    def onnx(self, graph, x, prefix):
        # built from Erf: the native Gelu operator needs opset 20
        scaled = graph.node("Mul", [x, graph.scalar("inv_sqrt2", _INV_SQRT_2)], f"{prefix}_scaled")
        one_plus = graph.node("Add", [graph.node("Erf", [scaled], f"{prefix}_erf"),
                                      graph.scalar("one", 1.0)], f"{prefix}_1p")
        half_x = graph.node("Mul", [x, graph.scalar("half", 0.5)], f"{prefix}_half")
        return graph.node("Mul", [half_x, one_plus], f"{prefix}_a")


@ACTIVATIONS.register("silu", "SiLU")
class SiLU(Activation):
    """z * sigmoid(z), as torch.nn.SiLU."""
    formula, derivative_formula = "z / (1 + exp(-z))", "s * (1 + z * (1 - s)), s = sigmoid(z)"
    numpy_source, torch_module = "z * _sigmoid(z)", "SiLU()"

    def forward(self, z, out=None): return z * sigmoid(z)

    def derivative(self, z, a):
        s = sigmoid(z)
        return s * (1.0 + z * (1.0 - s))

    def onnx(self, graph, x, prefix):
        return graph.node("Mul", [x, graph.node("Sigmoid", [x], f"{prefix}_sigmoid")],
                          f"{prefix}_a")
