"""Multilayer perceptrons of one architecture held as plain arrays, and the one forward and
backward pass that every run, sweep and replay goes through.

Conventions (DESIGN.md): `weights[l]` has shape (n_in, n_out) and `z = a @ W + b`; the edge
from neuron i of layer l to neuron j of layer l+1 is `weights[l][i, j]`. Layer 0 is the input.

A Network holds a stack of `runs` parameter sets, run r in row r of
    stack_flat    (runs, n_parameters)   laid out W0, b0, W1, b1 ...
and passes batches through all of them at once, np.matmul broadcasting over the runs axis
(jax.vmap's idea, in numpy). A single run is a stack of one; its arrays are 2-D views of the
same memory, and the passes use those (a 2-D product of one matrix costs less than a 3-D one):
    runs == 1:  flat (n_parameters,)      weights[l] (n_in, n_out)        biases[l] (n_out,)
    runs > 1:   flat (runs, n_parameters) weights[l] (runs, n_in, n_out)  biases[l] (runs, 1, n_out)
Inputs X are (batch, n_in), shared by every run, or (runs, batch, n_in), a batch per run; every
array of a pass then carries the runs axis first (none for one run).
"""
import copy
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .errors import ConfigError
from .initializers import INITIALIZERS
from .losses import LOSSES, loss_of_output
from .regularizers import REGULARIZERS
from .workspace import Workspace, augmented_buffers

@dataclass
class Trace:
    """The intermediate arrays of one forward and backward pass over a batch.

    For L weight layers (and a leading runs axis on every array for a stack of runs):
      activations[l]      (batch, sizes[l])    l = 0..L; activations[0] is the input batch,
                                               activations[L] the output (probabilities or values)
      pre_activations[l]  (batch, sizes[l+1])  l = 0..L-1; z of layer l+1 (logits for the last)
      deltas[l]           (batch, sizes[l+1])  d data_loss / d pre_activations[l]
      grad_weights[l]     (sizes[l], sizes[l+1]) d total loss / d weights[l] (penalty included)
      grad_biases[l]      (sizes[l+1],)        ((runs, 1, sizes[l+1]) for a stack)
      data_loss, penalty  floats; (runs,) arrays for a stack
      dropout_masks[l]    (batch, sizes[l+1]) bool for hidden layer l+1: True where a unit was
                          kept in this step; None where the layer has no dropout. A hidden
                          layer's activations are as computed, before the mask; the next layer
                          reads them masked and scaled by 1 / (1 - rate) (inverted dropout)
    """
    activations: list
    pre_activations: list
    deltas: list
    grad_weights: list
    grad_biases: list
    data_loss: float
    penalty: float
    dropout_masks: list


def _per_hidden_layer(value, hidden: int, what: str) -> list:
    """One value for every hidden layer, or a list of one each, as a list of one each."""
    values = [value] * hidden if isinstance(value, (str, int, float)) else list(value)
    if len(values) != hidden:
        raise ConfigError(f"{what} lists {len(values)} values for {hidden} hidden layers")
    return values


def is_nonzero(rate) -> bool:
    """Whether a rate (a number, or one per run) is anything but zero; np.any on a float
    costs 4 us, more than a small network's whole forward pass."""
    return bool(rate) if isinstance(rate, float) else bool(np.any(rate))


class Network:
    def __init__(self, sizes, activation="tanh", output="sigmoid", init="xavier_uniform",
                 seed=0, rng=None, bias_init=0.0, dtype="float64", runs=1, dropout=0.0):
        """`sizes` = [n_inputs, hidden..., n_outputs]; `activation` and `dropout` (rates of
        the training steps' inverted dropout) one value for every hidden layer or a list of
        one per hidden layer. A network of one run draws its weights with `init` from `rng`
        if given, else from a new Generator seeded with `seed`; a stack of runs starts at
        zero, each run then drawn by `initialize`."""
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ConfigError(f"sizes must list at least inputs and outputs, each >= 1; got {sizes}")
        outputs = [loss.output_activation for loss in LOSSES.values()]
        if output not in outputs:
            raise ConfigError(f"output must be one of {', '.join(outputs)}; got {output!r}")
        if int(runs) < 1:
            raise ConfigError(f"a network holds at least one run; got {runs}")
        self.sizes = sizes
        self.runs = int(runs)
        names = _per_hidden_layer(activation, len(sizes) - 2, "activation")
        self.activation_names = names            # one per hidden layer
        self.activations = [ACTIVATIONS.get(name, "activation") for name in names]
        self.dropout_rates = [float(rate) for rate in
                              _per_hidden_layer(dropout, len(sizes) - 2, "dropout")]
        self.output = output
        self.output_loss = loss_of_output(output)
        self.dtype = np.dtype(dtype)
        self.n_layers = len(sizes) - 1             # weight layers: hidden layers + 1
        n_parameters = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        # every parameter lives in one array; weights[l] and biases[l] are views into it, so
        # an optimizer updates them all in one pass. They are only ever changed in place, so
        # the views stay valid for the network's life.
        self._use(np.zeros((self.runs, n_parameters), dtype=self.dtype))
        if self.runs == 1:
            self.initialize(0, init, np.random.default_rng(seed) if rng is None else rng,
                            bias_init)

    def _use(self, stack_flat):
        """Make `stack_flat` this network's parameters, every other array a view into it."""
        self.stack_flat = stack_flat
        self.flat = stack_flat[0] if self.runs == 1 else stack_flat
        self.weights, self.biases = self.views(self.flat)
        self.parameters = [p for pair in zip(self.weights, self.biases) for p in pair]
        self._augmented = self.augmented(self.flat)
        self._transposed_weights = [w.swapaxes(-1, -2) for w in self.weights]

    def initialize(self, run: int, init: str, rng, bias_init: float = 0.0):
        """Draw run `run`'s weights with the initializer `init` from `rng`, layer by layer,
        and set its biases to `bias_init`."""
        init_fn = INITIALIZERS.get(init, "init")
        weights, biases = self.views(self.stack_flat[run])
        for w, b in zip(weights, biases):
            w[...] = init_fn(*w.shape, rng)
            b.fill(bias_init)

    def with_dtype(self, dtype) -> "Network":
        """A copy of this network computing in another precision (the maps the views draw
        need three digits, and float32 takes a quarter of float64's time in tanh)."""
        clone = copy.copy(self)
        clone.dtype = np.dtype(dtype)
        clone._use(self.stack_flat.astype(clone.dtype))
        return clone

    def parameter_starts(self) -> np.ndarray:
        """Index in a row of `stack_flat` where each parameter (W0, b0, W1, b1 ...) begins:
        for per-layer sums over the flat array in one np.add.reduceat."""
        sizes = [size for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
                 for size in (n_in * n_out, n_out)]
        return np.cumsum([0] + sizes[:-1])

    def views(self, flat) -> tuple[list, list]:
        """(weights, biases): views shaped as this network's into `flat`, an array laid out as
        a row of `stack_flat` (n_parameters,), or as the stack (runs, n_parameters)."""
        lead = flat.shape[:-1]
        bias_shape = (1,) if lead else ()
        weights, biases, start = [], [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            weights.append(flat[..., start:start + n_in * n_out].reshape(*lead, n_in, n_out))
            start += n_in * n_out
            biases.append(flat[..., start:start + n_out].reshape(*lead, *bias_shape, n_out))
            start += n_out
        return weights, biases

    def augmented(self, flat) -> list:
        """[W; b] of every layer as one (n_in + 1, n_out) view into `flat` (with the runs
        axis of `flat` first, if any): a layer's biases follow its weights in the flat layout,
        so together they are one matrix."""
        lead = flat.shape[:-1]
        stacks, start = [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            stacks.append(flat[..., start:start + (n_in + 1) * n_out].reshape(
                *lead, n_in + 1, n_out))
            start += (n_in + 1) * n_out
        return stacks

    def workspace(self, rows: int) -> Workspace:
        """Arrays for passes over up to `rows` rows, to reuse from one call to the next."""
        return Workspace(self, rows)

    def forward_all(self, X, workspace: Workspace | None = None, outputs: bool = True,
                    dropout: list | None = None):
        """(pre_activations, activations) of every layer for inputs X (module docstring).
        With a workspace, the arrays returned are its own, overwritten by its next use.
        With outputs False the last activations are None: the logits were all that was wanted.
        dropout: for training steps, per hidden layer the kept units' scale (0, or 1 / (1 -
        rate)), shaped as the layer's activations, or None for a layer without dropout."""
        a = np.asarray(X, dtype=self.dtype)
        if self.runs == 1 and a.ndim == 3:
            a = a[0]
        rows = a.shape[-2]
        last = self.n_layers - 1
        if workspace is None:                       # fresh arrays
            lead = () if self.runs == 1 else (self.runs,)
            z_out = [None] * self.n_layers
            a_ones = augmented_buffers(lead, rows, self.sizes[1:-1], self.dtype)
            a_out = [buffer[..., :-1] for buffer in a_ones]
        else:
            z_out, a_out, a_ones, _, _ = workspace.leading(rows)
        activations, pre_activations = [a], []
        for l in range(self.n_layers):
            if l:                                   # [a, 1] @ [W; b]
                z = np.matmul(a_ones[l - 1], self._augmented[l], out=z_out[l])
            else:
                z = np.matmul(a, self.weights[0], out=z_out[0])
                z += self.biases[0]
            if l < last:
                a = self.activations[l].forward(z, out=a_out[l])
                if a is not a_out[l]:               # an activation that made its own array
                    a_out[l][...] = a
                    a = a_out[l]
                if dropout is not None and dropout[l] is not None:
                    a = a.copy()                    # as computed; the next layer reads it
                    a_out[l] *= dropout[l]          # masked, from the [a, 1] buffer
            else:
                a = self.output_loss.outputs(z) if outputs else None
            pre_activations.append(z)
            activations.append(a)
        return pre_activations, activations

    def forward(self, X):
        """Outputs (batch, n_out): probabilities for sigmoid/softmax outputs, values for linear."""
        return self.forward_all(X)[1][-1]

    def trace(self, X, Y, loss=None, regularization="none", reg_rate=0.0,
              workspace: Workspace | None = None, dropout_masks: list | None = None) -> Trace:
        """Forward and backward pass over the batch (X, Y), keeping every intermediate array.
        With a workspace, the arrays are its own, overwritten by its next use.

        Y: (batch, n_out) targets (one-hot rows for softmax_crossentropy), or a batch per run.
        reg_rate: a number, or for a stack one per run, (runs, 1, 1).
        dropout_masks: per hidden layer, bool (batch, width) (a batch per run for a stack),
        True for the units kept, or None: inverted dropout at the rates of `dropout_rates`."""
        loss_fn = self._loss(loss)
        reg = REGULARIZERS.get(regularization, "regularization")
        X = np.asarray(X, dtype=self.dtype)
        stacked = self.runs > 1
        if not stacked and X.ndim == 3:
            X, Y = X[0], Y[0]
        rows = X.shape[-2]
        ws = workspace if workspace is not None else Workspace(self, rows)
        scales = self._dropout_scales(dropout_masks)
        pre_activations, activations = self.forward_all(X, ws, dropout=scales)
        data_loss, delta = loss_fn.value_and_grad(pre_activations[-1], np.asarray(Y, self.dtype),
                                                  activations[-1])
        n = self.n_layers
        deltas = [None] * n
        grad_weights, grad_biases, grad_augmented = ws.grad_weights, ws.grad_biases, \
            ws.grad_augmented
        _, _, _, a_ones_t, delta_out = ws.leading(rows)
        weights_t = self._transposed_weights
        penalised = regularization != "none" and is_nonzero(reg_rate)
        for l in range(n - 1, -1, -1):
            deltas[l] = delta
            if l:                                   # [a, 1].T @ delta: [dW; db] at once
                np.matmul(a_ones_t[l - 1], delta, out=grad_augmented[l])
            elif stacked:
                np.matmul(X.swapaxes(-1, -2), delta, out=grad_weights[0])
                np.add.reduce(delta, axis=-2, out=grad_biases[0], keepdims=True)
            else:
                np.matmul(X.T, delta, out=grad_weights[0])
                np.add.reduce(delta, axis=0, out=grad_biases[0])
            if penalised:
                grad_weights[l] += reg.gradient(self.weights[l], reg_rate)
            if l:
                delta = np.matmul(delta, weights_t[l], out=delta_out[l - 1])
                if scales is not None and scales[l - 1] is not None:
                    delta *= scales[l - 1]          # a dropped unit passes no gradient back
                self.activations[l - 1].backprop(delta, pre_activations[l - 1], activations[l])
        if penalised:
            rate = reg_rate if np.ndim(reg_rate) == 0 else np.reshape(reg_rate, -1)
            penalty = reg.penalty(self.weights, rate)
        else:
            penalty = 0.0 if not stacked else np.zeros(self.runs)
        return Trace(activations, pre_activations, deltas, list(grad_weights), list(grad_biases),
                     data_loss, penalty, list(dropout_masks) if dropout_masks is not None
                     else [None] * (n - 1))

    def _dropout_scales(self, masks):
        """Per hidden layer, kept units' scale 1 / (1 - rate) and 0 for dropped ones (in the
        network's dtype), from bool masks and `dropout_rates`; None where there is no mask."""
        if masks is None:
            return None
        return [None if mask is None else mask * self.dtype.type(1.0 / (1.0 - rate))
                for mask, rate in zip(masks, self.dropout_rates)]

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
                              f"use {self.output_loss.name!r}")
        return loss_fn

    # ---- one run's parameters, by hand ----------------------------------------------------

    def set_weight(self, l, i, j, value):
        """Set the weight of the edge from neuron i of layer l to neuron j of layer l+1."""
        self._check_index(l, i, j)
        self.weights[l][i, j] = self._finite(value, f"weight [{l}][{i}, {j}]")

    def set_bias(self, l, j, value):
        """Set the bias of neuron j of layer l+1."""
        self._check_index(l, 0, j)
        self.biases[l][j] = self._finite(value, f"bias [{l}][{j}]")

    def _check_index(self, l, i, j):
        if self.runs != 1:
            raise ConfigError("a stack of runs is not edited by hand; edit one run's Trainer")
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
