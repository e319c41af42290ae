"""A grid file: the runs of a sweep over several settings at once, times seeds, optionally
times data sets.

    {"config": {"dataset": "circle", "layers": [8, 8], "activation": "relu"},
     "grid": {"learning_rate": [0.01, 0.03, 0.1], "init": ["he_normal", "xavier_uniform"]},
     "seeds": [0, 1, 2, 3],
     "datasets": ["circle", {"dataset": "csv", "csv_path": "data.csv"}],
     "epochs": 50,
     "target_loss": 0.1}

"config" is read exactly as a --config file (netsim/config_file.py): fields left out keep their
defaults, a relative csv_path is taken from the grid file's folder. "grid" gives each setting
(any Config field but seed; lists such as layers too) its values. "seeds" lists seeds, or is a
count N for seeds 0 to N-1 (default: the config's seed). "datasets" (optional) lists data sets:
a name, or an object of data settings (dataset, noise, n_samples, csv_path ...). "epochs" is
required; "target_loss" (optional) asks for the first step each run's train loss reached it.

The runs are every data set times every combination of the grid's values times every seed, in
that order (the last varies fastest). Each has a key, a hash of all that makes the run (its full
config, epochs and target loss): the results file is keyed by it, and a sweep run again skips
the keys already there.
"""
import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..config import FIELDS, Config
from ..config_file import config_from_dict, read_settings_file, with_csv_path_from
from ..datasets import CSV, DATASETS
from ..errors import ConfigError, NetsimError

KEYS = ("config", "grid", "seeds", "datasets", "epochs", "target_loss")
MAX_RUNS = 100_000      # a grid larger than this is more likely a typo (a seed count of 1e6)
                        # than a plan; split it into several files


@dataclass(frozen=True)
class Run:
    key: str            # run_key(config, epochs, target_loss)
    config: Config


@dataclass(frozen=True)
class Grid:
    base: Config
    axes: dict                  # setting -> its values (tuple), in the file's order
    seeds: tuple                # (int, ...)
    datasets: tuple             # (dict of data settings, ...); () when the file lists none
    epochs: int
    target_loss: float | None

    @property
    def setting_columns(self) -> tuple:
        """The results table's columns that say what a run is: the data settings the data sets
        name, the grid's settings, then seed."""
        data = dict.fromkeys(name for entry in self.datasets for name in entry)
        return (*data, *self.axes, "seed")

    @property
    def n_runs(self) -> int:
        return max(1, len(self.datasets)) * math.prod(map(len, self.axes.values())) \
            * len(self.seeds)

    def runs(self) -> list[Run]:
        """Every run of the grid, in order: data set, then the grid's values, then seed."""
        runs = []
        names = list(self.axes)
        for data in self.datasets or ({},):
            for values in itertools.product(*self.axes.values()):
                settings = self.base.replace(**data, **dict(zip(names, values)))
                for seed in self.seeds:
                    config = settings.replace(seed=seed)
                    runs.append(Run(run_key(config, self.epochs, self.target_loss), config))
        return runs


def run_key(config: Config, epochs: int, target_loss: float | None) -> str:
    """16 hex digits that stand for everything that makes a run's row of the results."""
    spec = {"config": config.to_dict(), "epochs": epochs, "target_loss": target_loss}
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_grid_file(path) -> Grid:
    """The Grid in the JSON file at `path`. OSError if it cannot be read; ConfigError naming the
    file and the entry at fault if it is not a valid grid."""
    path = Path(path)
    data = read_settings_file(path, "grid file")
    try:
        return parse_grid(data, path)
    except NetsimError as exc:
        raise ConfigError(f"the grid file {path}: {exc}") from None


def parse_grid(data, path) -> Grid:
    """A Grid from the JSON value of the grid file at `path` (relative CSV paths are taken from
    its folder)."""
    if not isinstance(data, dict):
        raise ConfigError('a grid file holds a JSON object with "config", "grid", "seeds" and '
                          '"epochs"')
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"unknown key {unknown[0]!r}; a grid file has {', '.join(KEYS)}")
    base = _base(data.get("config", {}), path)
    datasets = _datasets(data.get("datasets", []), base, path)
    axes = _axes(data.get("grid", {}), base, datasets)
    grid = Grid(base, axes, _seeds(data.get("seeds", [base.seed])), datasets,
                _epochs(data.get("epochs")), _target_loss(data.get("target_loss")))
    if grid.n_runs > MAX_RUNS:
        raise ConfigError(f"the grid makes {grid.n_runs:,} runs; at most {MAX_RUNS:,} are "
                          f"accepted in one file: split it into several")
    return grid


def _base(config, path) -> Config:
    if not isinstance(config, dict):
        raise ConfigError('"config" must be a JSON object of settings, as in a --config file')
    try:
        return config_from_dict(config, path)
    except NetsimError as exc:
        raise ConfigError(f"config: {exc}") from None


def _axes(grid, base: Config, datasets: tuple) -> dict:
    if not isinstance(grid, dict):
        raise ConfigError('"grid" must be a JSON object: {"setting": [values], ...}')
    named_by_datasets = {name for entry in datasets for name in entry}
    axes = {}
    for field, values in grid.items():
        if field == "seed":
            raise ConfigError('grid.seed: list the seeds under "seeds", not in the grid')
        if field not in FIELDS:
            raise ConfigError(f"grid.{field}: unknown setting; known settings: "
                              f"{', '.join(n for n in FIELDS if n != 'seed')}")
        if field in named_by_datasets:
            raise ConfigError(f"grid.{field}: {field} is already set by the data sets under "
                              f'"datasets"; give it in one place')
        axes[field] = _values(field, values, base)
    return axes


def _values(field: str, values, base: Config, where: str = "") -> tuple:
    """The values of one setting, each checked as Config checks it; `where` names the list in
    the errors (default grid.FIELD)."""
    where = where or f"grid.{field}"
    if not isinstance(values, list) or not values:
        raise ConfigError(f"{where} must be a non-empty list of values; got {values!r}")
    checked = []
    for k, value in enumerate(values):
        try:
            checked.append(getattr(base.replace(**{field: value}), field))
        except NetsimError as exc:
            raise ConfigError(f"{where}[{k}]: {exc}") from None
    if len(set(checked)) != len(checked):
        raise ConfigError(f"{where} lists a value twice: {values}")
    if field == "dataset":
        for k, name in enumerate(checked):
            _check_dataset_name(name, f"{where}[{k}]")
    return tuple(checked)


def _check_dataset_name(name: str, where: str):
    if name not in DATASETS and name != CSV:
        raise ConfigError(f"{where}: unknown data set {name!r}; known data sets: "
                          f"{', '.join(DATASETS)}, and {CSV!r} with a csv_path")


def _datasets(entries, base: Config, path) -> tuple:
    """Each data set as the data settings it changes: "xor" is {"dataset": "xor"}."""
    if not isinstance(entries, list):
        raise ConfigError('"datasets" must be a list of data set names or objects of data '
                          'settings')
    datasets = []
    for k, entry in enumerate(entries):
        entry = {"dataset": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, dict) or not entry:
            raise ConfigError(f"datasets[{k}] must be a data set name or an object of data "
                              f"settings; got {entry!r}")
        for name in entry:
            if name in FIELDS and FIELDS[name].group != "data":
                raise ConfigError(f"datasets[{k}].{name} is not a data setting; give it under "
                                  f'"config" or "grid"')
        entry = with_csv_path_from(entry, path)
        try:
            config = base.replace(**entry)
        except NetsimError as exc:
            raise ConfigError(f"datasets[{k}]: {exc}") from None
        _check_dataset_name(config.dataset, f"datasets[{k}]")
        datasets.append({name: getattr(config, name) for name in entry})
    if len({json.dumps(d, sort_keys=True) for d in datasets}) != len(datasets):
        raise ConfigError("datasets lists a data set twice")
    return tuple(datasets)


def _seeds(seeds) -> tuple:
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ConfigError(f"seeds must be a count >= 1 or a list of seeds; got {seeds}")
        return tuple(range(seeds))
    if not isinstance(seeds, list) or not seeds:
        raise ConfigError(f"seeds must be a non-empty list of seeds or a count; got {seeds!r}")
    return _values("seed", seeds, Config(), where="seeds")


def _epochs(epochs) -> int:
    if epochs is None:
        raise ConfigError('"epochs" is required: how many passes over the training set each run '
                          'trains')
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ConfigError(f"epochs must be a whole number >= 1; got {epochs!r}")
    return epochs


def _target_loss(target):
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, (int, float)) \
            or not math.isfinite(target) or target <= 0:
        raise ConfigError(f"target_loss must be a number > 0; got {target!r}")
    return float(target)
