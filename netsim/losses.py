"""Losses, as torch.nn defines them (means over the batch), computed from the output layer's
pre-activations (logits) so that they stay finite however confident the network is.

Each loss knows the output activation it pairs with and returns, beside the loss value, the
gradient with respect to the logits: the combined derivative is simple and exact
((p - y) / n for sigmoid + BCE and softmax + CE).

Shapes: logits and outputs are (batch, n_out) for one run or (runs, batch, n_out) for a stack
of runs; targets are (batch, n_out) floats (one-hot rows for softmax_crossentropy), shared by
every run or one batch per run. A loss is each run's mean over its own batch: a float for
one run, a (runs,) array for a stack.
"""
import numpy as np

from .activations import sigmoid
from .registry import Registry

LOSSES = Registry("loss")
LAST_TWO = (-2, -1)


def softmax(logits):
    """(..., k) -> (..., k) probabilities along the last axis, shifted for stability."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def _per_run_sum(a, b):
    """sum(a * b) over each run's (batch, n_out) block: a float for 2-D arrays (np.vdot,
    the one-run training step's form), a (runs,) array for stacks."""
    if a.ndim == 2 and b.ndim == 2:
        return float(np.vdot(a, b))
    return np.sum(a * b, axis=LAST_TWO)


class Loss:
    """A loss, with the output layer it pairs with and that layer's forms for the exporters:
    output_formula (as a person reads it), output_numpy_source (the .py export, which defines
    _sigmoid(z) and _softmax(z)), output_torch_module (None: no module), output_onnx_op and
    its attributes (the node that writes the graph's "output"), output_bounds ((low, high)
    of the outputs, None: unbounded)."""
    name = ""
    output_activation = ""
    output_formula = ""
    output_numpy_source = ""
    output_torch_module: str | None = None
    output_onnx_op = ""
    output_onnx_attributes: dict = {}
    output_bounds: tuple | None = None

    def outputs(self, logits):
        """What the network reports for these logits (probabilities or values)."""
        raise NotImplementedError

    def value(self, logits, targets):
        """The mean loss alone (evaluation needs no gradient)."""
        raise NotImplementedError

    def value_and_grad(self, logits, targets, outputs=None):
        """(mean loss, d loss / d logits, shaped as logits). `outputs`, if the caller has
        them, are self.outputs(logits), reused rather than recomputed."""
        raise NotImplementedError


@LOSSES.register("mse", "Mean squared error")
class MSE(Loss):
    """torch.nn.MSELoss: mean over all elements of (y_hat - y)^2, linear output."""
    output_activation = "linear"
    output_formula, output_numpy_source, output_onnx_op = "z", "z", "Identity"

    def outputs(self, logits):
        return logits

    def value(self, logits, targets):
        diff = logits - targets
        return _per_run_sum(diff, diff) / (diff.shape[-2] * diff.shape[-1])

    def value_and_grad(self, logits, targets, outputs=None):
        diff = logits - targets
        size = diff.shape[-2] * diff.shape[-1]
        return _per_run_sum(diff, diff) / size, (2.0 / size) * diff


@LOSSES.register("binary_crossentropy", "Binary cross-entropy")
class BinaryCrossEntropy(Loss):
    """torch.nn.BCELoss on sigmoid outputs, from logits: log(1 + e^z) - z*y, which is
    -y log p - (1-y) log(1-p) without ever forming log(0)."""
    output_activation = "sigmoid"
    output_formula, output_numpy_source = "1 / (1 + exp(-z))", "_sigmoid(z)"
    output_torch_module, output_onnx_op = "Sigmoid()", "Sigmoid"
    output_bounds = (0.0, 1.0)

    def outputs(self, logits):
        return sigmoid(logits)

    def value(self, logits, targets):
        size = logits.shape[-2] * logits.shape[-1]
        if logits.ndim == 2 and targets.ndim == 2:
            return float(np.logaddexp(0.0, logits).sum() - np.vdot(logits, targets)) / size
        total = np.logaddexp(0.0, logits).sum(axis=LAST_TWO) - np.sum(logits * targets,
                                                                        axis=LAST_TWO)
        return total / size

    def value_and_grad(self, logits, targets, outputs=None):
        p = sigmoid(logits) if outputs is None else outputs
        return self.value(logits, targets), (p - targets) / (logits.shape[-2] * logits.shape[-1])


@LOSSES.register("softmax_crossentropy", "Cross-entropy")
class SoftmaxCrossEntropy(Loss):
    """torch.nn.CrossEntropyLoss: mean over the batch of -sum(y * log softmax(z))."""
    output_activation = "softmax"
    output_formula, output_numpy_source = "exp(z_k) / sum_j exp(z_j)", "_softmax(z)"
    output_torch_module = "Softmax(dim=1)"
    output_onnx_op, output_onnx_attributes = "Softmax", {"axis": 1}
    output_bounds = (0.0, 1.0)

    def outputs(self, logits):
        return softmax(logits)

    @staticmethod
    def _log_probs(logits):
        shifted = logits - logits.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

    def value(self, logits, targets):
        return -_per_run_sum(targets, self._log_probs(logits)) / logits.shape[-2]

    def value_and_grad(self, logits, targets, outputs=None):
        log_probs = self._log_probs(logits)
        n = logits.shape[-2]
        loss = -_per_run_sum(targets, log_probs) / n
        return loss, (np.exp(log_probs) * targets.sum(axis=-1, keepdims=True) - targets) / n


TASK_LOSS = {"binary": "binary_crossentropy", "multiclass": "softmax_crossentropy",
             "regression": "mse"}
"""The loss (and so the output activation) each task implies."""


def loss_of_output(output: str) -> Loss:
    """The loss whose output layer is `output` ("sigmoid", "softmax", "linear")."""
    for loss in LOSSES.values():
        if loss.output_activation == output:
            return loss
    raise KeyError(f"no loss pairs with a {output!r} output layer")
