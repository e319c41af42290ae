"""Several runs of one architecture trained together, their arrays stacked along a first axis.

    flat        (runs, n_parameters)  every parameter of run r in row r: [W0, b0, W1, b1, ...]
    weights[l]  (runs, n_in, n_out)   views into `flat`; run r's weights[l] is weights[l][r]
    biases[l]   (runs, 1, n_out)      views, 3-D so that `a @ W + b` broadcasts

Each run is exactly the run a Trainer would make from its config on the same data set: its own
Generator seeded from config.seed (the network's initial weights drawn first, then one
permutation of the training set per epoch), the same mini-batches, the same loss, the same
optimizer: the engine's own class, updating `flat` in one call with (runs, 1) hyperparameters,
elementwise exactly as it updates each parameter of a Trainer. Only the arithmetic is batched:
one np.matmul over the stack instead of one product per run.

Runs may differ in the settings a Trainer applies per parameter (BATCHABLE): the learning rate
and the other optimizer settings, the regularization rate, the init, the bias init and the seed.
Everything else (data, layers, activation, optimizer, regularization, batch size, dtype) is
shared; `group_key` says which configs can share a BatchedRuns (netsim.sweep groups the rest).

A run that diverges stops where a Trainer would raise DivergenceError (a non-finite loss, a
weight matrix whose norm passes EXPLODED, every ReLU of a hidden layer newly dead); its weights
are frozen from then on, `diverged[r]` says what happened and the other runs go on.
"""
import numpy as np

from .config import FIELDS, OPTIMIZER_FIELDS, Config
from .datasets import Dataset, make_dataset
from .diagnostics import DEAD_ACTIVATIONS
from .errors import ConfigError
from .history import History
from .losses import LOSSES, TASK_LOSS
from .network import Network
from .optimizers import OPTIMIZERS
from .regularizers import REGULARIZERS
from .trainer import (CHECKPOINT_EVERY, EXPLODED, LAYER_STATS_EVERY, Metrics, metric_names,
                      targets_for, train_evaluation_due)

BATCHABLE = (*OPTIMIZER_FIELDS, "reg_rate", "init", "bias_init", "seed")
"""Fields that may differ between the runs of one BatchedRuns."""


def group_key(config: Config) -> tuple:
    """Configs with equal keys can be trained together in one BatchedRuns."""
    return tuple((name, getattr(config, name)) for name in FIELDS if name not in BATCHABLE)


# ---- per-run losses: losses.py's definitions, each run's mean taken over its own batch --------
# logits, targets, outputs: (runs, batch, n_out); each returns ((runs,) losses, d loss / d logits)

# (with_grad False: the gradient is None, and outputs may be None; evaluation needs no more)

def _mse(logits, targets, outputs, with_grad=True):
    diff = logits - targets
    size = diff.shape[1] * diff.shape[2]
    return (diff * diff).sum(axis=(1, 2)) / size, (2.0 / size) * diff if with_grad else None


def _binary_crossentropy(logits, targets, outputs, with_grad=True):
    size = logits.shape[1] * logits.shape[2]
    total = np.logaddexp(0.0, logits).sum(axis=(1, 2)) - (logits * targets).sum(axis=(1, 2))
    return total / size, (outputs - targets) / size if with_grad else None


def _softmax_crossentropy(logits, targets, outputs, with_grad=True):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    n = logits.shape[1]
    loss = -(targets * log_probs).sum(axis=(1, 2)) / n
    if not with_grad:
        return loss, None
    return loss, (np.exp(log_probs) * targets.sum(axis=-1, keepdims=True) - targets) / n


def _softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


BATCHED_LOSSES = {"mse": _mse, "binary_crossentropy": _binary_crossentropy,
                  "softmax_crossentropy": _softmax_crossentropy}
_OUTPUTS = {"mse": lambda z: z, "binary_crossentropy": LOSSES["binary_crossentropy"].outputs,
            "softmax_crossentropy": _softmax}


class BatchedRuns:
    def __init__(self, configs, dataset: Dataset | None = None):
        """configs: one Config per run, all with the same group_key. dataset: the data all runs
        learn from; None builds it from the first config, as a Trainer would."""
        self.configs = list(configs)
        if not self.configs:
            raise ConfigError("a batch of runs needs at least one config")
        base = self.configs[0]
        for config in self.configs[1:]:
            different = [n for n in base.differing_fields(config) if n not in BATCHABLE]
            if different:
                raise ConfigError(f"runs trained together must share {', '.join(different)}")
        self.config = base
        self.dataset = dataset if dataset is not None else make_dataset(
            base.dataset, **base.data_kwargs())
        self.loss_name = TASK_LOSS[self.dataset.task]
        self._loss = BATCHED_LOSSES[self.loss_name]
        self._outputs = _OUTPUTS[self.loss_name]
        self.rngs = [np.random.default_rng(c.seed) for c in self.configs]
        self._build_parameters()
        dtype = self.weights[0].dtype
        ds = self.dataset
        self.X_train = np.ascontiguousarray(ds.X_train, dtype=dtype)   # (n_train, input_dim)
        self.Y_train = targets_for(ds, ds.y_train).astype(dtype)       # (n_train, n_outputs)
        self.X_test = np.ascontiguousarray(ds.X_test, dtype=dtype)
        self.Y_test = targets_for(ds, ds.y_test).astype(dtype)
        self._build_optimizer()
        self.step_count = 0
        self.epoch = 0
        self._orders = self._permutations()   # (runs, n_train) this epoch's example order per run
        self._cursor = 0
        self.active = np.ones(self.n_runs, dtype=bool)
        self.diverged: list[str | None] = [None] * self.n_runs   # what stopped run r
        self.diverged_at: list[int | None] = [None] * self.n_runs
        self._frozen: dict[int, np.ndarray] = {}   # run -> its row of `flat` when it stopped
        self._dead: np.ndarray | None = None   # (runs, hidden layers) bool at the last check
        self.histories = [History() for _ in self.configs]
        self._train_evaluated_at = self._test_evaluated_at = 0
        self.metrics = self.evaluate()
        self._record_metrics(with_train=True)

    def _build_parameters(self):
        base = self.config
        sizes = [self.dataset.input_dim, *base.layers, self.dataset.n_outputs]
        output = LOSSES[self.loss_name].output_activation
        networks = [Network(sizes, base.activation, output=output, init=c.init, rng=rng,
                            bias_init=c.bias_init, dtype=base.dtype)
                    for c, rng in zip(self.configs, self.rngs)]
        self.sizes = sizes
        self.activation = networks[0].activation
        # Every parameter of run r lives in row r of one (runs, n_parameters) array, so that the
        # optimizer updates all of them in one call; weights[l] and biases[l] are views into it.
        self.flat = np.concatenate([np.concatenate([p.ravel() for p in n.parameters])[None]
                                    for n in networks])
        self.weights, self.biases = self._views(self.flat)
        self._grad_flat = np.empty_like(self.flat)
        self._grad_weights, self._grad_biases = self._views(self._grad_flat)
        # first column of each parameter (W0, b0, W1, ...) in a row of `flat`
        self._starts = networks[0].parameter_starts()

    def _views(self, flat):
        """(weights, biases) as views into a (runs, n_parameters) array."""
        weights, biases, start = [], [], 0
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            weights.append(flat[:, start:start + n_in * n_out].reshape(-1, n_in, n_out))
            start += n_in * n_out
            biases.append(flat[:, start:start + n_out].reshape(-1, 1, n_out))
            start += n_out
        return weights, biases

    def _per_run(self, name: str) -> np.ndarray:
        """(runs, 1, 1) values of a numeric setting, one per run."""
        values = [getattr(c, name) for c in self.configs]
        return np.array(values, dtype=self.flat.dtype).reshape(-1, 1, 1)

    def _build_optimizer(self):
        base = self.config
        self.optimizer = OPTIMIZERS[base.optimizer](**base.optimizer_hyper())
        for name in list(self.optimizer.hyper):
            self.optimizer.hyper[name] = self._per_run(name).reshape(-1, 1)
        self.regularizer = REGULARIZERS[base.regularization]
        self.reg_rate = self._per_run("reg_rate")                   # (runs, 1, 1)
        self._regularized = base.regularization != "none" and bool(self.reg_rate.any())

    def _permutations(self) -> np.ndarray:
        return np.stack([rng.permutation(self.n_train) for rng in self.rngs])

    @property
    def n_runs(self) -> int:
        return len(self.configs)

    @property
    def n_train(self) -> int:
        return len(self.X_train)

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.n_train // self.config.batch_size)

    def run_weights(self, r: int) -> tuple[list, list]:
        """(weights, biases) of run r as a Network holds them: copies of shapes (n_in, n_out)
        and (n_out,)."""
        return [w[r].copy() for w in self.weights], [b[r, 0].copy() for b in self.biases]

    # ---- training -------------------------------------------------------------------------

    def step(self, n: int = 1):
        """n mini-batch updates of every run still training."""
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(int(n)):
                if not self.active.any():
                    return
                self._one_step()

    def run_epoch(self):
        self.step(-(-(self.n_train - self._cursor) // self.config.batch_size))

    def _one_step(self):
        if self.step_count % CHECKPOINT_EVERY == 0:
            self._check_collapse()
        batch = self._orders[:, self._cursor:self._cursor + self.config.batch_size]  # (runs, b)
        X = self.X_train[batch]                                  # (runs, b, input_dim)
        Y = self.Y_train[batch]                                  # (runs, b, n_outputs)
        pre, act = self._forward(X)
        loss, delta = self._loss(pre[-1], Y, act[-1])           # (runs,), (runs, b, n_out)
        bad = self.active & ~np.isfinite(loss)
        if bad.any():
            self._stop(bad, "the loss became nan or inf", self.step_count + 1)
        self._backward(pre, act, delta)
        if self._frozen:
            self._grad_flat[~self.active] = 0.0
        self.optimizer.step([self.flat], [self._grad_flat])
        self._cursor += batch.shape[1]
        self.step_count += 1
        if self.step_count % LAYER_STATS_EVERY == 0:     # as often as Trainer looks at norms
            self._check_weights()
        for r, saved in self._frozen.items():
            self.flat[r] = saved
        if self._cursor >= self.n_train:
            self._end_epoch()

    def _forward(self, X, outputs: bool = True):
        """(pre_activations, activations) per layer, each (runs, batch, width). X is
        (runs, batch, input_dim), or (batch, input_dim) shared by every run. With outputs
        False the last activations are None (the logits suffice)."""
        a = X
        activations, pre_activations = [a], []
        last = len(self.weights) - 1
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = np.matmul(a, W)
            z += b
            if l < last:
                a = self.activation.forward(z)
            else:
                a = self._outputs(z) if outputs else None
            pre_activations.append(z)
            activations.append(a)
        return pre_activations, activations

    def _backward(self, pre, act, delta):
        """Gradients of each run's loss (penalty included) into _grad_weights, _grad_biases."""
        for l in range(len(self.weights) - 1, -1, -1):
            grad_w = self._grad_weights[l]                      # (runs, n_in, n_out)
            np.matmul(act[l].swapaxes(1, 2), delta, out=grad_w)
            if self._regularized:
                grad_w += self.regularizer.gradient(self.weights[l], self.reg_rate)
            delta.sum(axis=1, keepdims=True, out=self._grad_biases[l])   # (runs, 1, n_out)
            if l > 0:
                delta = np.matmul(delta, self.weights[l].swapaxes(1, 2))
                self.activation.backprop(delta, pre[l - 1], act[l])

    def _end_epoch(self):
        self.epoch += 1
        self._orders = self._permutations()
        self._cursor = 0
        with_train = train_evaluation_due(self.epoch, self.step_count, self._train_evaluated_at)
        self.metrics = self.evaluate(with_train)
        self._record_metrics(with_train)

    # ---- divergence -----------------------------------------------------------------------

    def _stop(self, runs: np.ndarray, what: str, failed_at: int):
        """Stop the runs flagged in `runs` (runs,) bool, freezing their parameters as they are."""
        for r in np.flatnonzero(runs):
            self.active[r] = False
            self.diverged[r] = f"training diverged at step {failed_at}: {what}"
            self.diverged_at[r] = failed_at
            self._frozen[int(r)] = self.flat[r].copy()

    def _check_weights(self):
        # (runs, layers) squared Frobenius norms: sums over the weight segments of each row
        squares = np.add.reduceat(self.flat * self.flat, self._starts, axis=1)[:, 0::2]
        exploded = ~(squares < EXPLODED * EXPLODED)
        for l in np.flatnonzero((exploded & self.active[:, None]).any(axis=0)):
            self._stop(self.active & exploded[:, l], f"the weights of layer {l + 1} exploded",
                       self.step_count)

    def _check_collapse(self):
        """As Trainer: a hidden ReLU layer alive at the last check and wholly dead now."""
        if self.config.activation not in DEAD_ACTIVATIONS or len(self.weights) < 2:
            return
        pre, _ = self._forward(self.X_train)
        dead = np.stack([(z <= 0).all(axis=1).all(axis=1) for z in pre[:-1]], axis=1)
        if self._dead is not None:
            newly = dead & ~self._dead                                # (runs, hidden layers)
            collapsed = self.active & newly.any(axis=1)
            if collapsed.any():
                self._stop(collapsed, "every unit of a hidden layer died", self.step_count)
        self._dead = dead

    # ---- evaluation -----------------------------------------------------------------------

    def evaluate(self, with_train: bool = True) -> list[Metrics]:
        """Metrics of every run over the whole train and test sets, as Trainer.evaluate; with
        with_train False, over the test set only, the training figures kept from the last pass
        over it (Trainer's schedule, train_evaluation_due)."""
        test_loss, test_acc = self._set_figures(self.X_test, self.Y_test)
        self._test_evaluated_at = self.step_count
        if not with_train:
            return [Metrics(m.train_loss, m.train_data_loss, m.penalty, float(test_loss[r]),
                            m.train_accuracy, _item(test_acc, r))
                    for r, m in enumerate(self.metrics)]
        self._train_evaluated_at = self.step_count
        train_loss, train_acc = self._set_figures(self.X_train, self.Y_train)
        out = []
        for r, config in enumerate(self.configs):
            penalty = (self.regularizer.penalty([w[r] for w in self.weights], config.reg_rate)
                       if config.reg_rate else 0.0)
            out.append(Metrics(float(train_loss[r]) + penalty, float(train_loss[r]), penalty,
                               float(test_loss[r]), _item(train_acc, r), _item(test_acc, r)))
        return out

    def _set_figures(self, X, Y):
        """(runs,) mean losses and (runs,) accuracies (None for regression) over the rows X, Y."""
        with np.errstate(over="ignore", invalid="ignore"):
            pre, _ = self._forward(X, outputs=False)
        return self._loss_and_accuracy(pre[-1], Y)

    def _loss_and_accuracy(self, logits, Y):
        """(runs,) losses and (runs,) accuracies (None for regression) over a whole set, from
        its logits (runs, n, n_outputs), as Trainer measures them."""
        if len(Y) == 0:
            return np.full(self.n_runs, np.nan), None
        with np.errstate(over="ignore", invalid="ignore"):
            loss, _ = self._loss(logits, np.broadcast_to(Y, logits.shape), None, with_grad=False)
        if self.dataset.task == "regression":
            return loss, None
        if self.dataset.task == "binary":                  # sigmoid(z) > 1/2 where z > 0
            correct = (logits[..., 0] > 0) == (Y[:, 0] > 0.5)
        else:
            correct = logits.argmax(axis=-1) == Y.argmax(axis=1)
        return loss, correct.mean(axis=1)

    def refresh_metrics(self) -> list[Metrics]:
        """As Trainer.refresh_metrics: every run's figures at this step, recorded where the
        histories lack it (the end of a sweep)."""
        train_old = self._train_evaluated_at != self.step_count
        test_old = self._test_evaluated_at != self.step_count
        if train_old or test_old:
            self.metrics = self.evaluate()
            self._record_metrics(train_old, test_old)
        return self.metrics

    def _record_metrics(self, with_train: bool, with_test: bool = True):
        names = metric_names(with_train, with_test)
        for r in np.flatnonzero(self.active):
            m = self.metrics[r]
            for name in names:
                value = getattr(m, name)
                if value is not None:
                    self.histories[r].append(name, self.step_count, value)


def _item(values, r):
    return None if values is None else float(values[r])
