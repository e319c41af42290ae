"""Trainer: one run. Owns the data split, the network, the optimizer, one seeded rng, the
counters and the history; everything random draws from that rng, so a config gives the same
run bit for bit.

A step is one mini-batch update; an epoch is one pass over the training set, reshuffled every
epoch (the last, smaller batch is used). Learning rate, optimizer, regularization and batch size
change live (`apply`); anything else needs a new Trainer.

History and `metrics`: the mini-batch loss at every step; at an epoch's end the test set's loss
and accuracy, and the whole training set's if TRAIN_EVALUATION_EVERY steps have passed since it
was last measured; per-layer norms at most every LAYER_STATS_EVERY steps. `refresh_metrics()`
measures both sets at the current weights. The hot path writes into reusable arrays (a
Workspace per batch size and one for evaluation) and the optimizer updates the network's one
flat parameter array.
"""
import math
from dataclasses import dataclass

import numpy as np

from .config import Config
from .datasets import Dataset, make_dataset
from .diagnostics import DEAD_ACTIVATIONS, dead_layers, dead_units, keep_dead
from .errors import ConfigError, DivergenceError
from .history import History
from .losses import LOSSES, TASK_LOSS
from .network import Network
from .optimizers import OPTIMIZERS
from .regularizers import REGULARIZERS

CHECKPOINT_EVERY = 64        # steps between the snapshots divergence rolls back to
EXPLODED = 1e8               # a weight this large counts as divergence, before it overflows
LAYER_STATS_EVERY = 8        # per-layer statistics at most this often: they cost a third of a
                             # small network's step, and curves of norms change slowly
EVALUATION_ROWS = 4096       # evaluation runs over the data in chunks of at most this many rows
TRAIN_EVALUATION_EVERY = 32  # steps: an epoch's end re-measures the whole training set at most
                             # this often (the test set every time). A pass over it costs a third
                             # of an epoch's training; the batch losses show every step between.
EARLY_EPOCHS = 4             # ... except that the first epochs' ends all measure it: the train
                             # curve's first points, where it falls fastest, are not a straight line


def train_evaluation_due(epoch: int, step: int, evaluated_at: int) -> bool:
    """Whether the end of epoch `epoch` (at step `step`) re-measures the whole training set,
    last measured at step `evaluated_at`."""
    return epoch <= EARLY_EPOCHS or step - evaluated_at >= TRAIN_EVALUATION_EVERY


@dataclass(frozen=True)
class Metrics:
    """Losses over the whole train and test sets. train_loss = train_data_loss + penalty;
    test_loss is the data loss alone. Accuracies are None for regression."""
    train_loss: float
    train_data_loss: float
    penalty: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None


def metric_names(with_train: bool, with_test: bool) -> tuple:
    """The history series a measurement of the training set, the test set or both fills."""
    return ((("train_loss", "penalty", "train_accuracy") if with_train else ()) +
            (("test_loss", "test_accuracy") if with_test else ()))


def targets_for(dataset: Dataset, y: np.ndarray) -> np.ndarray:
    """(n, n_outputs) float targets: 0/1 for binary, one-hot for multiclass, values for regression."""
    if dataset.task == "multiclass":
        return np.eye(dataset.n_outputs)[y]
    return np.asarray(y, dtype=float).reshape(len(y), -1)


class Trainer:
    def __init__(self, config: Config, dataset: Dataset | None = None):
        self.config = config
        self.dataset = dataset if dataset is not None else make_dataset(
            config.dataset, **config.data_kwargs())
        self.loss_name = TASK_LOSS[self.dataset.task]
        self.rng = np.random.default_rng(config.seed)
        sizes = [self.dataset.input_dim, *config.layers, self.dataset.n_outputs]
        self.network = Network(sizes, config.activation,
                               output=LOSSES[self.loss_name].output_activation,
                               init=config.init, rng=self.rng, bias_init=config.bias_init,
                               dtype=config.dtype)
        dtype = self.network.dtype
        ds = self.dataset
        self.X_train = np.ascontiguousarray(ds.X_train, dtype=dtype)   # (n_train, input_dim)
        self.Y_train = targets_for(ds, ds.y_train).astype(dtype)       # (n_train, n_outputs)
        self.X_test = np.ascontiguousarray(ds.X_test, dtype=dtype)
        self.Y_test = targets_for(ds, ds.y_test).astype(dtype)
        # evaluate() runs forward over the train rows followed by the test rows
        self._X_all = np.concatenate([self.X_train, self.X_test])      # (n_train + n_test, input_dim)
        self._Y_all = np.concatenate([self.Y_train, self.Y_test])
        self._labels_all = self._labels(self._Y_all)                     # (n_all,) or None
        self._flat_parameters = [self.network.flat]       # what the optimizer updates, in one
        self._parameter_starts = self.network.parameter_starts()
        self._workspace = self.network.workspace(min(config.batch_size, self.n_train))
        self._evaluation_workspace = self.network.workspace(
            max(1, min(EVALUATION_ROWS, len(self._X_all))))
        self.optimizer = OPTIMIZERS[config.optimizer](**config.optimizer_hyper())
        self.step_count = 0
        self.epoch = 0                      # completed passes over the training set
        self.examples_seen = 0
        self._set_order(self.rng.permutation(len(self.X_train)))
        self._cursor = 0                                          # next position in _order
        self.history = History()
        self._last_trace = None                  # the Trace of the last step
        self._checkpoints: list[dict] = []
        self._train_evaluated_at = 0             # steps of the last passes over the training
        self._test_evaluated_at = 0              # and the test set
        self._dead_layers: tuple[int, list] = (-1, [])   # (step, dead hidden layers) it found
        self._layers_recorded_at = 0             # step of the last per-layer statistics
        self._layer_series = [(f"weight_norm[{l}]", f"mean_abs_weight[{l}]", f"grad_norm[{l}]",
                               f"update_ratio[{l}]") for l in range(self.network.n_layers)]
        self.metrics = self.evaluate()
        self._record_metrics(self.metrics)

    # ---- training -------------------------------------------------------------------------

    @property
    def n_train(self) -> int:
        return len(self.X_train)

    def _set_order(self, order):
        """This epoch's example order, and the training set in that order, so that each
        mini-batch is a slice rather than a gather."""
        self._order = order
        self._X_epoch = self.X_train[order]     # (n_train, input_dim)
        self._Y_epoch = self.Y_train[order]     # (n_train, n_outputs)

    @property
    def last_gradients(self) -> tuple[list, list] | None:
        """(grad_weights, grad_biases) of the last step; None before the first."""
        trace = self._last_trace
        return None if trace is None else (trace.grad_weights, trace.grad_biases)

    @property
    def last_updates(self) -> tuple[list, list] | None:
        """(change of weights, change of biases) the last step applied; None before it."""
        updates = self.optimizer.last_updates
        return self.network.views(updates[0]) if updates else None

    def step(self, n: int = 1):
        """Run n mini-batch updates. Raises DivergenceError (weights rolled back) on NaN/inf."""
        for _ in range(int(n)):
            self._one_step()

    def run_epoch(self):
        """Train to the end of the current epoch (a whole epoch when at its start)."""
        remaining = self.n_train - self._cursor
        self.step(-(-remaining // self.config.batch_size))

    def _one_step(self):
        if self.step_count % CHECKPOINT_EVERY == 0 or not self._checkpoints:
            self._check_and_checkpoint()
        cfg = self.config
        start, stop = self._cursor, self._cursor + cfg.batch_size
        X = self._X_epoch[start:stop]
        if len(X) > self._workspace.rows:                 # the batch size grew live
            self._workspace = self.network.workspace(len(X))
        trace = self.network.trace(X, self._Y_epoch[start:stop], None, cfg.regularization,
                                   cfg.reg_rate, self._workspace)
        loss = trace.data_loss + trace.penalty
        if not math.isfinite(loss):
            self._diverged(f"the loss became {loss}", self.step_count + 1)
        self.optimizer.step(self._flat_parameters, [self._workspace.grad_flat])
        size = len(X)
        self._cursor += size
        self.step_count += 1
        self.examples_seen += size
        self._last_trace = trace
        stored = self.history.append("batch_loss", self.step_count, loss)
        if stored and self.step_count - self._layers_recorded_at >= LAYER_STATS_EVERY:
            self._record_layers()        # sampled as the loss curve keeps points, or sparser
        if self._cursor >= self.n_train:
            self._end_epoch()

    def _end_epoch(self):
        self.epoch += 1
        self._set_order(self.rng.permutation(self.n_train))
        self._cursor = 0
        with_train = train_evaluation_due(self.epoch, self.step_count, self._train_evaluated_at)
        self.metrics = self._measure(with_train)
        self._record_metrics(self.metrics, with_train)

    def _record_layers(self):
        step = self._layers_recorded_at = self.step_count
        # per-layer sums over the flat arrays in one pass each: [0::2] keeps the weights' sums
        starts = self._parameter_starts
        weights, grads = self.network.flat, self._workspace.grad_flat
        updates = self.optimizer.last_updates[0]
        with np.errstate(over="ignore", invalid="ignore"):    # an overflow is caught below
            weight_sq = np.add.reduceat(weights * weights, starts)[0::2]
            abs_sums = np.add.reduceat(np.abs(weights), starts)[0::2]
            grad_sq = np.add.reduceat(grads * grads, starts)[0::2]
            update_sq = np.add.reduceat(updates * updates, starts)[0::2]
        append = self.history.append
        for l, (weight_norm, mean_abs, grad_norm, update_ratio) in enumerate(self._layer_series):
            norm = math.sqrt(weight_sq[l])
            if not norm < EXPLODED:
                self._diverged(f"the weights of layer {l + 1} grew to a norm of {norm:.3g}", step)
            append(weight_norm, step, norm)
            append(mean_abs, step, float(abs_sums[l]) / self.network.weights[l].size)
            append(grad_norm, step, math.sqrt(grad_sq[l]))
            append(update_ratio, step, math.sqrt(update_sq[l]) / norm if norm else 0.0)

    def _record_metrics(self, m: Metrics, with_train: bool = True, with_test: bool = True):
        for name in metric_names(with_train, with_test):
            value = getattr(m, name)
            if value is not None:
                self.history.append(name, self.step_count, value)

    # ---- evaluation -----------------------------------------------------------------------

    def evaluate(self) -> Metrics:
        """Losses and accuracies over the whole train and test sets."""
        return self._measure(with_train=True)

    def refresh_metrics(self) -> Metrics:
        """`metrics` brought up to the weights as they are now, and recorded in the history
        where it lacks this step. Training measures the test set at an epoch's end and the
        training set at most every TRAIN_EVALUATION_EVERY steps; a pause, a single step or
        the end of a run wants the figures of this very step."""
        train_old = self._train_evaluated_at != self.step_count
        test_old = self._test_evaluated_at != self.step_count
        if train_old or test_old:
            self.metrics = self.evaluate()
            self._record_metrics(self.metrics, train_old, test_old)
        return self.metrics

    def _measure(self, with_train: bool) -> Metrics:
        """Metrics from a pass over the test set, and over the training set if `with_train`
        (else its figures stay those of the last pass over it)."""
        loss_sums, correct = self._evaluation_sums(with_train)
        self._test_evaluated_at = self.step_count
        n_train, n_test = self.n_train, len(self.X_test)
        has_labels = self._labels_all is not None
        test_loss = loss_sums[1] / n_test if n_test else float("nan")
        test_acc = correct[1] / n_test if has_labels and n_test else None
        if not with_train:
            m = self.metrics
            return Metrics(m.train_loss, m.train_data_loss, m.penalty, test_loss,
                           m.train_accuracy, test_acc)
        self._train_evaluated_at = self.step_count
        cfg = self.config
        train_data_loss = loss_sums[0] / n_train
        penalty = (REGULARIZERS[cfg.regularization].penalty(self.network.weights, cfg.reg_rate)
                   if cfg.reg_rate else 0.0)
        return Metrics(train_data_loss + penalty, train_data_loss, penalty, test_loss,
                       correct[0] / n_train if has_labels else None, test_acc)

    def _evaluation_sums(self, with_train: bool) -> tuple[list, list]:
        """([train, test] summed loss, [train, test] correct predictions), from one forward
        pass over the train rows (if `with_train`) then the test rows, in chunks that fit the
        workspace. A pass over the train rows also finds the dead hidden layers."""
        loss = LOSSES[self.loss_name]
        binary = self.dataset.task == "binary"
        n_train, n_all = self.n_train, len(self._X_all)
        ws = self._evaluation_workspace
        watch_dead = with_train and self.network.activation_name in DEAD_ACTIVATIONS
        dead = [np.ones(n, dtype=bool) for n in self.network.sizes[1:-1]] if watch_dead else []
        loss_sums, correct = [0.0, 0.0], [0, 0]
        for start in range(0 if with_train else n_train, n_all, ws.rows):
            stop = min(start + ws.rows, n_all)
            pre, _ = self.network.forward_all(self._X_all[start:stop], ws, outputs=False)
            logits = pre[-1]
            for part, lo, hi in ((0, start, min(stop, n_train)), (1, max(start, n_train), stop)):
                if hi <= lo:
                    continue
                rows = slice(lo - start, hi - start)
                loss_sums[part] += loss.value(logits[rows], self._Y_all[lo:hi]) * (hi - lo)
                if self._labels_all is not None:     # sigmoid(z) > 1/2 where z > 0
                    predicted = logits[rows, 0] > 0 if binary else logits[rows].argmax(axis=1)
                    correct[part] += int(np.count_nonzero(predicted == self._labels_all[lo:hi]))
                if part == 0:
                    keep_dead(dead, [z[rows] for z in pre[:-1]])
        if watch_dead:
            self._dead_layers = (self.step_count, [l for l, d in enumerate(dead, start=1) if d.all()])
        return loss_sums, correct

    def dead_units(self) -> list:
        """diagnostics.dead_units of the network over the training set."""
        return dead_units(self.network, self.X_train, self._evaluation_workspace)

    def _labels(self, Y):
        """(n,) the class of each row of targets Y; None for regression."""
        if self.dataset.task == "regression":
            return None
        return Y[:, 0] > 0.5 if self.dataset.task == "binary" else Y.argmax(axis=1)

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
        self.config = config
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
        self.metrics = self.evaluate()
        self._checkpoints.clear()          # older weights are no longer "the last finite ones"

    # ---- state as a value: sessions, rewind, divergence roll-back ------------------------

    def capture(self, with_history: bool = True) -> dict:
        """The whole state of the run as plain values and independent arrays: restoring it and
        training on gives exactly what training on from here would have given."""
        weights, biases = self.network.copy_parameters()
        state = {"config": self.config.to_dict(), "weights": weights, "biases": biases,
                 "optimizer": self._optimizer_state(), "rng": self.rng.bit_generator.state,
                 "order": self._order.copy(), "cursor": self._cursor, "step": self.step_count,
                 "epoch": self.epoch, "examples_seen": self.examples_seen,
                 "layers_recorded_at": self._layers_recorded_at,
                 "train_evaluated_at": self._train_evaluated_at}
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
        self.network.load_parameters(state["weights"], state["biases"])
        optimizer = dict(state["optimizer"])        # per parameter, W0, b0, W1 ...; ours flat
        optimizer["state"] = {slot: [np.concatenate([np.ravel(a) for a in arrays])]
                              for slot, arrays in optimizer["state"].items()}
        self.optimizer.load_state_dict(optimizer)
        self.rng.bit_generator.state = state["rng"]
        self._set_order(np.array(state["order"]))
        self._cursor = int(state["cursor"])
        self.step_count, self.epoch = int(state["step"]), int(state["epoch"])
        self.examples_seen = int(state["examples_seen"])
        self._layers_recorded_at = int(state["layers_recorded_at"])
        if "history" in state:
            self.history = History.from_state(state["history"])
        self.metrics = self.evaluate()
        self._train_evaluated_at = int(state.get("train_evaluated_at", self.step_count))

    def _optimizer_state(self) -> dict:
        """The optimizer's state with one array per parameter (W0, b0, W1 ...), as sessions
        store it; the optimizer itself keeps each slot as one flat array."""
        state = self.optimizer.state_dict()
        for slot, (flat,) in state["state"].items():
            weights, biases = self.network.views(flat)
            state["state"][slot] = [p for pair in zip(weights, biases) for p in pair]
        return state

    def _check_and_checkpoint(self):
        """Roll back if a hidden layer died since the last checkpoint, else take one here.
        The dead layers come from the evaluation if it ran at this step (the first one did)."""
        measured_at, dead = self._dead_layers
        if measured_at != self.step_count:
            dead = dead_layers(self.network, self.X_train, self._evaluation_workspace)
        self._check_collapse(dead)
        self._checkpoint(dead)

    def _checkpoint(self, dead: list):
        state = self.capture(with_history=False)
        state["dead_layers"] = dead
        self._checkpoints = self._checkpoints[-1:] + [state]

    def _check_collapse(self, dead: list):
        """A hidden layer whose units were alive at the last checkpoint and are now all dead
        (a too-large step pushed every ReLU below zero) will never learn again: roll back."""
        if not self._checkpoints or self.network.activation_name not in DEAD_ACTIVATIONS:
            return
        newly_dead = set(dead) - set(self._checkpoints[-1]["dead_layers"])
        if newly_dead:
            self._diverged(f"every unit of hidden layer {min(newly_dead)} died (its ReLUs "
                           f"output 0 for all training data, so nothing before it can learn)",
                           self.step_count, to_checkpoint=-1)

    def _diverged(self, what: str, failed_at: int, to_checkpoint: int | None = None):
        """Roll back to the last checkpoint whose weights were sound and raise. By default that
        is the newest taken before the current weights (their successors' loss was finite)."""
        settings = self.config
        if to_checkpoint is None:
            good = ([c for c in self._checkpoints if c["step"] < self.step_count]
                    or self._checkpoints[:1])
            self.restore(good[-1])
        else:
            self.restore(self._checkpoints[to_checkpoint])
        self.apply(settings)              # the user's current settings stay in force
        self.history.truncate_after(self.step_count)
        lr = settings.learning_rate
        raise DivergenceError(
            f"Training diverged at step {failed_at}: {what}. The weights are back at step "
            f"{self.step_count}, before it happened. A learning rate of {lr:g} is too high "
            f"for this network: lower it (try {lr / 10:g}).")
