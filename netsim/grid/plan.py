"""Planning a grid's runs into tasks: batches of runs trained together (netsim.batched), the
unit a Dask worker, or this process, trains.

The plan depends on the runs and runs_per_task alone, never on where it runs: in-process and on
any cluster the same runs share a batch, so their results are the same to the bit. (A run
trained in a batch of 32 and the same run alone differ by float rounding, about 1e-10.)

Runs that can share a batch (netsim.batched.group_key: same data, architecture, optimizer ...)
are grouped in the order they first appear in the grid; each group is cut, in grid order, into
tasks of runs_per_task runs, the last one smaller. A sweep run again trains only the runs not
yet in its results: whole tasks are skipped, so the tasks left have the same runs as before.
"""
import hashlib
from dataclasses import dataclass

from ..batched import group_key
from ..config import FIELDS, Config
from ..errors import ConfigError

DEFAULT_RUNS_PER_TASK = 32   # bench/sweep.py: 16 small runs batched train >= 4x faster than one
                             # by one, and 32 a little faster still; a 256-run grid is then 8
                             # tasks, enough to keep a few workers busy
MAX_RUNS_PER_TASK = 4096


@dataclass(frozen=True)
class Task:
    runs: tuple                 # (grid_file.Run, ...) sharing one group_key, in grid order
    epochs: int
    target_loss: float | None

    @property
    def key(self) -> str:
        """A name for the task, the same wherever and whenever it is planned (Dask's key)."""
        digest = hashlib.sha256("".join(run.key for run in self.runs).encode("ascii"))
        return f"netsim-batch-{digest.hexdigest()[:16]}"

    @property
    def data_key(self) -> tuple:
        return data_key(self.runs[0].config)


def data_key(config: Config) -> tuple:
    """The data settings of a config: configs with equal keys learn from the same data."""
    return tuple((name, getattr(config, name)) for name, spec in FIELDS.items()
                 if spec.group == "data")


def plan_tasks(runs, epochs: int, target_loss: float | None,
               runs_per_task: int = DEFAULT_RUNS_PER_TASK) -> list[Task]:
    """The runs as tasks of at most runs_per_task runs that can train together."""
    if isinstance(runs_per_task, bool) or not isinstance(runs_per_task, int) \
            or not 1 <= runs_per_task <= MAX_RUNS_PER_TASK:
        raise ConfigError(f"runs per task must be a whole number from 1 to "
                          f"{MAX_RUNS_PER_TASK}; got {runs_per_task!r}")
    groups: dict[tuple, list] = {}
    for run in runs:
        groups.setdefault(group_key(run.config), []).append(run)
    return [Task(tuple(members[start:start + runs_per_task]), epochs, target_loss)
            for members in groups.values()
            for start in range(0, len(members), runs_per_task)]


def without_done(tasks: list[Task], done_keys) -> list[Task]:
    """The tasks with the runs whose keys are in done_keys left out; tasks with no run left
    are dropped. (A task keeps its runs together when its rows are written at once, so a task
    is normally either all done or not started.)"""
    left = []
    for task in tasks:
        runs = tuple(run for run in task.runs if run.key not in done_keys)
        if runs:
            left.append(task if len(runs) == len(task.runs)
                        else Task(runs, task.epochs, task.target_loss))
    return left
