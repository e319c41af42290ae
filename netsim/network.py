"""A multilayer perceptron held as plain arrays.

Conventions (DESIGN.md): `weights[l]` has shape (n_in, n_out) and `z = a @ W + b`; the edge
from neuron i of layer l to neuron j of layer l+1 is `weights[l][i, j]`. Layer 0 is the input.
"""
import copy
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .errors import ConfigError
from .initializers import INITIALIZERS
from .losses import LOSSES
from .regularizers import REGULARIZERS
from .workspace import Workspace, augmented_buffers

OUTPUT_LOSS = {"sigmoid": "binary_crossentropy", "softmax": "softmax_crossentropy", "linear": "mse"}
"""The loss each output activation pairs with (the same pairing as losses.TASK_LOSS)."""


@dataclass
class Trace:
    """The intermediate arrays of one forward and backward pass over a batch.

    For L weight layers:
      activations[l]      (batch, sizes[l])    l = 0..L; activations[0] is the input batch,
                                               activations[L] the output (probabilities or values)
      pre_activations[l]  (batch, sizes[l+1])  l = 0..L-1; z of layer l+1 (logits for the last)
      deltas[l]           (batch, sizes[l+1])  d data_loss / d pre_activations[l]
      grad_weights[l]     (sizes[l], sizes[l+1]) d total loss / d weights[l] (penalty included)
      grad_biases[l]      (sizes[l+1],)
    """
    activations: list
    pre_activations: list
    deltas: list
    grad_weights: list
    grad_biases: list
    data_loss: float
    penalty: float


class Network:
    def __init__(self, sizes, activation="tanh", output="sigmoid", init="xavier_uniform",
                 seed=0, rng=None, bias_init=0.0, dtype="float64"):
        """`sizes` = [n_inputs, hidden..., n_outputs]. Draws from `rng` if given, else from a
        new Generator seeded with `seed`."""
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ConfigError(f"sizes must list at least inputs and outputs, each >= 1; got {sizes}")
        if output not in OUTPUT_LOSS:
            raise ConfigError(f"output must be one of {', '.join(OUTPUT_LOSS)}; got {output!r}")
        self.sizes = sizes
        self.activation_name = activation
        self.activation = ACTIVATIONS.get(activation, "activation")
        self.output = output
        self.output_loss = LOSSES[OUTPUT_LOSS[output]]
        self.dtype = np.dtype(dtype)
        init_fn = INITIALIZERS.get(init, "init")
        rng = np.random.default_rng(seed) if rng is None else rng
        drawn = [init_fn(n_in, n_out, rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.n_layers = len(drawn)                 # weight layers: hidden layers + 1
        # Every parameter lives in one flat array laid out W0, b0, W1, b1 ...; weights[l] and
        # biases[l] are views into it, so an optimizer updates them all in one pass. They are
        # only ever changed in place, so the views stay valid for the network's life.
        self._use_flat(np.empty(sum(w.size + w.shape[1] for w in drawn), dtype=self.dtype))
        for mine, w in zip(self.weights, drawn):
            mine[...] = w
        for b in self.biases:
            b.fill(bias_init)

    def _use_flat(self, flat):
        """Make `flat` this network's parameters: weights, biases and stacks become its views."""
        self.flat = flat
        self.weights, self.biases = self.views(flat)
        self.parameters = [p for pair in zip(self.weights, self.biases) for p in pair]
        self._stacked = self.stacked(flat)

    def with_dtype(self, dtype) -> "Network":
        """A copy of this network computing in another precision (the maps the views draw
        need three digits, and float32 takes a quarter of float64's time in tanh)."""
        clone = copy.copy(self)
        clone.dtype = np.dtype(dtype)
        clone._use_flat(self.flat.astype(clone.dtype))
        return clone

    def parameter_starts(self) -> np.ndarray:
        """Index in `flat` where each parameter (W0, b0, W1, b1 ...) begins: for per-layer
        sums over the flat array in one np.add.reduceat."""
        return np.cumsum([0] + [p.size for p in self.parameters[:-1]])

    def views(self, flat) -> tuple[list, list]:
        """(weights, biases): views shaped as this network's into `flat`, an array laid out
        as `self.flat` (its gradients, its updates)."""
        weights, biases, start = [], [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            weights.append(flat[start:start + n_in * n_out].reshape(n_in, n_out))
            start += n_in * n_out
            biases.append(flat[start:start + n_out])
            start += n_out
        return weights, biases

    def stacked(self, flat) -> list:
        """[W; b] of every layer as one (n_in + 1, n_out) view into `flat`: a layer's biases
        follow its weights in the flat layout, so together they are one matrix."""
        stacks, start = [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            stacks.append(flat[start:start + (n_in + 1) * n_out].reshape(n_in + 1, n_out))
            start += (n_in + 1) * n_out
        return stacks

    def workspace(self, rows: int) -> Workspace:
        """Arrays for passes over up to `rows` rows, to reuse from one call to the next."""
        return Workspace(self, rows)

    def forward_all(self, X, workspace: Workspace | None = None, outputs: bool = True):
        """(pre_activations, activations) of every layer for inputs X (batch, sizes[0]).
        With a workspace, the arrays returned are its own, overwritten by its next use.
        With outputs False the last activations are None: the logits were all that was wanted."""
        a = np.asarray(X, dtype=self.dtype)
        last = self.n_layers - 1
        if workspace is None:                       # fresh arrays
            z_out = [None] * self.n_layers
            a_ones = augmented_buffers(len(a), self.sizes[1:-1], self.dtype)
            a_out = [buffer[:, :-1] for buffer in a_ones]
        else:
            z_out, a_out, a_ones, _ = workspace.leading(len(a))
        activations, pre_activations = [a], []
        hidden = self.activation.forward
        for l in range(self.n_layers):
            if l:                                   # [a, 1] @ [W; b]
                z = np.matmul(a_ones[l - 1], self._stacked[l], out=z_out[l])
            else:
                z = np.matmul(a, self.weights[0], out=z_out[0])
                z += self.biases[0]
            if l < last:
                a = hidden(z, out=a_out[l])
                if a is not a_out[l]:               # an activation that made its own array
                    a_out[l][...] = a
                    a = a_out[l]
            else:
                a = self.output_loss.outputs(z) if outputs else None
            pre_activations.append(z)
            activations.append(a)
        return pre_activations, activations

    def forward(self, X):
        """Outputs (batch, n_out): probabilities for sigmoid/softmax outputs, values for linear."""
        return self.forward_all(X)[1][-1]

    def trace(self, X, Y, loss=None, regularization="none", reg_rate=0.0,
              workspace: Workspace | None = None) -> Trace:
        """Forward and backward pass over the batch (X, Y), keeping every intermediate array.
        With a workspace, the arrays are its own, overwritten by its next use.

        Y: (batch, n_out) targets (one-hot rows for softmax_crossentropy)."""
        loss_fn = self._loss(loss)
        reg = REGULARIZERS.get(regularization, "regularization")
        X = np.asarray(X, dtype=self.dtype)
        rows = len(X)
        ws = workspace if workspace is not None else Workspace(self, rows)
        pre_activations, activations = self.forward_all(X, ws)
        data_loss, delta = loss_fn.value_and_grad(pre_activations[-1], np.asarray(Y, self.dtype),
                                                  activations[-1])
        n = self.n_layers
        deltas = [None] * n
        grad_weights, grad_biases = ws.grad_weights, ws.grad_biases
        _, _, a_ones, delta_out = ws.leading(rows)
        penalised = bool(reg_rate) and regularization != "none"
        backprop = self.activation.backprop
        for l in range(n - 1, -1, -1):
            deltas[l] = delta
            if l:                                   # [a, 1].T @ delta: [dW; db] at once
                np.matmul(a_ones[l - 1].T, delta, out=ws.grad_stacked[l])
            else:
                np.matmul(X.T, delta, out=grad_weights[0])
                np.add.reduce(delta, axis=0, out=grad_biases[0])
            if penalised:
                grad_weights[l] += reg.gradient(self.weights[l], reg_rate)
            if l:
                delta = np.matmul(delta, self.weights[l].T, out=delta_out[l - 1])
                backprop(delta, pre_activations[l - 1], activations[l])
        penalty = reg.penalty(self.weights, reg_rate) if reg_rate else 0.0
        return Trace(activations, pre_activations, deltas, list(grad_weights), list(grad_biases),
                     data_loss, penalty)

    def loss_and_gradients(self, X, Y, loss=None, regularization="none", reg_rate=0.0):
        """(data_loss, penalty, dW, db): mean loss over the batch, the weight penalty, and the
        gradients of their sum with respect to weights[l] and biases[l]."""
        t = self.trace(X, Y, loss, regularization, reg_rate)
        return t.data_loss, t.penalty, t.grad_weights, t.grad_biases

    def _loss(self, loss):
        if loss is None:
            return self.output_loss
        loss_fn = LOSSES.get(loss, "loss")
        if loss_fn is not self.output_loss:
            raise ConfigError(f"loss {loss!r} does not fit the {self.output} output layer; "
                              f"use {OUTPUT_LOSS[self.output]!r}")
        return loss_fn

    def set_weight(self, l, i, j, value):
        """Set the weight of the edge from neuron i of layer l to neuron j of layer l+1."""
        self._check_index(l, i, j)
        self.weights[l][i, j] = self._finite(value, f"weight [{l}][{i}, {j}]")

    def set_bias(self, l, j, value):
        """Set the bias of neuron j of layer l+1."""
        self._check_index(l, 0, j)
        self.biases[l][j] = self._finite(value, f"bias [{l}][{j}]")

    def _check_index(self, l, i, j):
        if not (0 <= l < self.n_layers and 0 <= i < self.sizes[l] and 0 <= j < self.sizes[l + 1]):
            raise ConfigError(f"no edge ({l}, {i}, {j}) in a network of sizes {self.sizes}")

    @staticmethod
    def _finite(value, what):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{what} must be a number; got {value!r}") from None
        if not np.isfinite(value):
            raise ConfigError(f"{what} must be finite; got {value}")
        return value

    def copy_parameters(self):
        """(weights, biases) as independent copies."""
        return [w.copy() for w in self.weights], [b.copy() for b in self.biases]

    def load_parameters(self, weights, biases):
        """Copy arrays of matching shapes into this network (in place, so views keep references)."""
        for mine, new in zip(self.weights + self.biases, list(weights) + list(biases)):
            mine[...] = new
