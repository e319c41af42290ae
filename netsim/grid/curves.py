"""A sweep's curves, when asked for (netsim-sweep --curves): every run's recorded train and
test losses and accuracies, as a tidy table beside the results, RESULTS.curves.csv:

    run_key, series, step, value        one row per recorded point

A task's curves are appended just before its results rows; the results file is the record, so
when a sweep resumes, curves of runs missing from the results (a crash between the two
writes) are dropped and trained again. RESULTS.curves.parquet is its copy, as for the results.
"""
from pathlib import Path

import numpy as np

from ..errors import FileFormatError
from .table_file import (AppendOnlyCsv, parquet_available, read_parquet_columns,
                         write_parquet)
from .task import TaskResult

KINDS = {"run_key": "str", "series": "str", "step": "int", "value": "float"}


def curves_path(results_path) -> Path:
    """RESULTS.curves.csv for RESULTS.csv; RESULTS.curves.parquet for RESULTS.parquet."""
    path = Path(results_path)
    return path.with_suffix(".curves" + path.suffix)


class CurvesFile:
    def __init__(self, path):
        self.table = AppendOnlyCsv(path, KINDS)

    def open(self, done_keys):
        """Ready to append; rows of runs not in done_keys (their results never written) are
        dropped from the file."""
        rows = self.table.open()
        kept = [row for row in rows if row["run_key"] in done_keys]
        if len(kept) != len(rows):
            self.table.rewrite(kept)

    def add(self, result: TaskResult, keys):
        """Append the curves of these runs of a finished task."""
        self.table.append([{"run_key": key, "series": series, "step": int(step), "value": value}
                           for key in keys
                           for series, (steps, values) in result.curves.get(key, {}).items()
                           for step, value in zip(steps, values)])

    @property
    def path(self) -> Path:
        return self.table.path

    def write_parquet(self) -> Path | None:
        if not parquet_available():
            return None
        path = self.path.with_suffix(".parquet")
        write_parquet(path, KINDS, self.table.read())
        return path


def read_curves(path) -> dict:
    """{run key: {series: (steps (n,), values (n,))}} from a curves .csv or .parquet file."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(f"{path}: no such curves file")
    if path.suffix.lower() == ".parquet":
        columns = read_parquet_columns(path)
        if tuple(columns) != tuple(KINDS):
            raise FileFormatError(f"{path} is not a netsim-sweep curves file")
    else:
        rows = AppendOnlyCsv(path, KINDS).read()
        columns = {name: np.array([row[name] for row in rows],
                                  dtype=str if kind == "str" else float)
                   for name, kind in KINDS.items()}
    return _grouped(columns["run_key"], columns["series"], columns["step"], columns["value"])


def _grouped(keys, series, steps, values) -> dict:
    """The points split into each run's series; a run's series is a run of consecutive rows
    (a task's curves are written run by run, series by series)."""
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]) | (series[1:] != series[:-1])])
    ends = np.r_[starts[1:], len(keys)]
    curves: dict = {}
    for start, end in zip(starts, ends):
        run = curves.setdefault(str(keys[start]), {})
        name = str(series[start])
        part = (steps[start:end].astype(float), values[start:end].astype(float))
        run[name] = part if name not in run else tuple(np.r_[a, b] for a, b in
                                                       zip(run[name], part))
    return curves
