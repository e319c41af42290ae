"""A sweep: one setting given several values, every run on the same data, compared in a table.

    field, values = parse_sweep("learning_rate=0.001,0.01,0.1")
    result = run_sweep(Config(dataset="circle"), field, values, epochs=50, target_loss=0.1)
    result.rows[0]["final_test_loss"]; result.write_csv("sweep.csv")

Runs that differ only in settings a Trainer applies per parameter (learning rate, optimizer
settings, regularization rate, init, seed) are trained together in one netsim.batched.BatchedRuns;
a sweep over anything else (activation, optimizer, layers ...) makes one group per value. Every
run equals the Trainer run of its config. `Sweep` advances in slices, for the UI's timer.
"""
import csv
import io
import math

from .batched import BatchedRuns, group_key
from .config import FIELDS, Config, field_short
from .errors import ConfigError
from .io.atomic import write_text_atomic

SWEEP_FIELDS = ("learning_rate", "init", "activation", "optimizer", "regularization", "reg_rate",
                "seed")
"""The settings the UI offers to sweep (any scalar field of Config may be swept)."""
COLUMNS = ("value", "final_train_loss", "final_test_loss", "train_accuracy", "test_accuracy",
           "steps_to_target", "diverged_at")


def parse_sweep(text: str) -> tuple[str, tuple]:
    """"learning_rate=0.001,0.01,0.1" -> ("learning_rate", (0.001, 0.01, 0.1)), each value
    parsed to the field's type and checked as Config checks it."""
    field, sep, listed = str(text).partition("=")
    field = field.strip()
    if not sep or not field:
        raise ConfigError(f"a sweep is FIELD=VALUE,VALUE,... (e.g. learning_rate=0.01,0.1); "
                          f"got {text!r}")
    spec = _scalar_spec(field)
    words = [w.strip() for w in listed.split(",")]
    if not any(words):
        raise ConfigError(f"the sweep of {field} lists no values")
    if not all(words):
        raise ConfigError(f"the sweep of {field} has an empty value in {listed!r}")
    return field, check_values(field, [_parsed(field, spec.kind, w) for w in words])


def check_values(field: str, values) -> tuple:
    """The values normalised as Config normalises them; ConfigError naming the field if one is
    out of range or of the wrong type, or if there are fewer than one or repeated values."""
    _scalar_spec(field)
    values = list(values)
    if not values:
        raise ConfigError(f"the sweep of {field} lists no values")
    checked = tuple(getattr(Config().replace(**{field: v}), field) for v in values)
    if len(set(checked)) != len(checked):
        raise ConfigError(f"the sweep of {field} lists a value twice: {list(values)}")
    return checked


def sweep_configs(base: Config, field: str, values) -> list[Config]:
    return [base.replace(**{field: v}) for v in check_values(field, values)]


def _scalar_spec(field):
    spec = FIELDS.get(field)
    if spec is None:
        raise ConfigError(f"cannot sweep unknown setting {field!r}; known settings: "
                          f"{', '.join(n for n, s in FIELDS.items() if s.kind is not tuple)}")
    if spec.kind is tuple:
        raise ConfigError(f"{field} is a list and cannot be swept; sweep one value such as "
                          f"learning_rate, init or seed")
    return spec


def _parsed(field, kind, word):
    if kind is str:
        return word
    if kind is bool:
        if word.lower() not in ("true", "false"):
            raise ConfigError(f"{field} must be true or false; got {word!r}")
        return word.lower() == "true"
    try:
        number = float(word)
    except ValueError:
        raise ConfigError(f"{field} must be a number; got {word!r}") from None
    return int(number) if kind is int and number.is_integer() else number


def label_of(field: str, value) -> str:
    """A short label for a run: "lr 0.3", "init he_normal", "seed 2", "layers [8, 8]"."""
    return f"{field_short(field)} {shown_value(value)}"


def shown_value(value) -> str:
    """A setting's value as a person reads it: 0.3, he_normal, [8, 8]."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


class Sweep:
    """The runs of a sweep, trained towards `epochs` epochs each in slices of steps."""

    def __init__(self, base: Config, field: str, values, epochs: int, dataset=None):
        if not isinstance(epochs, int) or epochs < 1:
            raise ConfigError(f"epochs must be a whole number >= 1; got {epochs!r}")
        self.field = field
        self.configs = sweep_configs(base, field, values)
        self.values = tuple(getattr(c, field) for c in self.configs)
        self.labels = [label_of(field, v) for v in self.values]
        self.epochs = epochs
        shares_data = FIELDS[field].group != "data"
        groups: dict[tuple, list[int]] = {}
        for k, config in enumerate(self.configs):
            groups.setdefault(group_key(config), []).append(k)
        self.groups: list[BatchedRuns] = []
        self._where: list[tuple[int, int]] = [None] * len(self.configs)   # run -> (group, index)
        for members in groups.values():
            batch = BatchedRuns([self.configs[k] for k in members],
                                dataset if shares_data else None)
            if shares_data and dataset is None:
                dataset = batch.dataset                 # every later group learns the same data
            for index, k in enumerate(members):
                self._where[k] = (len(self.groups), index)
            self.groups.append(batch)
        self.dataset = self.groups[0].dataset

    @property
    def n_runs(self) -> int:
        return len(self.configs)

    @property
    def total_steps(self) -> int:
        return sum(self._target(g) for g in self.groups)

    @property
    def steps_done(self) -> int:
        return sum(min(g.step_count, self._target(g)) for g in self.groups)

    @property
    def finished(self) -> bool:
        return all(g.step_count >= self._target(g) or not g.active.any() for g in self.groups)

    def _target(self, group: BatchedRuns) -> int:
        return self.epochs * group.steps_per_epoch

    def step(self, n: int = 1):
        """Up to n more steps of every group that has not reached its last epoch."""
        for group in self.groups:
            group.step(max(0, min(n, self._target(group) - group.step_count)))
            if group.step_count >= self._target(group):
                group.refresh_metrics()        # the summary's final figures are of the last step

    def run(self, progress=None):
        """Train to the end; progress(steps_done, total_steps) after every epoch's worth."""
        while not self.finished:
            self.step(min(g.steps_per_epoch for g in self.groups))
            if progress is not None:
                progress(self.steps_done, self.total_steps)

    def history(self, k: int) -> dict:
        """Run k's curves: series name -> (steps, values), as TrainingController.history_arrays."""
        g, index = self._where[k]
        series = self.groups[g].histories[index].series
        return {name: s.data() for name, s in series.items()}

    def diverged(self, k: int) -> str | None:
        g, index = self._where[k]
        return self.groups[g].diverged[index]

    def row(self, k: int, target_loss: float | None = None) -> dict:
        """Run k's line of the summary table; losses of a diverged run are those it had when
        last evaluated before it stopped."""
        g, index = self._where[k]
        group = self.groups[g]
        history = group.histories[index]
        steps, losses = history["train_loss"].data()
        final = {name: (history[name].last() if name in history else None)
                 for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")}
        return {"value": self.values[k], "final_train_loss": final["train_loss"],
                "final_test_loss": final["test_loss"], "train_accuracy": final["train_accuracy"],
                "test_accuracy": final["test_accuracy"],
                "steps_to_target": first_step_below(steps, losses, target_loss),
                "diverged_at": group.diverged_at[index]}

    def rows(self, target_loss: float | None = None) -> list[dict]:
        return [self.row(k, target_loss) for k in range(self.n_runs)]


def first_step_below(steps, losses, target):
    """The first evaluated step whose train loss is <= target (None if never or no target)."""
    if target is None:
        return None
    hits = [int(s) for s, v in zip(steps, losses) if v <= target]
    return hits[0] if hits else None


class SweepResult:
    def __init__(self, field: str, rows: list[dict], histories: list[dict]):
        self.field = field
        self.rows = rows                # one dict per value, keys COLUMNS
        self.histories = histories      # per run: series name -> (steps, values)

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([self.field if c == "value" else c for c in COLUMNS])
        for row in self.rows:
            writer.writerow([_cell(row[c]) for c in COLUMNS])
        return buffer.getvalue()

    def write_csv(self, path):
        """Write the table, header first (the value column is named after the field); atomic."""
        write_text_atomic(path, self.to_csv())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)


def run_sweep(base_config: Config, field: str, values, epochs: int, target_loss=None,
              progress=None) -> SweepResult:
    """Train one run per value of `field` for `epochs` epochs on the same data.
    progress(steps_done, total_steps) is called as it goes."""
    if target_loss is not None and not (isinstance(target_loss, (int, float))
                                        and math.isfinite(target_loss) and target_loss > 0):
        raise ConfigError(f"target loss must be a number > 0; got {target_loss!r}")
    sweep = Sweep(base_config, field, values, epochs)
    sweep.run(progress)
    return SweepResult(field, sweep.rows(target_loss),
                       [sweep.history(k) for k in range(sweep.n_runs)])
