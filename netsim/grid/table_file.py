"""The sweep's tables on disk: a CSV file that grows by whole rows, and its Parquet copy.

The CSV file is the record a sweep resumes from. Rows are appended a task at a time, in one
write that is flushed and fsynced before the next task's rows are taken, so a crash or a power
cut can leave at most the last line torn; a torn last line (no line end) is dropped when the
file is opened again and its run trained again. Cells never hold a line break (text is put on
one line), so a line is a row.

Cells are typed by the column's kind: "float" (repr, exact; nan, inf), "int", "bool" (true,
false), "str", "list" (JSON, e.g. layers [8, 8]), and for settings given once or once per
hidden layer "str_or_list" and "float_or_list" (tanh, or ["relu", "tanh"]); an empty cell is
None. The Parquet copy has the same columns and types (a list as its JSON text, and a column of
single values and lists as text) and a schema_version in its metadata.
"""
import csv
import io
import json
import math
import os
from pathlib import Path

from ..errors import FileFormatError
from ..io.atomic import atomic_write, write_text_atomic

SCHEMA_VERSION = 1
KINDS = ("float", "int", "bool", "str", "list", "str_or_list", "float_or_list")
EITHER = "_or_list"     # the suffix of a kind whose cells hold one value or a list


def to_cell(kind: str, value) -> str:
    if value is None:
        return ""
    if kind.endswith(EITHER):
        kind = "list" if isinstance(value, (tuple, list)) else kind.removesuffix(EITHER)
    if kind == "float":
        value = float(value)
        return repr(value) if math.isfinite(value) else str(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "list":
        return json.dumps(list(value))
    return " ".join(str(value).splitlines())


def from_cell(kind: str, text: str):
    """The value of a cell written by to_cell; ValueError if the text cannot be one."""
    if text == "":
        return None
    if kind.endswith(EITHER):
        kind = "list" if text.startswith("[") else kind.removesuffix(EITHER)
    if kind == "float":
        return float(text)
    if kind == "int":
        return int(text)
    if kind == "bool":
        if text not in ("true", "false"):
            raise ValueError(f"expected true or false, got {text!r}")
        return text == "true"
    if kind == "list":
        return tuple(json.loads(text))
    return text


class AppendOnlyCsv:
    """A CSV table of fixed columns, each of a kind in KINDS, that grows by whole rows."""

    def __init__(self, path, kinds: dict):
        self.path = Path(path)
        self.kinds = dict(kinds)            # column -> kind, in the order of the columns

    @property
    def columns(self) -> tuple:
        return tuple(self.kinds)

    def open(self) -> list[dict]:
        """The rows already in the file (typed), after cutting a torn last line off the file;
        a new file gets the header. FileFormatError if the file has other columns or a
        damaged row."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            write_text_atomic(self.path, self._lines([list(self.columns)]))
            return []
        return self._rows(self._complete_text(cut=True))

    def read(self) -> list[dict]:
        """The rows in the file, leaving it as it is (a torn last line is passed over), for
        reading while a sweep may still be writing."""
        try:
            return self._rows(self._complete_text(cut=False))
        except OSError as exc:
            raise FileFormatError(f"cannot read {self.path}: {exc.strerror or exc}") from None

    def _rows(self, text: str) -> list[dict]:
        lines = list(csv.reader(io.StringIO(text)))
        if not lines or tuple(lines[0]) != self.columns:
            found = ", ".join(lines[0]) if lines else "nothing"
            raise FileFormatError(
                f"{self.path} holds other columns than this sweep's ({found}; expected "
                f"{', '.join(self.columns)}): name another output file")
        return [self._typed(cells, number) for number, cells in enumerate(lines[1:], start=2)]

    def append(self, rows: list[dict]):
        """Add rows (dicts of column -> value) in one write, on disk before this returns."""
        if not rows:
            return
        text = self._lines(self._cells(rows))
        with open(self.path, "a", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())

    def rewrite(self, rows: list[dict]):
        """Replace the rows with these (atomic: the old file or the new, never half)."""
        write_text_atomic(self.path, self._lines([list(self.columns), *self._cells(rows)]))

    def _cells(self, rows: list[dict]) -> list[list[str]]:
        return [[to_cell(kind, row.get(column)) for column, kind in self.kinds.items()]
                for row in rows]

    def _complete_text(self, cut: bool) -> str:
        """The file's text up to its last line end; with `cut`, a torn last line is also cut
        off the file."""
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if cut and end < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(end)
                os.fsync(f.fileno())
        try:
            return data[:end].decode("utf-8")
        except UnicodeDecodeError:
            raise FileFormatError(f"{self.path} is not a text file of sweep results") from None

    def _typed(self, cells: list, line: int) -> dict:
        if len(cells) != len(self.kinds):
            raise FileFormatError(f"{self.path} line {line} has {len(cells)} cells, the header "
                                  f"{len(self.kinds)}: the file is damaged; move it away and "
                                  f"run again")
        try:
            return {column: from_cell(kind, text)
                    for (column, kind), text in zip(self.kinds.items(), cells)}
        except ValueError as exc:
            raise FileFormatError(f"{self.path} line {line}: {exc}") from None

    @staticmethod
    def _lines(rows: list[list]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        return buffer.getvalue()


def parquet_available() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def write_parquet(path, kinds: dict, rows: list[dict]):
    """The rows as a Parquet file of these columns (atomic). Needs pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    types = {"float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(), "str": pa.string()}
    columns, fields = {}, []
    for column, kind in kinds.items():
        values = [row.get(column) for row in rows]
        stored = _parquet_kind(kind, values)
        as_text = stored == "str" and kind != "str"
        columns[column] = [to_cell(kind, value) if as_text and value is not None else value
                           for value in values]
        fields.append((column, types[stored]))
    schema = pa.schema(fields, metadata={"netsim.schema_version": str(SCHEMA_VERSION)})
    with atomic_write(path, "wb") as f:
        pq.write_table(pa.Table.from_pydict(columns, schema=schema), f)


def read_parquet(path, kinds: dict | None = None) -> tuple[tuple, list[dict]]:
    """(columns, typed rows) of a Parquet file written by write_parquet; `kinds` gives the
    kinds of columns that may hold lists (stored as text). FileFormatError if it cannot be
    read."""
    table = _parquet_table(path)
    kinds = kinds or {}
    rows = [{column: from_cell(kinds[column], value) if isinstance(value, str)
             and column in kinds and kinds[column] != "str" else value
             for column, value in row.items()} for row in table.to_pylist()]
    return tuple(table.column_names), rows


def read_parquet_columns(path) -> dict:
    """{column: (rows,) array} of a Parquet file: numbers as numbers, text as str arrays."""
    table = _parquet_table(path)
    columns = {}
    for name in table.column_names:
        values = table.column(name).to_numpy(zero_copy_only=False)
        columns[name] = values.astype(str) if values.dtype == object else values
    return columns


def _parquet_table(path):
    try:
        import pyarrow.parquet as pq
        return pq.read_table(path)
    except ImportError:
        raise FileFormatError(f"{path}: reading Parquet needs pyarrow: pip install "
                              f"'netsim[cluster]' (or pip install pyarrow)") from None
    except (OSError, ValueError) as exc:
        raise FileFormatError(f"{path} is not a readable Parquet file: {exc}") from None


def _parquet_kind(kind: str, values: list) -> str:
    """How a column is stored: its own type, text for lists (as JSON), and for a column of
    single values or lists the single values' type unless a list is among them."""
    if kind == "list":
        return "str"
    if kind.endswith(EITHER):
        if any(isinstance(value, (tuple, list)) for value in values):
            return "str"
        return kind.removesuffix(EITHER)
    return kind
