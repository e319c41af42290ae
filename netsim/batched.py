"""Several runs of one architecture trained together: a RunStack of many (netsim/run_stack.py),
each run exactly the Trainer run of its config on the same data, bit for bit.

Runs may differ in the settings a Trainer applies per parameter (BATCHABLE): the learning rate
and the other optimizer settings, the regularization rate, the init, the bias init and the seed.
Everything else (data, layers, activation, optimizer, regularization, batch size, dtype) is
shared; `group_key` says which configs can share a BatchedRuns (netsim.sweep groups the rest).

A run that diverges is frozen where it failed (netsim/divergence.py's Freeze): `diverged[r]`
says what happened, `active[r]` is False, and the other runs go on.

    network.stack_flat   (runs, n_parameters)  every parameter of run r in row r
    run_weights(r)       run r's weights and biases, shaped as a Trainer's
"""
import numpy as np

from .config import FIELDS, OPTIMIZER_FIELDS, Config
from .datasets import Dataset
from .divergence import Freeze
from .errors import ConfigError
from .history import History
from .run_stack import METRIC_SERIES, Metrics, RunStack

BATCHABLE = (*OPTIMIZER_FIELDS, "reg_rate", "init", "bias_init", "seed")
"""Fields that may differ between the runs of one BatchedRuns."""


def group_key(config: Config) -> tuple:
    """Configs with equal keys can be trained together in one BatchedRuns."""
    return tuple((name, getattr(config, name)) for name in FIELDS if name not in BATCHABLE)


class BatchedRuns(RunStack):
    def __init__(self, configs, dataset: Dataset | None = None):
        """configs: one Config per run, all with the same group_key. dataset: the data all runs
        learn from; None builds it from the first config, as a Trainer would."""
        configs = list(configs)
        if not configs:
            raise ConfigError("a batch of runs needs at least one config")
        for config in configs[1:]:
            different = [n for n in configs[0].differing_fields(config) if n not in BATCHABLE]
            if different:
                raise ConfigError(f"runs trained together must share {', '.join(different)}")
        self.histories = [History() for _ in configs]
        super().__init__(configs, dataset, Freeze(len(configs)))
        self._record_metrics()

    @property
    def n_runs(self) -> int:
        return len(self.configs)

    @property
    def metrics(self) -> list[Metrics]:
        return self.metrics_of_runs

    @property
    def active(self) -> np.ndarray:
        """(runs,) bool: which runs are still training."""
        return self.policy.active

    @property
    def diverged(self) -> list:
        """What stopped each run, None while it trains."""
        return self.policy.reasons

    @property
    def diverged_at(self) -> list:
        return self.policy.stopped_at

    def run_weights(self, r: int) -> tuple[list, list]:
        """(weights, biases) of run r as a Network holds them: copies of shapes (n_in, n_out)
        and (n_out,)."""
        weights, biases = self.network.views(self.network.stack_flat[r])
        return [w.copy() for w in weights], [b.copy() for b in biases]

    def step(self, n: int = 1):
        """n mini-batch updates of every run still training."""
        for _ in range(int(n)):
            if not self.active.any():
                return
            super().step()

    def evaluate(self) -> list[Metrics]:
        """Every run's metrics over the whole train and test sets, as Trainer.evaluate."""
        self.metrics_of_runs = self._measure()
        return self.metrics_of_runs

    def refresh_metrics(self) -> list[Metrics]:
        """As Trainer.refresh_metrics: every run's figures at this step, recorded where the
        histories lack it (the end of a sweep)."""
        if self._evaluated_at != self.step_count:
            self.evaluate()
            self._record_metrics()
        return self.metrics_of_runs

    def _record_metrics(self):
        for r in np.flatnonzero(self.active):
            m = self.metrics_of_runs[r]
            for name in METRIC_SERIES:
                value = getattr(m, name)
                if value is not None:
                    self.histories[r].append(name, self.step_count, value)
