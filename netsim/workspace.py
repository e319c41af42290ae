"""Arrays a network's forward and backward passes write into, reused from one batch to the next.

A training step of a wide network makes a dozen arrays of a few hundred kilobytes; allocating
them afresh each step costs page faults that, measured on the 64-256-256-10 net at batch 128,
take a third of the step. A Workspace holds them once, sized for up to `rows` rows of every
run of the network; a smaller batch uses the leading rows.

For a network of one run the arrays are (rows, width); for a stack of runs
(runs, rows, width), and the gradients are laid out as the network's `flat` either way.
"""
import numpy as np


class Workspace:
    def __init__(self, network, rows: int):
        sizes, dtype = network.sizes, network.dtype
        lead = () if network.runs == 1 else (network.runs,)
        self.rows = rows
        self.pre_activations = [np.empty((*lead, rows, n), dtype) for n in sizes[1:]]
        # hidden layers' outputs, each followed by a column of ones: [a, 1] @ [W; b] is the
        # next layer's pre-activation in one product, and [a, 1].T @ delta its whole gradient
        self.activations = augmented_buffers(lead, rows, sizes[1:-1], dtype)
        self.deltas = [np.empty((*lead, rows, n), dtype) for n in sizes[1:-1]]
        self.grad_flat = np.empty_like(network.flat)        # gradients, laid out as network.flat
        self.grad_weights, self.grad_biases = network.views(self.grad_flat)
        self.grad_augmented = network.augmented(self.grad_flat)
        self._leading: dict[int, tuple] = {}

    def leading(self, rows: int) -> tuple[list, list, list, list, list]:
        """(pre_activations, activations, activations with their column of ones, the same
        transposed, deltas) cut to their first `rows` rows; the cuts are kept, a training step
        asks for the same ones."""
        cuts = self._leading.get(rows)
        if cuts is None:
            with_ones = [a[..., :rows, :] for a in self.activations]
            cuts = self._leading[rows] = (
                [z[..., :rows, :] for z in self.pre_activations],
                [a[..., :rows, :-1] for a in self.activations],
                with_ones,
                [a.swapaxes(-1, -2) for a in with_ones],
                [d[..., :rows, :] for d in self.deltas])
        return cuts


def augmented_buffers(lead: tuple, rows: int, widths, dtype) -> list:
    """(*lead, rows, width + 1) arrays whose last column is 1."""
    buffers = [np.empty((*lead, rows, n + 1), dtype) for n in widths]
    for buffer in buffers:
        buffer[..., -1] = 1.0
    return buffers
