"""Trainer: one run, the one a person watches and steers. A RunStack of one (netsim/run_stack.py:
data, steps, epochs, evaluation) that also keeps a history, changes settings live, takes hand
edits, captures its whole state as a value, and rolls back when it diverges (netsim/divergence.py).

Learning rate, optimizer, regularization and batch size change live (`apply`); anything else
needs a new Trainer. Everything random draws from one rng seeded from the config, so a config
gives the same run bit for bit.

History and `metrics`: the mini-batch loss at every step; at an epoch's end (run_stack's
schedule) the whole training and test sets' losses and accuracies, and each hidden layer's
health over the training set (`layer_health`; series dead_share[k], saturated_share[k],
activation_mean[k], activation_std[k] for neuron layer k); per-layer norms at most every
LAYER_STATS_EVERY steps. `refresh_metrics()` measures both sets at the current weights.
"""
import math

import numpy as np

from .config import Config
from .datasets import Dataset
from .diagnostics import HealthTally, dead_units, verdicts
from .divergence import RollBack
from .errors import ConfigError
from .history import History
from .optimizers import OPTIMIZERS
from .run_stack import LAYER_STATS_EVERY, METRIC_SERIES, Metrics, RunStack
from .schedules import SCHEDULE_FIELDS

__all__ = ["Trainer", "Metrics"]


def layer_series(l: int) -> tuple[str, str, str, str]:
    """Names of the history series of weight layer l's statistics."""
    return f"weight_norm[{l}]", f"mean_abs_weight[{l}]", f"grad_norm[{l}]", f"update_ratio[{l}]"


LEARNING_RATE_SERIES = "learning_rate"    # the rate the schedule gives, where it changes


HEALTH_SERIES = ("dead_share", "saturated_share", "activation_mean", "activation_std")
"""Each hidden layer k's health series, named f"{series}[{k}]" (k from 1)."""


def series_names(n_layers: int) -> set[str]:
    """Every history series a Trainer of n_layers weight layers records."""
    return {"batch_loss", LEARNING_RATE_SERIES, *METRIC_SERIES,
            *(name for l in range(n_layers) for name in layer_series(l)),
            *(f"{name}[{k}]" for k in range(1, n_layers) for name in HEALTH_SERIES)}


class Trainer(RunStack):
    def __init__(self, config: Config, dataset: Dataset | None = None):
        self.history = History()
        self.layer_health: list = []          # diagnostics.LayerHealth of each hidden layer
        self.checkpoints: list[dict] = []    # the last two captures divergence rolls back to
        self._layers_recorded_at = 0         # step of the last per-layer statistics
        super().__init__([config], dataset, RollBack())
        self.rng = self.rngs[0]
        self._layer_series = [layer_series(l) for l in range(self.network.n_layers)]
        self._record_metrics()

    @property
    def metrics(self) -> Metrics:
        return self.metrics_of_runs[0]

    @property
    def last_gradients(self) -> tuple[list, list] | None:
        """(grad_weights, grad_biases) of the last step; None before the first."""
        trace = self.last_trace
        return None if trace is None else (trace.grad_weights, trace.grad_biases)

    @property
    def last_updates(self) -> tuple[list, list] | None:
        """(change of weights, change of biases) the last step applied; None before it."""
        updates = self.optimizer.last_updates
        return self.network.views(updates[0]) if updates else None

    # ---- what a step records --------------------------------------------------------------

    def _after_step(self, loss):
        stored = self.history.append("batch_loss", self.step_count, loss)
        if stored and self.step_count - self._layers_recorded_at >= LAYER_STATS_EVERY:
            self._record_layers()        # sampled as the loss curve keeps points, or sparser

    def _record_layers(self):
        step = self._layers_recorded_at = self.step_count
        weight_sq, abs_sums, grad_sq, update_sq = self._layer_sums()
        append = self.history.append
        for l, (weight_norm, mean_abs, grad_norm, update_ratio) in enumerate(self._layer_series):
            norm = math.sqrt(weight_sq[l])
            append(weight_norm, step, norm)
            append(mean_abs, step, float(abs_sums[l]) / self.network.weights[l].size)
            append(grad_norm, step, math.sqrt(grad_sq[l]))
            append(update_ratio, step, math.sqrt(update_sq[l]) / norm if norm else 0.0)

    def _use_learning_rate(self):
        super()._use_learning_rate()
        rate = self.optimizer.hyper["learning_rate"]        # recorded where it changes
        series = self.history.series.get(LEARNING_RATE_SERIES)
        if series is None or series.last() != rate:
            self.history.append(LEARNING_RATE_SERIES, self.step_count, rate)

    def _record_metrics(self, names=METRIC_SERIES):
        m = self.metrics
        for name in names:
            value = getattr(m, name)
            if value is not None:
                self.history.append(name, self.step_count, value)
        for h in self.layer_health:                 # hidden layer h.layer, 1-based
            for name, value in zip(HEALTH_SERIES, (h.dead, h.saturated, h.mean, h.std)):
                if value is not None:
                    self.history.append(f"{name}[{h.layer}]", self.step_count, value)

    def _health_tally(self):
        return HealthTally(self.network)

    def _health_measured(self, health: list):
        self.layer_health = health

    def verdicts(self) -> list[str]:
        """diagnostics.verdicts on the layers' health and their last recorded update ratios."""
        ratios = [self.history[name].last() if name in self.history else None
                  for name in (series[3] for series in self._layer_series)]
        return verdicts(self.layer_health, ratios)

    # ---- evaluation -----------------------------------------------------------------------

    def evaluate(self) -> Metrics:
        """Losses and accuracies over the whole train and test sets."""
        self.metrics_of_runs = self._measure()
        return self.metrics

    def refresh_metrics(self) -> Metrics:
        """`metrics` brought up to the weights as they are now, and recorded in the history
        where it lacks this step. Training measures the sets at an epoch's end at most every
        EVALUATION_EVERY steps; a pause, a single step or the end of a run wants the figures
        of this very step."""
        if self._evaluated_at != self.step_count:
            self.evaluate()
            self._record_metrics()
        return self.metrics

    def dead_units(self) -> list:
        """diagnostics.dead_units of the network over the training set."""
        return dead_units(self.network, self.X_train, self._evaluation_workspace)

    def predict(self, X) -> np.ndarray:
        """Outputs (n, n_outputs) for model inputs X (n, input_dim)."""
        return self.network.forward(X)

    # ---- live changes and hand edits ------------------------------------------------------

    def apply(self, config: Config) -> list[str]:
        """Take the live fields of `config` (learning rate, optimizer and its settings,
        regularization, batch size) without touching the weights. Returns the changed names.
        A change of any other field raises ConfigError: it needs a new Trainer."""
        changed = self.config.differing_fields(config)
        if self.config.needs_reset(config):
            raise ConfigError(f"changing {', '.join(changed)} needs a reset of the network")
        if config.optimizer != self.config.optimizer:
            self.optimizer = OPTIMIZERS[config.optimizer](**config.optimizer_hyper())
        else:
            self.optimizer.configure(**config.optimizer_hyper())
        if any(name in SCHEDULE_FIELDS for name in changed):
            self.schedule_start = self.epoch      # a new schedule begins now, as in torch
        self.config = config
        self.configs = [config]
        self._use_learning_rate()
        self._use_regularization()
        return changed

    def set_weight(self, l, i, j, value):
        self.network.set_weight(l, i, j, value)
        self._after_edit()

    def set_bias(self, l, j, value):
        self.network.set_bias(l, j, value)
        self._after_edit()

    def load_parameters(self, weights, biases):
        """Replace every weight and bias (imported weights: validated, matching shapes)."""
        self.network.load_parameters(weights, biases)
        self._after_edit()

    def _after_edit(self):
        self.evaluate()
        self.checkpoints.clear()           # older weights are no longer "the last finite ones"
        self._dead_at_checkpoint = None    # and a layer an edit killed is not a divergence

    # ---- state as a value: sessions, rewind, divergence roll-back ------------------------

    def capture(self, with_history: bool = True) -> dict:
        """The whole state of the run as plain values and independent arrays: restoring it and
        training on gives exactly what training on from here would have given."""
        weights, biases = self.network.copy_parameters()
        state = {"config": self.config.to_dict(), "weights": weights, "biases": biases,
                 "optimizer": self._optimizer_state(), "rng": self.rng.bit_generator.state,
                 "order": self._orders[0].copy(), "cursor": self._cursor,
                 "step": self.step_count, "epoch": self.epoch,
                 "examples_seen": self.examples_seen,
                 "layers_recorded_at": self._layers_recorded_at,
                 "evaluated_at": self._evaluated_at, "schedule_start": self.schedule_start}
        if with_history:
            state["history"] = self.history.state_dict()
        return state

    def restore(self, state: dict):
        """Return to a captured state of a run with the same architecture and data. The
        live settings (learning rate ...) come from the state's config."""
        config = Config.from_dict(state["config"])
        if self.config.needs_reset(config):
            raise ConfigError("this state belongs to a different network or data set")
        self.apply(config)
        self.schedule_start = int(state.get("schedule_start", 0))
        self.network.load_parameters(state["weights"], state["biases"])
        optimizer = dict(state["optimizer"])        # per parameter, W0, b0, W1 ...; ours flat
        optimizer["state"] = {slot: [np.concatenate([np.ravel(a) for a in arrays])]
                              for slot, arrays in optimizer["state"].items()}
        self.optimizer.load_state_dict(optimizer)
        self.rng.bit_generator.state = state["rng"]
        self._set_orders(np.array(state["order"])[None])
        self._cursor = int(state["cursor"])
        self.step_count, self.epoch = int(state["step"]), int(state["epoch"])
        self.examples_seen = int(state["examples_seen"])
        self._use_learning_rate()
        self._layers_recorded_at = int(state["layers_recorded_at"])
        if "history" in state:
            self.history = History.from_state(state["history"])
        self.evaluate()
        self._evaluated_at = int(state.get("evaluated_at", self.step_count))

    def _optimizer_state(self) -> dict:
        """The optimizer's state with one array per parameter (W0, b0, W1 ...), as sessions
        store it; the optimizer itself keeps each slot as one flat array."""
        state = self.optimizer.state_dict()
        for slot, (flat,) in state["state"].items():
            weights, biases = self.network.views(flat)
            state["state"][slot] = [p for pair in zip(weights, biases) for p in pair]
        return state

    def _checkpoint(self):
        self.checkpoints = self.checkpoints[-1:] + [self.capture(with_history=False)]
