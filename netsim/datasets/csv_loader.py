"""Loading a person's CSV file: numeric feature columns plus one target column.

The file needs a header row. Fields are separated by commas, semicolons or tabs (whichever splits
the header into the most columns), may be quoted, and lines may end in LF, CRLF or CR. Text is
UTF-8, with or without a byte-order mark. Blank lines are skipped.

The file must be a regular file (not a device or a pipe) of at most MAX_CSV_BYTES, with at
most MAX_CSV_COLUMNS columns and MAX_ARRAY_ELEMENTS values (netsim.io.limits).

Every problem raises DataError naming the file and, where there is one, the line (1-based, as a
text editor counts, header included) and column; nothing is returned unless the whole file is good.

Speed: files with LF or CRLF line ends are parsed by numpy.loadtxt (same quoting rules as the
csv module); files with bare CR line ends, and any file loadtxt rejects, go through the csv
module, which also finds the cell to blame.
"""

import csv
import io
import os
import re
import warnings
from pathlib import Path

import numpy as np

from netsim.errors import DataError
from netsim.io.limits import MAX_ARRAY_ELEMENTS, MAX_CSV_BYTES, MAX_CSV_COLUMNS, MAX_NAME_CHARS
from netsim.io.reading import read_bytes

TASKS = ("auto", "classification", "regression")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-"})   # compared lower-cased
MAX_CLASSES = 100
MAX_MAGNITUDE = 1e150   # features beyond this have squares that overflow double precision
AUTO_CLASSES = 10       # "auto": a target of whole numbers with at most this many distinct values
                        # (0/1, digits 0-9, ratings 1-5), each used twice on average, is class
                        # labels, not a quantity
_LISTED_COLUMNS = 20


def load_csv(path, target: str | None = None, task: str = "auto"):
    """Read a CSV file of numeric features and one target column.

    target: the target column's header name; None for the last column.
    task: "auto" (text labels, or whole numbers with at most AUTO_CLASSES distinct values, mean
    classes; any other numeric target means regression), "classification" (also for numeric
    class labels with more distinct values) or "regression".

    Returns (raw, y, raw_names, class_names, task):
      raw (n, d) float64 feature columns, in file order without the target;
      y (n,) int64 class index (classes sorted: numerically when all labels are numbers) or
        float64 target for regression;
      raw_names (d,) feature headers; class_names (n_classes,) labels, () for regression;
      task "binary", "multiclass" or "regression".
    """
    if task not in TASKS:
        raise DataError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    if target is not None and not isinstance(target, str):
        raise DataError(f"target must be a column name or None (the last column), got {target!r}")
    source = _Source(_checked_path(path))
    target_column = source.column_index(target)
    parsed = source.parse_fast(target_column) or source.parse_slow(target_column)
    features, target_codes, target_texts = parsed
    if features.size + len(target_codes) > MAX_ARRAY_ELEMENTS:
        raise DataError(f"{path}: {len(target_codes)} rows of {len(source.names)} columns are "
                        f"{features.size + len(target_codes)} values; NetSim reads up to "
                        f"{MAX_ARRAY_ELEMENTS}")
    source.check_finite(features, target_column)
    y, class_names, task = _targets(source, target_column, target_codes, target_texts, task)
    raw_names = source.names[:target_column] + source.names[target_column + 1:]
    return features, y, raw_names, class_names, task


def _checked_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise DataError(f"path must be a file name, got {path!r}")
    return Path(path)


# byte-order marks of encodings other than UTF-8; UTF-32 LE's begins with UTF-16 LE's, so
# the longer ones are tried first
_OTHER_ENCODINGS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _read_text(path: Path) -> str:
    try:
        data = read_bytes(path, "CSV file", MAX_CSV_BYTES, DataError)
    except DataError:
        raise
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DataError(f"{path}: cannot be read ({reason})") from None
    for mark, encoding in _OTHER_ENCODINGS:
        if data.startswith(mark):
            raise DataError(f"{path}: is {encoding} text; save it as UTF-8 (in Excel: CSV UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DataError(f"{path}: line {line}: byte 0x{data[error.start]:02x} is not UTF-8 text; "
                        f"save the file as UTF-8 (in Excel: CSV UTF-8)") from None
    if not text.strip():
        raise DataError(f"{path}: the file is empty; it needs a header row and data rows")
    return text


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str):
    """Lazily yield the lines of text with their ends (LF, CRLF or CR), as a text editor counts
    them; lazy, so that reading a header does not copy a large file."""
    return (match.group() for match in _LINE.finditer(text))


def _is_blank(cells: list[str]) -> bool:
    return not cells or (len(cells) == 1 and not cells[0].strip())


def _shown(cell: str) -> str:
    return repr(cell if len(cell) <= 40 else cell[:40] + "…")


class _Source:
    """The text of one CSV file, its delimiter and header, and errors located in it."""

    def __init__(self, path: Path):
        self.path = path
        self.text = _read_text(path)
        self.delimiter, header, self.header_end_line = self._sniff_header()
        if len(header) > MAX_CSV_COLUMNS:
            raise self.error(f"the header has {len(header)} columns; NetSim reads up to "
                             f"{MAX_CSV_COLUMNS}")
        self.names = tuple(cell.strip() or f"column {j + 1}" for j, cell in enumerate(header))
        for j, name in enumerate(self.names):
            if len(name) > MAX_NAME_CHARS:
                raise self.error(f"the name of column {j + 1} has {len(name)} characters; "
                                 f"NetSim reads names of up to {MAX_NAME_CHARS}")

    def error(self, problem: str, line: int | None = None, column: int | None = None) -> DataError:
        """DataError at `line` and 0-based file `column`, both optional."""
        where = [f"line {line}"] if line is not None else []
        if column is not None:
            where.append(f"column {column + 1} ({self.names[column]!r})")
        parts = [str(self.path), ", ".join(where), problem] if where else [str(self.path), problem]
        return DataError(": ".join(parts))

    def records(self, delimiter: str | None = None):
        """Yield (first line, cells, last line) for every non-blank record, header first."""
        reader = csv.reader(_lines(self.text), delimiter=delimiter or self.delimiter)
        end_of_previous = 0
        try:
            for cells in reader:
                start, end_of_previous = end_of_previous + 1, reader.line_num
                if not _is_blank(cells):
                    yield start, cells, end_of_previous
        except csv.Error as error:
            problem = (f"a quoted field that starts here is never closed, or is longer than "
                       f"{csv.field_size_limit()} characters" if "field larger" in str(error)
                       else f"cannot be read as CSV ({error})")
            raise self.error(problem, line=end_of_previous + 1) from None

    def data_record(self, index: int) -> tuple[int, list[str]]:
        """(line, cells) of data row `index` (0-based, header and blank lines not counted)."""
        for number, (line, cells, _) in enumerate(self.records()):
            if number == index + 1:
                return line, cells
        raise IndexError(index)

    def _header(self, delimiter: str) -> tuple[list[str], int]:
        """(cells, last line) of the first non-blank record when split at `delimiter`."""
        for _, cells, end_line in self.records(delimiter):
            return cells, end_line
        raise self.error("the file has no header row; it needs a header row and data rows")

    def _sniff_header(self) -> tuple[str, list[str], int]:
        """(delimiter, header cells, last line of the header): the delimiter among DELIMITERS
        that splits the header into the most columns, the first listed on a tie."""
        headers, first_error = {}, None
        for delimiter in DELIMITERS:
            try:
                headers[delimiter] = self._header(delimiter)
            except DataError as error:
                first_error = first_error or error
        if not headers:
            raise first_error
        best = max(headers, key=lambda delimiter: len(headers[delimiter][0]))
        cells, end_line = headers[best]
        if len(cells) < 2:
            raise self.error("the header has a single column; a CSV file here needs feature columns "
                             "and a target column separated by commas, semicolons or tabs")
        return best, cells, end_line

    def column_index(self, target: str | None) -> int:
        if target is None:
            return len(self.names) - 1
        matches = [j for j, name in enumerate(self.names) if name == target.strip()]
        if len(matches) > 1:
            raise self.error(f"the target name {target!r} heads columns "
                             f"{', '.join(str(j + 1) for j in matches)}; rename one")
        if not matches:
            shown = ", ".join(self.names[:_LISTED_COLUMNS])
            more = len(self.names) - _LISTED_COLUMNS
            shown += f" and {more} more" if more > 0 else ""
            raise self.error(f"target column {target!r} not found; the columns are: {shown}")
        return matches[0]

    def _body(self) -> str:
        """The text after the header record; only for text whose line ends are LF or CRLF."""
        end = 0
        for _ in range(self.header_end_line):
            end = self.text.find("\n", end) + 1
            if end == 0:
                return ""
        return self.text[end:]

    def parse_fast(self, target_column: int):
        """(features (n, d), target codes (n,), target texts) via numpy.loadtxt, or None when the
        file needs the careful path (bare CR line ends, anything loadtxt refuses)."""
        if self.text.count("\r") != self.text.count("\r\n"):
            return None
        body = self._body()
        texts: dict[str, int] = {}

        def code(cell: str) -> int:
            return texts.setdefault(cell.strip(), len(texts))

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                table = np.loadtxt(io.StringIO(body), delimiter=self.delimiter, comments=None,
                                   quotechar='"', dtype=np.float64, ndmin=2,
                                   converters={target_column: code})
        except (ValueError, TypeError, OverflowError, UserWarning):
            return None
        longest = max(map(len, texts), default=0)
        if table.shape[1] != len(self.names) or longest > csv.field_size_limit():
            return None        # the csv module refuses so long a field: an unclosed quote, likely
        features = np.delete(table, target_column, axis=1)
        return features, table[:, target_column].astype(np.int64), list(texts)

    def parse_slow(self, target_column: int):
        """Like parse_fast, with the csv module; raises DataError at the first bad row or cell."""
        rows, lines = [], []
        width = len(self.names)
        records = self.records()
        next(records)
        for line, cells, last_line in records:
            if len(cells) != width:
                problem = f"the row has {len(cells)} fields but the header has {width}"
                if last_line > line:       # one record over several lines: a quote left open
                    problem += (f"; it runs on to line {last_line}, so a quote (\") opened on "
                                f"line {line} is probably never closed")
                raise self.error(problem, line)
            rows.append(cells)
            lines.append(line)
        if not rows:
            raise self.error("the file has a header row but no data rows")
        texts: dict[str, int] = {}
        codes = np.array([texts.setdefault(row[target_column].strip(), len(texts)) for row in rows],
                         dtype=np.int64)
        cells = [row[:target_column] + row[target_column + 1:] for row in rows]
        return self._floats(cells, lines, target_column), codes, list(texts)

    def _floats(self, cells: list[list[str]], lines: list[int], target_column: int) -> np.ndarray:
        try:
            return np.array(cells, dtype=np.float64).reshape(len(cells), -1)
        except (ValueError, TypeError, OverflowError):
            pass
        values = np.empty((len(cells), len(cells[0])))
        for i, row in enumerate(cells):
            for j, cell in enumerate(row):
                try:
                    values[i, j] = float(cell)
                except ValueError:
                    column = j if j < target_column else j + 1
                    raise self.error(_cell_problem(cell, self.delimiter), lines[i], column) from None
        return values

    def check_finite(self, features: np.ndarray, target_column: int) -> None:
        """Raise DataError at the first NaN or infinite feature (a missing value or an overflow),
        or one too large to standardise (its square overflows double precision)."""
        bad = ~(np.abs(features) <= MAX_MAGNITUDE)
        if not bad.any():
            return
        row, j = np.argwhere(bad)[0]
        column = j if j < target_column else j + 1
        line, cells = self.data_record(int(row))
        raise self.error(_cell_problem(cells[column], self.delimiter), line, column)


def _cell_problem(cell: str, delimiter: str) -> str:
    """What is wrong with a feature cell that is not a finite number."""
    if cell.strip().lower() in MISSING:
        return f"missing value {_shown(cell)}; every feature cell needs a number"
    try:
        number = float(cell)
    except ValueError:
        pass
    else:
        if np.isfinite(number):
            return (f"value {_shown(cell)} is too large: features must lie within "
                    f"\u00b1{MAX_MAGNITUDE:.0e} to be standardised; rescale the column")
        return f"value {_shown(cell)} is not a finite number"
    hint = ""
    if delimiter != "," and re.fullmatch(r"\s*[-+]?\d*,\d+\s*", cell):
        hint = "; decimal commas are not supported, write a point (2.5)"
    return f"non-numeric value {_shown(cell)} in a feature column; features must be numbers{hint}"


def _number_name(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _look_like_labels(numbers: list[float], rows: int) -> bool:
    """Whether the distinct numeric targets of `rows` rows read as class labels: few, whole,
    and each used twice on average (two rows holding 1 and 4 are more likely quantities)."""
    values = np.array(numbers)
    return 2 <= len(values) <= min(AUTO_CLASSES, rows // 2) \
        and bool(np.all(np.isfinite(values))) and bool(np.all(values == np.round(values)))


def _as_numbers(texts: list[str]) -> list[float] | None:
    try:
        return [float(text) for text in texts]
    except ValueError:
        return None


def _targets(source: _Source, column: int, codes: np.ndarray, texts: list[str], task: str):
    """(y, class_names, task) from the target column's distinct texts and each row's code."""
    def fail(code: int, problem: str) -> DataError:
        line, _ = source.data_record(int(np.argmax(codes == code)))
        return source.error(problem, line, column)

    for code, text in enumerate(texts):
        if text.lower() in MISSING:
            raise fail(code, f"missing target value {_shown(text)}")
    numbers = _as_numbers(texts)
    if task == "regression" and numbers is None:
        code = next(code for code, text in enumerate(texts) if _as_numbers([text]) is None)
        raise fail(code, f"target {_shown(texts[code])} is not a number; regression needs numeric "
                         f"targets (use task 'classification' for class labels)")
    if task == "auto":
        task = "regression" if numbers is not None and not _look_like_labels(numbers, len(codes)) \
            else "classification"
    if task == "regression":
        values = np.array(numbers, dtype=np.float64)
        if not np.isfinite(values).all():
            code = int(np.flatnonzero(~np.isfinite(values))[0])
            raise fail(code, f"target {_shown(texts[code])} is not a finite number")
        return values[codes], (), "regression"
    if numbers is not None:
        distinct, class_of_text = np.unique(np.array(numbers), return_inverse=True)
        class_names = tuple(_number_name(float(value)) for value in distinct)
    else:
        class_names = tuple(sorted(texts))
        index = {name: k for k, name in enumerate(class_names)}
        class_of_text = np.array([index[text] for text in texts])
    if len(class_names) < 2:
        raise source.error(f"the target column {source.names[column]!r} has only one class "
                           f"({class_names[0]!r}); classification needs at least two")
    long_name = next((name for name in class_names if len(name) > MAX_NAME_CHARS), None)
    if long_name is not None:
        raise source.error(f"the class label {_shown(long_name)} has {len(long_name)} "
                           f"characters; NetSim reads labels of up to {MAX_NAME_CHARS}")
    if len(class_names) > MAX_CLASSES:
        raise source.error(f"the target column {source.names[column]!r} has {len(class_names)} "
                           f"distinct values; classification supports up to {MAX_CLASSES} classes "
                           f"(use task 'regression' for a numeric target)")
    y = class_of_text.astype(np.int64)[codes]
    return y, class_names, "binary" if len(class_names) == 2 else "multiclass"
