"""Training one task where it runs (a Dask worker, or this process): its batch of runs, to the
last epoch, and what the results table keeps of each run.

Everything here pickles: a Task goes to the worker, a TaskResult comes back. Data: a synthetic
or bundled data set is rebuilt on the worker from its settings (seeded, so exactly the client's)
and kept for the next task on the same data; a CSV data set comes as `dataset`, loaded once by
the client and shipped once to each worker (netsim/grid/executors.py), so the file need not be
on the workers.
"""
import functools
import hashlib
from dataclasses import dataclass

import numpy as np

from ..batched import BatchedRuns
from ..config import Config
from ..datasets import Dataset, make_dataset
from ..sweep import first_step_below
from .plan import Task

MEASURES = ("epochs", "steps", "final_train_loss", "final_test_loss", "final_train_accuracy",
            "final_test_accuracy", "best_train_loss", "best_test_loss", "best_train_accuracy",
            "best_test_accuracy", "steps_to_target", "diverged", "diverged_at", "divergence",
            "weights_checksum")
"""What the results table records of each run, after its settings."""
CURVES = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "penalty")
"""The series a run's curves hold (those its history has: no accuracy for regression)."""


@dataclass(frozen=True)
class TaskResult:
    task_key: str
    measures: dict      # run key -> {name in MEASURES: value}
    curves: dict        # run key -> {series: (steps (n,), values (n,))}; {} unless asked for


def train_task(task: Task, dataset: Dataset | None = None,
               keep_curves: bool = False) -> TaskResult:
    """Train the task's runs together for its epochs; their measures (and curves)."""
    if dataset is None:
        dataset = dataset_for(task.data_key)
    batch = BatchedRuns([run.config for run in task.runs], dataset)
    batch.step(task.epochs * batch.steps_per_epoch)
    batch.refresh_metrics()              # the final figures are of the last step
    measures, curves = {}, {}
    for r, run in enumerate(task.runs):
        measures[run.key] = _measures(batch, r, task)
        if keep_curves:
            history = batch.histories[r]
            curves[run.key] = {name: history[name].data() for name in CURVES if name in history}
    return TaskResult(task.key, measures, curves)


@functools.lru_cache(maxsize=4)
def dataset_for(data_key: tuple) -> Dataset:
    """The data set of these data settings (plan.data_key), built once per process."""
    config = Config().replace(**dict(data_key))
    return make_dataset(config.dataset, **config.data_kwargs())


def weights_checksum(parameters: np.ndarray) -> str:
    """16 hex digits of the SHA-256 of a run's parameters (W0, b0, W1, b1 ... as one row):
    equal checksums, equal weights to the bit."""
    return hashlib.sha256(np.ascontiguousarray(parameters).tobytes()).hexdigest()[:16]


def _measures(batch: BatchedRuns, r: int, task: Task) -> dict:
    """Run r's row: final figures (for a run that diverged, the last measured before it
    stopped), the best over its history, when it reached the target and whether it diverged."""
    history = batch.histories[r]
    steps, train_losses = history["train_loss"].data()
    return {
        "epochs": task.epochs, "steps": int(batch.step_count),
        **{f"final_{name}": history[name].last() if name in history else None
           for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")},
        "best_train_loss": _best(history, "train_loss", np.min),
        "best_test_loss": _best(history, "test_loss", np.min),
        "best_train_accuracy": _best(history, "train_accuracy", np.max),
        "best_test_accuracy": _best(history, "test_accuracy", np.max),
        "steps_to_target": first_step_below(steps, train_losses, task.target_loss),
        "diverged": batch.diverged[r] is not None,
        "diverged_at": batch.diverged_at[r],
        "divergence": batch.diverged[r],
        "weights_checksum": weights_checksum(batch.network.stack_flat[r]),
    }


def _best(history, name: str, choose) -> float | None:
    """choose (np.min, np.max) over the recorded values of a series; None if it has none."""
    if name not in history or not history[name].n:
        return None
    return float(choose(history[name].data()[1]))
