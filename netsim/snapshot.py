"""What the views draw: a plain, immutable copy of a run's state at one moment.

The UI's controller makes one with `take_snapshot(trainer)` at most ~30 times a second and
hands it to every view; views never call the trainer. Everything here is numpy; computing
the maps over the input plane is the engine's work, not the views'.
"""
import weakref
from dataclasses import dataclass

import numpy as np

from .config import Config
from .run_stack import quiet_numbers
from .trainer import Metrics, Trainer
from .workspace import Workspace

NEAR_ZERO = 0.01     # |w| below this counts as a connection that contributes (almost) nothing
MAP_DTYPE = "float32"   # the maps over the plane become colours of 256 levels: float32 is ample
# each trainer's arrays for the maps' forward pass, kept from one snapshot to the next: made
# afresh, they cost half of that pass on the 8 x 32 net (page faults, measured)
_map_workspaces: "weakref.WeakKeyDictionary[Trainer, Workspace]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class LayerSummary:
    """One weight layer (edges from layer l to l+1)."""
    weight_norm: float            # Frobenius norm of weights[l]
    mean_abs_weight: float
    near_zero_fraction: float     # fraction of |w| < NEAR_ZERO
    grad_norm: float | None       # of the last step's gradient; None before the first step
    update_ratio: float | None    # |last update| / |weights|


@dataclass(frozen=True)
class PlaneMaps:
    """Every neuron's output over the input plane (or line, for 1-D data).

    xs: (res,) plane x coordinates (raw units of raw column axes[0])
    ys: (res,) plane y coordinates, or None for 1-D data
    maps[l]: layer l = 0 (inputs after transforms) .. L (outputs):
             (sizes[l], res, res) for 2-D data, row r at ys[r], column c at xs[c];
             (sizes[l], res) for 1-D data.
    """
    xs: np.ndarray
    ys: np.ndarray | None
    axes: tuple
    maps: list


@dataclass(frozen=True)
class Snapshot:
    step: int
    epoch: int
    examples_seen: int
    config: Config
    task: str                       # "binary" | "multiclass" | "regression"
    sizes: tuple                    # (n_inputs, hidden..., n_outputs)
    feature_names: tuple            # names of the n_inputs model inputs
    class_names: tuple              # () for regression
    weights: list                   # weights[l]: (sizes[l], sizes[l+1]) copies
    biases: list                    # biases[l]: (sizes[l+1],)
    grad_weights: list | None       # of the last step; None before the first
    grad_biases: list | None
    update_weights: list | None     # the change the last step applied
    update_biases: list | None
    metrics: Metrics
    layers: list                    # LayerSummary per weight layer
    dead_units: list                # dead_units[l]: (sizes[l],) bool for l = 0..L (inputs/outputs never dead)
    plane: PlaneMaps | None
    learning_rate: float = 0.0      # the rate the schedule gives this epoch
    dropped_units: list | None = None  # per hidden layer k (neuron layer k + 1): (width,) bool,
                                    # the units dropout switched off for the last step's first
                                    # example; None for a layer without dropout, and None
                                    # before a step with dropout
    kept_units: list | None = None  # the same layers: (width,) share of the last step's batch
                                    # that kept each unit
    layer_health: list = ()         # diagnostics.LayerHealth of each hidden layer
    verdicts: tuple = ()            # plain sentences about sick layers


def plane_maps(trainer: Trainer, resolution: int, axes=None) -> PlaneMaps:
    """Every neuron's output over the data set's plotting plane (other inputs at their mean)."""
    xs, ys, inputs = trainer.dataset.plane_grid(resolution, axes)
    network = trainer.network.with_dtype(MAP_DTYPE)
    workspace = _map_workspaces.get(trainer)
    if workspace is None or workspace.rows != len(inputs) \
            or [z.shape[1] for z in workspace.pre_activations] != list(network.sizes[1:]):
        workspace = _map_workspaces[trainer] = network.workspace(len(inputs))
    _, activations = network.forward_all(inputs, workspace)
    shape = (resolution,) if ys is None else (resolution, resolution)
    # copies out of the workspace, seen neuron-first: a transposed view, not a transposed copy
    maps = [a.copy().T.reshape(a.shape[1], *shape) for a in activations]
    return PlaneMaps(xs, ys, tuple(axes or trainer.dataset.plane_axes), maps)


def layer_summaries(trainer: Trainer) -> list:
    grads = trainer.last_gradients[0] if trainer.last_gradients else None
    updates = trainer.last_updates[0] if trainer.last_updates else None
    out = []
    for l, w in enumerate(trainer.network.weights):
        norm = float(np.linalg.norm(w))
        out.append(LayerSummary(
            weight_norm=norm, mean_abs_weight=float(np.abs(w).mean()),
            near_zero_fraction=float((np.abs(w) < NEAR_ZERO).mean()),
            grad_norm=None if grads is None else float(np.linalg.norm(grads[l])),
            update_ratio=None if updates is None or norm == 0
            else float(np.linalg.norm(updates[l]) / norm)))
    return out


def _copies(arrays):
    return None if arrays is None else [a.copy() for a in arrays]


def take_snapshot(trainer: Trainer, resolution: int = 40, axes=None) -> Snapshot:
    """A snapshot of the run; `resolution` points per side of the neuron maps (0: none)."""
    with quiet_numbers():                 # weights on their way to diverging overflow here too
        return _snapshot(trainer, resolution, axes)


def _snapshot(trainer: Trainer, resolution: int, axes) -> Snapshot:
    ds, net = trainer.dataset, trainer.network
    grads = trainer.last_gradients or (None, None)
    updates = trainer.last_updates or (None, None)
    return Snapshot(
        step=trainer.step_count, epoch=trainer.epoch, examples_seen=trainer.examples_seen,
        config=trainer.config, task=ds.task, sizes=tuple(net.sizes),
        feature_names=tuple(ds.feature_names), class_names=tuple(ds.class_names),
        weights=_copies(net.weights), biases=_copies(net.biases),
        grad_weights=_copies(grads[0]), grad_biases=_copies(grads[1]),
        update_weights=_copies(updates[0]), update_biases=_copies(updates[1]),
        metrics=trainer.metrics, layers=layer_summaries(trainer),
        dead_units=trainer.dead_units(),
        plane=plane_maps(trainer, resolution, axes) if resolution else None,
        learning_rate=float(trainer.optimizer.hyper["learning_rate"]),
        dropped_units=_dropout(trainer, lambda mask: ~mask[0]),
        kept_units=_dropout(trainer, lambda mask: mask.mean(axis=0)),
        layer_health=list(trainer.layer_health),
        verdicts=tuple(trainer.verdicts()))


def _dropout(trainer: Trainer, summary) -> list | None:
    """summary(mask) of each hidden layer's dropout mask in the last step (batch, width); None
    for a layer without dropout, and None when the last step dropped nothing."""
    trace = trainer.last_trace
    if trace is None or all(mask is None for mask in trace.dropout_masks):
        return None
    return [None if mask is None else summary(mask) for mask in trace.dropout_masks]
