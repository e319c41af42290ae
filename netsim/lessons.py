"""Lessons: a run set up to make one idea visible, with what to watch and what to try next.

A lesson is a JSON file (resources/presets/*.json, or a teacher's own):

    {
      "schema_version": 1,
      "title": "Zero initialization",
      "text": "What this run shows, in two or three sentences.",
      "watch": "Where to look while it trains.",
      "try_next": "One change to make afterwards, and what it will show.",
      "config": {"dataset": "xor", "layers": [4], "init": "zeros"},
      "steps": 300,
      "chart": "weight_norms",
      "sweep": {"field": "init", "values": ["zeros", "xavier_uniform"]}
    }

`config` lists the settings that differ from the defaults (netsim.Config). `steps` is how long
the idea takes to show (the UI trains that long when asked to play the lesson). `chart` is the
chart to bring forward, one of CHARTS. `sweep` (optional) is a comparison the UI runs side by
side, one run per value. A malformed file raises FileFormatError naming the file and the key;
a bad setting raises ConfigError naming the file and the setting.
"""
import reprlib
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import ConfigError, FileFormatError
from .io.limits import MAX_SETTINGS_BYTES
from .io.reading import read_json_file
from .sweep import check_values

SCHEMA_VERSION = 1
PRESETS_DIR = Path(__file__).resolve().parent.parent / "resources" / "presets"
CHARTS = ("loss", "accuracy", "weight_norms", "grad_norms", "histogram")
REQUIRED = {"schema_version": int, "title": str, "text": str, "watch": str, "try_next": str,
            "config": dict}
OPTIONAL = {"steps": int, "chart": str, "sweep": dict}
DEFAULT_STEPS = 500
MAX_STEPS = 1_000_000
MAX_SWEEP_VALUES = 16       # runs compared side by side: one curve each, and a dozen is already
                            # hard to tell apart (the bundled lessons compare two to four)


@dataclass(frozen=True)
class LessonSweep:
    """A comparison the lesson declares: one run per value of one setting."""
    field: str
    values: tuple


@dataclass(frozen=True)
class Lesson:
    name: str               # the file's stem: "03_zero_init"
    title: str
    text: str               # what the run shows
    watch: str              # where to look while it trains
    try_next: str           # what to change afterwards
    config: Config
    steps: int              # steps the idea needs to show
    chart: str              # one of CHARTS
    sweep: LessonSweep | None   # a side-by-side comparison, or None
    path: Path

    def to_dict(self) -> dict:
        """The JSON object of this lesson (the config in full)."""
        d = {"schema_version": SCHEMA_VERSION, "title": self.title, "text": self.text,
             "watch": self.watch, "try_next": self.try_next, "config": self.config.to_dict(),
             "steps": self.steps, "chart": self.chart}
        if self.sweep is not None:
            d["sweep"] = {"field": self.sweep.field, "values": list(self.sweep.values)}
        return d


def load_lesson(path) -> Lesson:
    """Read and check one lesson file."""
    path = Path(path)
    try:
        data = read_json_file(path, "lesson", MAX_SETTINGS_BYTES, FileFormatError)
    except OSError as exc:
        raise FileFormatError(f"cannot read lesson {path.name}: {exc.strerror or exc}") from None
    except FileFormatError as exc:
        raise FileFormatError(f"lesson {exc}") from None
    return lesson_from_dict(data, path)


def lesson_from_dict(data, path) -> Lesson:
    path = Path(path)
    where = f"lesson {path.name}"
    _check_keys(data, where)
    if data["schema_version"] != SCHEMA_VERSION:
        raise FileFormatError(f"{where} has schema_version {data['schema_version']}; this "
                              f"version of NetSim reads version {SCHEMA_VERSION}")
    for key in ("title", "text", "watch", "try_next"):
        if not data[key].strip():
            raise FileFormatError(f"{where}: {key!r} is empty")
    try:
        config = Config.from_dict(data["config"])
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    steps = data.get("steps", DEFAULT_STEPS)
    if not 1 <= steps <= MAX_STEPS:
        raise FileFormatError(f"{where}: 'steps' must be from 1 to {MAX_STEPS}; got {steps}")
    chart = data.get("chart", "loss")
    if chart not in CHARTS:
        raise FileFormatError(f"{where}: 'chart' must be one of {', '.join(CHARTS)}; "
                              f"got {chart!r}")
    return Lesson(path.stem, data["title"].strip(), data["text"].strip(), data["watch"].strip(),
                  data["try_next"].strip(), config, steps, chart,
                  _sweep(data.get("sweep"), where), path)


def _check_keys(data, where):
    if not isinstance(data, dict):
        raise FileFormatError(f"{where} must hold a JSON object; got {type(data).__name__}")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise FileFormatError(f"{where}: unknown key {unknown[0]!r}; known keys: "
                              f"{', '.join([*REQUIRED, *OPTIONAL])}")
    for key in REQUIRED:
        if key not in data:
            raise FileFormatError(f"{where} lacks the key {key!r}")
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
            raise FileFormatError(f"{where}: {key!r} must be {_KIND_NAMES[kind]}; "
                                  f"got {reprlib.repr(data[key])}")


_KIND_NAMES = {int: "a whole number", str: "text", dict: "an object"}


def _sweep(data, where) -> LessonSweep | None:
    if data is None:
        return None
    if (set(data) != {"field", "values"} or not isinstance(data["field"], str)
            or not isinstance(data["values"], list)):
        raise FileFormatError(f"{where}: 'sweep' must be {{\"field\": NAME, \"values\": [...]}}; "
                              f"got {reprlib.repr(data)}")
    if len(data["values"]) > MAX_SWEEP_VALUES:
        raise FileFormatError(f"{where}: the sweep lists {len(data['values'])} values; a lesson "
                              f"compares up to {MAX_SWEEP_VALUES} runs side by side")
    try:
        return LessonSweep(data["field"], check_values(data["field"], data["values"]))
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def load_lessons(directory=PRESETS_DIR) -> list[Lesson]:
    """Every *.json lesson in a directory, in file-name order."""
    return [load_lesson(p) for p in sorted(Path(directory).glob("*.json"))]
