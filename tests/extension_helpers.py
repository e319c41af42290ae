"""An activation the program does not ship, added the way a contributor adds one: one entry
in netsim.activations.ACTIVATIONS. The tests that use it show that the entry alone makes it
trainable, chosen in the panel, exported to every format and read back."""
import contextlib

import numpy as np

from netsim.activations import ACTIVATIONS, Activation


class Softsign(Activation):
    """z / (1 + |z|), as torch.nn.Softsign."""
    formula, derivative_formula = "z / (1 + |z|)", "1 / (1 + |z|)^2"
    numpy_source, torch_module, onnx_op = "z / (1.0 + np.abs(z))", "Softsign()", "Softsign"
    bounds = (-1.0, 1.0)

    def forward(self, z, out=None): return np.divide(z, 1.0 + np.abs(z), out=out)
    def derivative(self, z, a): return 1.0 / (1.0 + np.abs(z)) ** 2


@contextlib.contextmanager
def softsign_registered():
    """ACTIVATIONS with "softsign" in it, for the duration of the block."""
    ACTIVATIONS.register("softsign", "Softsign")(Softsign)
    try:
        yield ACTIVATIONS["softsign"]
    finally:
        ACTIVATIONS.unregister("softsign")
