"""Health of a network's units and layers, computed from forward passes over the training
data: dead units, saturated units, the activations' spread, and plain verdicts."""
from dataclasses import dataclass

import numpy as np

from .network import Network
from .workspace import Workspace


def dead_units(network: Network, X: np.ndarray, workspace: Workspace | None = None) -> list:
    """dead[l]: (sizes[l],) bool for every layer l = 0..L; True for a hidden unit whose
    pre-activation is <= 0 on every row of X (a dead ReLU: no output, no gradient).
    Inputs and outputs are never dead. With a workspace, X is passed through it in chunks."""
    dead = [np.zeros(n, dtype=bool) for n in network.sizes]
    if any(a.can_die for a in network.activations):
        for l, activation in enumerate(network.activations, start=1):
            dead[l][:] = activation.can_die
        rows = workspace.rows if workspace is not None else max(1, len(X))
        for start in range(0, len(X), rows):
            pre, _ = network.forward_all(X[start:start + rows], workspace)
            keep_dead(dead[1:-1], pre[:-1])
    return dead


def keep_dead(dead: list, hidden_pre_activations: list):
    """Narrow each hidden layer's dead mask (in place) to the units whose pre-activation is
    <= 0 on every one of these rows too; the masks start all True and meet the rows in parts.
    A mask is (width,) for one run, (runs, width) for a stack (pre-activations (runs, rows,
    width))."""
    for mask, z in zip(dead, hidden_pre_activations):
        mask &= (z <= 0).all(axis=-2)


# ---- the health of each hidden layer ------------------------------------------------------
# Thresholds, each with its reason. A verdict names the layer, the likely cause and what to try.
SATURATED_SLOPE = 0.05     # a unit whose slope is under 5% of its activation's steepest passes
SATURATED_ROWS = 0.95      # back a twentieth of the gradient; when that holds for 95% of the
                           # training rows it barely learns from any of them (a saturated unit)
DEAD_WARNING = 0.25        # a quarter of a layer's units gone: the layer has visibly shrunk
SATURATED_WARNING = 0.5    # half a layer stuck at its limits: it learns at a crawl
STALLED_UPDATE_RATIO = 1e-6  # a step moves the weights by a millionth: the layer has stopped
                             # learning (healthy layers move by about 1e-3, Karpathy's rule)
WILD_UPDATE_RATIO = 0.1    # a step moves the weights by a tenth: the layer is thrown about
SAMPLE_VALUES = 4096       # activations kept per layer for its histogram


@dataclass(frozen=True)
class LayerHealth:
    """One hidden layer (neuron layer `layer`, 1-based) over the training set."""
    layer: int
    dead: float | None        # share of units whose output is 0 for every row (None: its
                              # activation's units cannot die)
    saturated: float | None   # share of saturated units (None: its activation does not saturate)
    mean: float               # of the activations over every unit and row
    std: float
    sample: np.ndarray        # (<= SAMPLE_VALUES,) activations, for a histogram


class HealthTally:
    """Sums over the training rows, chunk by chunk (the evaluation pass), of what
    LayerHealth reports."""

    def __init__(self, network: Network):
        self.activations = network.activations
        widths = network.sizes[1:-1]
        self.saturated_rows = [np.zeros(n, dtype=np.int64) for n in widths]
        self.sums = np.zeros(len(widths))
        self.squares = np.zeros(len(widths))
        self.samples = [[] for _ in widths]
        self.rows = 0

    def add(self, hidden_pre_activations: list, hidden_activations: list):
        """One chunk: per hidden layer its pre-activations and activations (rows, width)."""
        self.rows += len(hidden_activations[0]) if hidden_activations else 0
        for k, (activation, z, a) in enumerate(zip(self.activations, hidden_pre_activations,
                                                   hidden_activations)):
            self.sums[k] += float(a.sum())
            self.squares[k] += float(np.vdot(a, a))
            kept = sum(len(s) for s in self.samples[k])
            if kept < SAMPLE_VALUES:
                self.samples[k].append(a.ravel()[:SAMPLE_VALUES - kept].copy())
            if activation.steepest_slope is not None:
                flat = activation.derivative(z, a) < SATURATED_SLOPE * activation.steepest_slope
                self.saturated_rows[k] += np.count_nonzero(flat, axis=0)

    def result(self, dead: list) -> list[LayerHealth]:
        """Each hidden layer's health; `dead`: its (width,) dead-unit masks."""
        out = []
        for k, activation in enumerate(self.activations):
            width = len(self.saturated_rows[k])
            values = self.rows * width
            mean = self.sums[k] / values if values else 0.0
            std = np.sqrt(max(self.squares[k] / values - mean * mean, 0.0)) if values else 0.0
            saturated = (float(np.mean(self.saturated_rows[k] >= SATURATED_ROWS * self.rows))
                         if activation.steepest_slope is not None and self.rows else None)
            out.append(LayerHealth(
                layer=k + 1, dead=float(dead[k].mean()) if activation.can_die else None,
                saturated=saturated, mean=float(mean), std=float(std),
                sample=np.concatenate(self.samples[k]) if self.samples[k] else np.zeros(0)))
        return out


def verdicts(health: list, update_ratios: list) -> list[str]:
    """Plain sentences about what is wrong, one per sick layer at most, naming the likely
    cause and what to try. update_ratios[l]: |update| / |W| of weight layer l (None before
    a step)."""
    out = []
    for h in health:
        if h.dead is not None and h.dead >= DEAD_WARNING:
            out.append(f"layer {h.layer}: {h.dead:.0%} of units dead; try leaky ReLU, He "
                       f"initialization or a smaller learning rate")
        elif h.saturated is not None and h.saturated >= SATURATED_WARNING:
            out.append(f"layer {h.layer}: {h.saturated:.0%} saturated; try Xavier or a "
                       f"smaller initial scale")
    for l, ratio in enumerate(update_ratios):
        if ratio is None or not np.isfinite(ratio):
            continue
        if ratio < STALLED_UPDATE_RATIO:
            out.append(f"layer {l + 1}'s updates are {ratio:.0e} of its weights: it has "
                       f"stopped learning")
        elif ratio > WILD_UPDATE_RATIO:
            out.append(f"layer {l + 1}'s updates are {ratio:.0%} of its weights at each step: "
                       f"lower the learning rate")
    return out
