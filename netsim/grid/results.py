"""The results of a grid sweep: one row per run, a tidy table.

    run_key | settings: the data sets' settings, the grid's, seed | epochs steps
    final_train_loss final_test_loss final_train_accuracy final_test_accuracy
    best_train_loss best_test_loss best_train_accuracy best_test_accuracy
    steps_to_target diverged diverged_at divergence weights_checksum

RESULTS.csv is the record (netsim/grid/table_file.py): a task's rows are appended when it
finishes, and a run whose key is in the file is done; a sweep run again trains only the others,
so a sweep survives a crash, Ctrl+C or a lost worker, and no run is written twice.
RESULTS.parquet, when pyarrow is installed, is a copy written from it at the end of each
invocation. `read_results` reads either, for the summary and for the app: the table, each
run's label and, when they were kept, its curves.
"""
import csv
from dataclasses import dataclass
from pathlib import Path

from ..config import FIELDS
from ..errors import FileFormatError
from ..sweep import label_of
from .curves import curves_path, read_curves
from .table_file import AppendOnlyCsv, parquet_available, read_parquet, write_parquet
from .task import MEASURES, TaskResult

KEY = "run_key"
MEASURE_KINDS = {
    "epochs": "int", "steps": "int",
    **{name: "float" for name in MEASURES if name.startswith(("final_", "best_"))},
    "steps_to_target": "int", "diverged": "bool", "diverged_at": "int", "divergence": "str",
    "weights_checksum": "str",
}
SETTING_KINDS = {float: "float", int: "int", bool: "bool", str: "str", tuple: "list"}


def setting_kind(name: str) -> str:
    """The table_file kind of a Config field's column."""
    kind = SETTING_KINDS[FIELDS[name].kind]
    return f"{kind}_or_list" if FIELDS[name].per_layer else kind


def column_kinds(setting_columns) -> dict:
    """Every column of a results table with these settings, in order, with its kind."""
    return {KEY: "str", **{name: setting_kind(name) for name in setting_columns},
            **{name: MEASURE_KINDS[name] for name in MEASURES}}


def parquet_path(csv_path) -> Path:
    return Path(csv_path).with_suffix(".parquet")


class ResultsFile:
    """The results table a sweep writes, opened to resume (`open`) and grown a task at a
    time (`add`)."""

    def __init__(self, path, setting_columns):
        self.setting_columns = tuple(setting_columns)
        self.table = AppendOnlyCsv(path, column_kinds(self.setting_columns))
        self.done: set[str] = set()

    @property
    def path(self) -> Path:
        return self.table.path

    def open(self) -> set[str]:
        """The keys of the runs already in the file (a new file is made with the header)."""
        self.done = {row[KEY] for row in self.table.open()}
        return self.done

    def add(self, runs, result: TaskResult) -> int:
        """Append the rows of a finished task's runs (grid_file.Run, with the settings) not
        yet in the file; how many were written."""
        rows = []
        for run in runs:
            if run.key in self.done or run.key not in result.measures:
                continue
            settings = {name: getattr(run.config, name) for name in self.setting_columns}
            rows.append({KEY: run.key, **settings, **result.measures[run.key]})
        self.table.append(rows)
        self.done.update(row[KEY] for row in rows)
        return len(rows)

    def write_parquet(self) -> Path | None:
        """RESULTS.parquet from the CSV file; None (nothing written) without pyarrow."""
        if not parquet_available():
            return None
        path = parquet_path(self.path)
        write_parquet(path, self.table.kinds, self.table.read())
        return path


@dataclass(frozen=True)
class ResultsTable:
    """A results file as read back: what a table or a plot of the sweep needs."""
    path: Path
    settings: tuple         # the setting columns (data settings, grid settings, seed)
    columns: tuple          # every column, run_key first
    rows: list              # dicts of column -> value (None where empty)

    def label(self, row: dict) -> str:
        """A run's name from its settings: "lr 0.1, init he_normal, seed 3"."""
        return ", ".join(label_of(name, row[name]) for name in self.settings)

    def curves(self) -> dict:
        """{run key: {series: (steps, values)}} from the curves file beside this one
        (RESULTS.curves.csv or .parquet, written with --curves); {} if there is none. The
        Parquet copy is read when it is as new as the CSV file (it reads several times
        faster)."""
        paths = [curves_path(self.path.with_suffix(suffix)) for suffix in (".parquet", ".csv")]
        present = [path for path in paths if path.is_file()]
        if not present:
            return {}
        newest = max(path.stat().st_mtime for path in present)
        return read_curves(next(p for p in present if p.stat().st_mtime >= newest))


def read_results(path) -> ResultsTable:
    """A sweep's results from its .csv or .parquet file. FileFormatError (naming the file) if
    it is not one."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(f"{path}: no such results file")
    if path.suffix.lower() == ".parquet":
        columns, rows = read_parquet(path, {name: setting_kind(name) for name in FIELDS})
    else:
        try:
            with open(path, encoding="utf-8", errors="replace", newline="") as f:
                columns = tuple(next(csv.reader(f), []))
        except OSError as exc:
            raise FileFormatError(f"cannot read {path}: {exc.strerror or exc}") from None
        rows = None
    settings = _settings_of(path, columns)
    if rows is None:
        rows = AppendOnlyCsv(path, column_kinds(settings)).read()
    return ResultsTable(path, settings, tuple(column_kinds(settings)), rows)


def _settings_of(path, columns) -> tuple:
    """The setting columns between run_key and the measures; FileFormatError if the columns
    are not a results table's."""
    settings = tuple(columns[1:len(columns) - len(MEASURES)])
    if columns[:1] != (KEY,) or tuple(columns[len(columns) - len(MEASURES):]) != MEASURES \
            or not all(name in FIELDS for name in settings):
        raise FileFormatError(f"{path} is not a netsim-sweep results file (its columns are "
                              f"{', '.join(columns)})")
    return settings
