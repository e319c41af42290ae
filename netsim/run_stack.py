"""RunStack: the training of one or more runs of one architecture on one data set, together.

Each run is what its Config makes: its own Generator seeded from config.seed (its initial
weights drawn first, then one permutation of the training set per epoch), its mini-batches,
the task's loss, the optimizer. The runs share the data, the architecture, the batch size and
the counters; their parameters are the rows of one Network, so every step is one forward and
backward pass over all of them and one optimizer update.

A step is one mini-batch update; an epoch is one pass over the training set, reshuffled every
epoch (the last, smaller batch is used).

Measurements: at an epoch's end the whole training and test sets, at most every
EVALUATION_EVERY steps after the first EARLY_EPOCHS epochs; `refresh_metrics()` measures both
at the current weights. Per-layer sums (norms, for the explosion check and the charts) at most
every LAYER_STATS_EVERY steps.

Trainer (one run, rolled back when it diverges) and BatchedRuns (many, frozen when they
diverge) are RunStacks; netsim/divergence.py has the two policies.
"""
import math
from dataclasses import dataclass

import numpy as np

from .config import Config
from .datasets import Dataset, make_dataset
from .diagnostics import keep_dead
from .divergence import CHECKPOINT_EVERY, EXPLODED
from .losses import LOSSES, TASK_LOSS
from .network import Network, is_nonzero
from .optimizers import OPTIMIZERS
from .regularizers import REGULARIZERS
from .schedules import learning_rate

LAYER_STATS_EVERY = 8        # per-layer statistics at most this often: they cost a third of a
                             # small network's step, and curves of norms change slowly
EVALUATION_ELEMENTS = 4096   # evaluation runs over the data in chunks of at most this many
                             # rows times runs
EVALUATION_EVERY = 32        # steps: an epoch's end measures the whole training and test sets at
                             # most this often. A pass over both costs about half an epoch's
                             # training on small data (digits at batch 128: an epoch is 7
                             # steps); the batch losses show every step between.
EARLY_EPOCHS = 4             # ... except that the first epochs' ends all measure them: the
                             # curves' first points, where they fall fastest, are not one line


def quiet_numbers():
    """Numbers that overflow while a run diverges are the divergence checks' to find and
    explain (netsim/divergence.py); numpy's warnings about them would only reach a terminal.
    (A new errstate each time: one errstate object cannot be entered twice at once.)"""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def evaluation_due(epoch: int, step: int, evaluated_at: int) -> bool:
    """Whether the end of epoch `epoch` (at step `step`) measures the training and test sets,
    last measured at step `evaluated_at`."""
    return epoch <= EARLY_EPOCHS or step - evaluated_at >= EVALUATION_EVERY


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


METRIC_SERIES = ("train_loss", "penalty", "train_accuracy", "test_loss", "test_accuracy")
"""The history series a measurement of the training and test sets fills."""


def targets_for(dataset: Dataset, y: np.ndarray) -> np.ndarray:
    """(n, n_outputs) float targets: 0/1 for binary, one-hot for multiclass, values for regression."""
    if dataset.task == "multiclass":
        return np.eye(dataset.n_outputs)[y]
    return np.asarray(y, dtype=float).reshape(len(y), -1)


class RunStack:
    def __init__(self, configs: list, dataset: Dataset | None, policy):
        """configs: one Config per run, differing at most in the settings applied per run
        (the optimizer's, reg_rate, init, bias_init, seed). dataset: the data every run learns
        from; None builds it from the first config. policy: netsim.divergence's RollBack or
        Freeze."""
        self.configs = list(configs)
        base = self.configs[0]
        self.config = base
        self.policy = policy
        self.dataset = dataset if dataset is not None else make_dataset(
            base.dataset, **base.data_kwargs())
        self.loss_name = TASK_LOSS[self.dataset.task]
        self.rngs = [np.random.default_rng(c.seed) for c in self.configs]
        runs = len(self.configs)
        sizes = [self.dataset.input_dim, *base.layers, self.dataset.n_outputs]
        self.network = Network(sizes, base.activation,
                               output=LOSSES[self.loss_name].output_activation, init=base.init,
                               rng=self.rngs[0], bias_init=base.bias_init, dtype=base.dtype,
                               runs=runs, dropout=base.per_layer("dropout"))
        if runs > 1:                   # one run is drawn by the Network itself
            for r, (config, rng) in enumerate(zip(self.configs, self.rngs)):
                self.network.initialize(r, config.init, rng, config.bias_init)
        dtype = self.network.dtype
        ds = self.dataset
        self.X_train = np.ascontiguousarray(ds.X_train, dtype=dtype)   # (n_train, input_dim)
        self.Y_train = targets_for(ds, ds.y_train).astype(dtype)       # (n_train, n_outputs)
        self.X_test = np.ascontiguousarray(ds.X_test, dtype=dtype)
        self.Y_test = targets_for(ds, ds.y_test).astype(dtype)
        # evaluation runs forward over the train rows followed by the test rows
        self._X_all = np.concatenate([self.X_train, self.X_test])   # (n_train + n_test, input_dim)
        self._Y_all = np.concatenate([self.Y_train, self.Y_test])
        self._labels_all = self._labels(self._Y_all)                  # (n_all,) or None
        self._flat_parameters = [self.network.flat]       # what the optimizer updates, in one
        self._parameter_starts = self.network.parameter_starts()
        self._workspace = self.network.workspace(min(base.batch_size, self.n_train))
        self._evaluation_workspace = self.network.workspace(
            max(1, min(EVALUATION_ELEMENTS // runs, len(self._X_all))))
        self.step_count = 0
        self.epoch = 0                      # completed passes over the training set
        self.schedule_start = 0             # the epoch the learning-rate schedule began at
        self._build_optimizer()
        self.examples_seen = 0
        self._set_orders(np.stack([rng.permutation(self.n_train) for rng in self.rngs]))
        self._cursor = 0                                          # next position in the order
        self.last_trace = None                   # the Trace of the last step
        self._evaluated_at = 0                   # step of the last pass over both sets
        self._dead_found: tuple[int, list] = (-1, [])   # (step, each run's dead hidden layers)
        self._dead_at_checkpoint: list | None = None
        self.metrics_of_runs = self._measure()

    # ---- the runs' settings ---------------------------------------------------------------

    def _per_run(self, name: str, shape) -> np.ndarray | float:
        """A numeric setting: a float for one run, else one value per run in `shape`."""
        if len(self.configs) == 1:
            return float(getattr(self.configs[0], name))
        return np.array([getattr(c, name) for c in self.configs],
                        dtype=self.network.dtype).reshape(shape)

    def _build_optimizer(self):
        base = self.config
        self.optimizer = OPTIMIZERS[base.optimizer](**base.optimizer_hyper())
        if len(self.configs) > 1:
            for name in list(self.optimizer.hyper):
                self.optimizer.hyper[name] = self._per_run(name, (-1, 1))
        self._use_learning_rate()
        self._use_regularization()

    def learning_rates(self):
        """The learning rate of this epoch, by each run's schedule: a float for one run,
        (runs, 1) for a stack."""
        t = self.epoch - self.schedule_start
        if len(self.configs) == 1:
            return learning_rate(self.configs[0], t)
        return np.array([[learning_rate(c, t)] for c in self.configs], dtype=self.network.dtype)

    def _use_learning_rate(self):
        self.optimizer.hyper["learning_rate"] = self.learning_rates()

    def _use_regularization(self):
        self._reg_rate = self._per_run("reg_rate", (-1, 1, 1))       # (runs, 1, 1) for a stack
        self._regularizer = REGULARIZERS[self.config.regularization]

    @property
    def n_train(self) -> int:
        return len(self.X_train)

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.n_train // self.config.batch_size)

    def _set_orders(self, orders: np.ndarray):
        """This epoch's example order of each run (runs, n_train), and the training set in
        that order, so that each mini-batch is a slice rather than a gather."""
        if len(orders) == 1:
            order = orders[0]
            self._orders = orders
            self._X_epoch = self.X_train[order]     # (n_train, input_dim)
            self._Y_epoch = self.Y_train[order]     # (n_train, n_outputs)
        else:
            self._orders = orders
            self._X_epoch = self.X_train[orders]    # (runs, n_train, input_dim)
            self._Y_epoch = self.Y_train[orders]

    # ---- training -------------------------------------------------------------------------

    def step(self, n: int = 1):
        """Run n mini-batch updates."""
        with quiet_numbers():
            for _ in range(int(n)):
                self._one_step()

    def run_epoch(self):
        """Train to the end of the current epoch (a whole epoch when at its start)."""
        remaining = self.n_train - self._cursor
        self.step(-(-remaining // self.config.batch_size))

    def _one_step(self):
        if self.step_count % CHECKPOINT_EVERY == 0 or self._dead_at_checkpoint is None:
            self._check_and_checkpoint()
        cfg = self.config
        start, stop = self._cursor, self._cursor + cfg.batch_size
        if self.network.runs == 1:                        # (batch, ...) rows of the epoch
            X, Y = self._X_epoch[start:stop], self._Y_epoch[start:stop]
        else:                                             # (runs, batch, ...)
            X, Y = self._X_epoch[:, start:stop], self._Y_epoch[:, start:stop]
        if X.shape[-2] > self._workspace.rows:            # the batch size grew live
            self._workspace = self.network.workspace(X.shape[-2])
        masks = self._dropout_masks(X.shape[-2]) if self._dropping else None
        trace = self.network.trace(X, Y, None, cfg.regularization, self._reg_rate,
                                   self._workspace, masks)
        loss = trace.data_loss + trace.penalty            # a float, or (runs,) for a stack
        if not (math.isfinite(loss) if isinstance(loss, float) else np.isfinite(loss).all()):
            bad = ~np.isfinite(np.atleast_1d(loss))
            self.policy.diverged(self, bad, f"the loss became {np.atleast_1d(loss)[bad][0]}",
                                 self.step_count + 1)
        self.optimizer.step(self._flat_parameters, [self._workspace.grad_flat])
        self.policy.after_update(self)
        size = X.shape[-2]
        self._cursor += size
        self.step_count += 1
        self.examples_seen += size
        self.last_trace = trace
        self._after_step(loss)
        if self._cursor >= self.n_train:
            self._end_epoch()

    @property
    def _dropping(self) -> bool:
        return any(self.network.dropout_rates)

    def _dropout_masks(self, rows: int) -> list:
        """This step's dropout masks, per hidden layer: True for the units kept, drawn from
        each run's own rng (so a seeded run, and a resumed one, draws the same), None for a
        layer without dropout. (rows, width), or (runs, rows, width) for a stack."""
        masks = []
        for rate, width in zip(self.network.dropout_rates, self.network.sizes[1:-1]):
            if not rate:
                masks.append(None)
                continue
            drawn = [rng.random((rows, width)) >= rate for rng in self.rngs]
            masks.append(drawn[0] if len(drawn) == 1 else np.stack(drawn))
        return masks

    def _after_step(self, loss):
        """What a stack records of each step: the explosion check, as often as the norms are
        looked at. Trainer records its history here too."""
        if self.step_count % LAYER_STATS_EVERY == 0:
            self._layer_sums()

    def _layer_sums(self) -> tuple:
        """(squared norms, sums of |w|, squared gradient norms, squared update norms) of every
        weight matrix, each (layers,) for one run or (runs, layers) for a stack, from the flat
        arrays in one pass each; a run whose weights exploded has diverged. Called within
        step(), whose quiet_numbers() lets an overflow show as inf, caught here."""
        starts = self._parameter_starts
        weights = self.network.flat
        grads, updates = self._workspace.grad_flat, self.optimizer.last_updates[0]
        sums = tuple(np.add.reduceat(values, starts, axis=-1)[..., 0::2] for values in
                     (weights * weights, np.abs(weights), grads * grads, updates * updates))
        if not (sums[0] < EXPLODED * EXPLODED).all():
            squares = np.atleast_2d(sums[0])                  # (runs, layers)
            exploded = ~(squares < EXPLODED * EXPLODED)
            r, l = (int(k) for k in np.argwhere(exploded)[0])
            self.policy.diverged(self, exploded[:, l], f"the weights of layer {l + 1} grew to "
                                 f"a norm of {math.sqrt(squares[r, l]):.3g}", self.step_count)
        return sums

    def _end_epoch(self):
        self.epoch += 1
        self._set_orders(np.stack([rng.permutation(self.n_train) for rng in self.rngs]))
        self._cursor = 0
        self._use_learning_rate()              # schedules advance once per epoch, as torch's
        if evaluation_due(self.epoch, self.step_count, self._evaluated_at):
            self.metrics_of_runs = self._measure()
            self._record_metrics()

    def _record_metrics(self):
        """Hook: Trainer and BatchedRuns write the metrics into their histories."""

    # ---- checkpoints and dead layers ------------------------------------------------------

    def _check_and_checkpoint(self):
        """Stop a run (by the policy) if one of its hidden layers died since the last
        checkpoint; else take a checkpoint here. The dead layers come from the evaluation
        if it ran at this step (the first one did)."""
        measured_at, dead = self._dead_found
        if measured_at != self.step_count:
            dead = self._dead_layers()
        previous = self._dead_at_checkpoint
        if previous is not None and self._can_die:
            newly = np.array([bool(set(now) - set(before)) for now, before in zip(dead, previous)])
            if newly.any():
                layer = min(min(set(now) - set(before)) for now, before, n in
                            zip(dead, previous, newly) if n)
                self.policy.diverged(
                    self, newly, f"every unit of hidden layer {layer} died (its ReLUs output "
                    f"0 for all training data, so nothing before it can learn)",
                    self.step_count, to_checkpoint=-1)
        self._dead_at_checkpoint = dead
        self._checkpoint()

    def _checkpoint(self):
        """Hook: Trainer keeps a capture of its state to roll back to."""

    def _dead_layers(self) -> list:
        """Each run's list of hidden layers (1-based) whose every unit is dead on the
        training set."""
        if not self._can_die:
            return [[] for _ in self.configs]
        masks = self._dead_masks()
        return self._dead_lists(masks)

    def _dead_masks(self, X=None) -> list:
        """dead[l]: (sizes[l+1],) bool, or (runs, sizes[l+1]) for a stack, for each hidden
        layer: True for a unit whose pre-activation is <= 0 on every row of X (the training
        set by default), in chunks through the evaluation workspace."""
        X = self.X_train if X is None else X
        dead = self._new_dead_masks()
        ws = self._evaluation_workspace
        for start in range(0, len(X), ws.rows):
            pre, _ = self.network.forward_all(X[start:start + ws.rows], ws, outputs=False)
            keep_dead(dead, pre[:-1])
        return dead

    @property
    def _can_die(self) -> bool:
        return any(a.can_die for a in self.network.activations)

    def _new_dead_masks(self) -> list:
        """Per hidden layer, all True for a layer whose units can die (to be narrowed by
        keep_dead), all False for one whose units cannot."""
        lead = () if len(self.configs) == 1 else (len(self.configs),)
        return [np.full((*lead, n), a.can_die) for n, a in
                zip(self.network.sizes[1:-1], self.network.activations)]

    def _dead_lists(self, masks: list) -> list:
        if len(self.configs) == 1:
            return [[l for l, d in enumerate(masks, start=1) if d.all()]]
        return [[l for l, d in enumerate(masks, start=1) if d[r].all()]
                for r in range(len(self.configs))]

    # ---- evaluation -----------------------------------------------------------------------

    def _measure(self) -> list:
        """Each run's Metrics from one pass over the training set then the test set (the
        dead hidden layers found on the way)."""
        with quiet_numbers():
            loss_sums, correct = self._evaluation_sums()
        self._evaluated_at = self.step_count
        n_train, n_test = self.n_train, len(self.X_test)
        has_labels = self._labels_all is not None
        penalties = self._penalties()
        out = []
        for r in range(len(self.configs)):
            train_data_loss = float(loss_sums[0][r]) / n_train
            penalty = float(penalties[r])
            test_loss = float(loss_sums[1][r]) / n_test if n_test else float("nan")
            out.append(Metrics(train_data_loss + penalty, train_data_loss, penalty, test_loss,
                               float(correct[0][r]) / n_train if has_labels else None,
                               float(correct[1][r]) / n_test if has_labels and n_test
                               else None))
        return out

    def _penalties(self) -> np.ndarray:
        """(runs,) each run's weight penalty at its regularization rate."""
        runs = len(self.configs)
        if self.config.regularization == "none" or not is_nonzero(self._reg_rate):
            return np.zeros(runs)
        rate = self._reg_rate if runs == 1 else np.reshape(self._reg_rate, -1)
        return np.reshape(self._regularizer.penalty(self.network.weights, rate), runs)

    def _evaluation_sums(self) -> tuple[list, list]:
        """([train, test] summed loss, [train, test] correct predictions), each (runs,), from
        one forward pass over the train rows then the test rows, in chunks that fit the
        evaluation workspace; the dead hidden layers found on the training rows are kept."""
        loss = LOSSES[self.loss_name]
        binary = self.dataset.task == "binary"
        runs = len(self.configs)
        n_train, n_all = self.n_train, len(self._X_all)
        ws = self._evaluation_workspace
        watch_dead = self._can_die
        dead = self._new_dead_masks() if watch_dead else []
        tally = self._health_tally()
        loss_sums = [np.zeros(runs), np.zeros(runs)]
        correct = [np.zeros(runs, dtype=np.int64), np.zeros(runs, dtype=np.int64)]
        for start in range(0, n_all, ws.rows):
            stop = min(start + ws.rows, n_all)
            pre, act = self.network.forward_all(self._X_all[start:stop], ws, outputs=False)
            logits = pre[-1]                       # (rows, n_out) or (runs, rows, n_out)
            for part, lo, hi in ((0, start, min(stop, n_train)), (1, max(start, n_train), stop)):
                if hi <= lo:
                    continue
                rows = slice(lo - start, hi - start)
                part_logits = logits[..., rows, :]
                loss_sums[part] += loss.value(part_logits, self._Y_all[lo:hi]) * (hi - lo)
                if self._labels_all is not None:     # sigmoid(z) > 1/2 where z > 0
                    predicted = (part_logits[..., 0] > 0 if binary
                                 else part_logits.argmax(axis=-1))
                    correct[part] += np.count_nonzero(predicted == self._labels_all[lo:hi],
                                                      axis=-1)
                if part == 0 and watch_dead:
                    keep_dead(dead, [z[..., rows, :] for z in pre[:-1]])
                if part == 0 and tally is not None:
                    tally.add([z[rows] for z in pre[:-1]], [a[rows] for a in act[1:-1]])
        if watch_dead:
            self._dead_found = (self.step_count, self._dead_lists(dead))
        if tally is not None:
            self._health_measured(tally.result(dead or self._new_dead_masks()))
        return loss_sums, correct

    def _health_tally(self):
        """Hook: a diagnostics.HealthTally to fill from the pass over the training set (the
        Trainer's), or None (a stack of runs keeps no layer health)."""
        return None

    def _health_measured(self, health: list):
        """Hook: each hidden layer's diagnostics.LayerHealth, measured by the last pass."""

    def _labels(self, Y):
        """(n,) the class of each row of targets Y; None for regression."""
        if self.dataset.task == "regression":
            return None
        return Y[:, 0] > 0.5 if self.dataset.task == "binary" else Y.argmax(axis=1)
