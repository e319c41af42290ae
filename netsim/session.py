"""Sessions: a run saved to a `.netsim` file and reopened to continue exactly where it was.

N steps, save, open, M steps gives the same weights, optimizer state and history, bit for
bit, as N + M steps without a break. The file is a zip archive, never a pickle:

    manifest.json          format "netsim-session", schema_version, the config, the data's
                           recipe, counters, rng state, optimizer hyperparameters, the
                           history's scalars, and the name of the .npy member of every array
    weights/W0.npy ...     weights[l] (n_in, n_out) and biases[l] (n_out,)
    optimizer/<slot>/k.npy per-parameter optimizer state (parameter k of W0, b0, W1, b1 ...)
    order.npy              (n_train,) this epoch's order of the training examples
    history/k/steps.npy    every series of the history (its name is in the manifest)
    data/<field>.npy       only for a user's CSV file: the loaded data itself, so that the
                           session opens even after the file moved or changed

Synthetic and bundled data are rebuilt from the config, and a fingerprint of the rebuilt
arrays must match the one saved. Writes are atomic; a file that is not a complete, consistent
session is refused with FileFormatError before any Trainer is built from it.
"""
import dataclasses
import hashlib
import io
import json
import math
import zipfile
from pathlib import Path

import numpy as np

from .config import Config
from .datasets import CSV, Dataset, make_dataset
from .errors import ConfigError, DataError, FileFormatError
from .history import History
from .io.architecture import checked_parameters, describe
from .io.atomic import atomic_write
from .trainer import Trainer

FORMAT = "netsim-session"
SCHEMA_VERSION = 1
SUFFIX = ".netsim"
MANIFEST = "manifest.json"
MAX_MEMBER_BYTES = 1 << 31      # refuse members that would expand beyond 2 GiB (zip bombs)
_DATA_ARRAYS = ("X_train", "y_train", "X_test", "y_test", "raw_train", "raw_test",
                "feature_mean", "feature_std", "raw_ranges")


# ---- saving -----------------------------------------------------------------------------

COUNTERS = ("cursor", "step", "epoch", "examples_seen", "layers_recorded_at", "evaluated_at",
            "schedule_start")

def save_session(trainer: Trainer, path) -> Path:
    """Write the trainer's whole state to `path` (atomically: the old file stays if this fails)."""
    path = Path(path)
    state = trainer.capture(with_history=True)
    members: dict[str, np.ndarray] = {}

    def add(name, array) -> str:
        members[name] = np.ascontiguousarray(array)
        return name

    optimizer = state["optimizer"]
    manifest = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "config": state["config"],
        "architecture": describe(trainer),
        "data": _data_manifest(trainer.dataset, add),
        "counters": {key: state[key] for key in COUNTERS},
        "rng": state["rng"],
        "weights": [add(f"weights/W{l}.npy", w) for l, w in enumerate(state["weights"])],
        "biases": [add(f"weights/b{l}.npy", b) for l, b in enumerate(state["biases"])],
        "optimizer": {
            "t": optimizer["t"], "hyper": optimizer["hyper"],
            "state": {slot: [add(f"optimizer/{slot}/{k}.npy", a) for k, a in enumerate(arrays)]
                      for slot, arrays in optimizer["state"].items()}},
        "order": add("order.npy", state["order"]),
        "history": _history_manifest(state["history"], add),
    }
    with atomic_write(path, "wb") as f:
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, allow_nan=False))
            for name, array in members.items():
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                archive.writestr(name, buffer.getvalue())
    return path


def _data_manifest(dataset: Dataset, add) -> dict:
    if dataset.name != CSV:
        return {"source": "config", "recipe": dataset.recipe, "fingerprint": fingerprint(dataset)}
    fields = {}
    for field in dataclasses.fields(Dataset):
        value = getattr(dataset, field.name)
        if field.name in _DATA_ARRAYS:
            fields[field.name] = add(f"data/{field.name}.npy", value)
        else:
            fields[field.name] = list(value) if isinstance(value, tuple) else value
    return {"source": "embedded", "recipe": dataset.recipe, "fields": fields}


def _history_manifest(history: dict, add) -> dict:
    series = []
    for k, (name, s) in enumerate(history["series"].items()):
        series.append({"name": name, "capacity": s["capacity"], "stride": s["stride"],
                       "sum": s["sum"], "count": s["count"],
                       "steps": add(f"history/{k}/steps.npy", s["steps"]),
                       "values": add(f"history/{k}/values.npy", s["values"])})
    return {"capacity": history["capacity"], "series": series}


def fingerprint(dataset: Dataset) -> str:
    """sha256 over the data a network trains and is tested on."""
    digest = hashlib.sha256()
    for name in ("X_train", "y_train", "X_test", "y_test"):
        array = np.ascontiguousarray(getattr(dataset, name))
        digest.update(f"{name}{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


# ---- loading ----------------------------------------------------------------------------

def load_session(path) -> Trainer:
    """A new Trainer in exactly the state saved in `path`. FileFormatError, naming the file
    and what is wrong, if it is not a complete and consistent NetSim session."""
    with _Archive(path) as archive:
        manifest = archive.manifest()
        try:
            config = Config.from_dict(_get(manifest, "config", dict, path))
        except ConfigError as exc:
            raise FileFormatError(f"{path}: the session's settings are invalid: {exc}") from None
        dataset = _dataset(manifest, archive, config, path)
        try:
            trainer = Trainer(config, dataset)
        except (ConfigError, DataError) as exc:
            raise FileFormatError(f"{path}: cannot rebuild the session's run: {exc}") from None
        state = _state(manifest, archive, trainer, path)
    try:
        trainer.restore(state)
    except (ValueError, TypeError, KeyError) as exc:
        raise FileFormatError(f"{path}: the saved training state is inconsistent ({exc})") from None
    return trainer


class _Archive:
    """The zip archive of a session, read defensively: every member is checked for size and
    read as a pickle-free .npy array inside the error handling."""

    def __init__(self, path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise FileFormatError(f"{path}: file not found") from None
        except OSError as exc:
            raise FileFormatError(f"{path}: cannot read the file ({exc})") from None
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise FileFormatError(f"{path}: not a NetSim session (not a zip archive, or a "
                                  f"truncated one)") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.zip.close()

    def read(self, name) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise FileFormatError(f"{self.path}: the session is missing {name}") from None
        if info.file_size > MAX_MEMBER_BYTES:
            raise FileFormatError(f"{self.path}: {name} is implausibly large "
                                  f"({info.file_size} bytes)")
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise FileFormatError(f"{self.path}: {name} is damaged ({exc})") from None

    def manifest(self) -> dict:
        try:
            manifest = json.loads(self.read(MANIFEST), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise FileFormatError(f"{self.path}: {MANIFEST} is not valid JSON ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise FileFormatError(f"{self.path}: not a NetSim session (no \"format\": "
                                  f"\"{FORMAT}\" in {MANIFEST})")
        version = manifest.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise FileFormatError(f"{self.path}: the session has no valid schema_version")
        if version > SCHEMA_VERSION:
            raise FileFormatError(f"{self.path}: saved by a newer NetSim (schema_version "
                                  f"{version}; this version reads up to {SCHEMA_VERSION}): "
                                  f"update NetSim to open it")
        return manifest

    def array(self, name, what: str, kinds="f", shape=None) -> np.ndarray:
        """The .npy member `name` as an array of a dtype kind in `kinds` and `shape` (if given)."""
        if not isinstance(name, str):
            raise FileFormatError(f"{self.path}: the manifest's entry for {what} is not a name")
        try:
            array = np.load(io.BytesIO(self.read(name)), allow_pickle=False)
        except FileFormatError:
            raise
        except (ValueError, OSError, EOFError) as exc:
            raise FileFormatError(f"{self.path}: {name} ({what}) is not a plain numeric array "
                                  f"({exc})") from None
        if not isinstance(array, np.ndarray) or array.dtype.kind not in kinds:
            expected = {"f": "floating-point numbers", "iu": "whole numbers"}.get(kinds, "numbers")
            raise FileFormatError(f"{self.path}: {name} ({what}) has dtype "
                                  f"{getattr(array, 'dtype', '?')}; expected {expected}")
        if shape is not None and array.shape != tuple(shape):
            raise FileFormatError(f"{self.path}: {what}: expected shape {tuple(shape)}, the "
                                  f"file has {array.shape}")
        return array


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _get(mapping, key, kind, path, where="the manifest"):
    if not isinstance(mapping, dict) or key not in mapping:
        raise FileFormatError(f"{path}: {where} has no {key!r}")
    value = mapping[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise FileFormatError(f"{path}: {where}: {key!r} has the wrong type "
                              f"({type(value).__name__})")
    return value


def _count(mapping, key, path, where, high=None) -> int:
    value = _get(mapping, key, int, path, where)
    if value < 0 or (high is not None and value > high):
        limit = f" and <= {high}" if high is not None else ""
        raise FileFormatError(f"{path}: {where}: {key} must be >= 0{limit}; got {value}")
    return value


def _dataset(manifest, archive: _Archive, config: Config, path) -> Dataset | None:
    data = _get(manifest, "data", dict, path)
    source = data.get("source")
    if source == "config" and config.dataset == CSV:
        raise FileFormatError(f"{path}: a session of a CSV data set must hold the data itself")
    if source == "config":
        try:
            trial = make_dataset(config.dataset, **config.data_kwargs())
        except DataError as exc:
            raise FileFormatError(f"{path}: cannot rebuild the session's data: {exc}") from None
        if fingerprint(trial) != data.get("fingerprint"):
            raise FileFormatError(
                f"{path}: the data set {config.dataset!r} comes out differently in this version "
                f"of NetSim than when the session was saved, so its training cannot continue "
                f"exactly; start a new run with the same settings instead")
        return trial
    if source == "embedded":
        dataset = _embedded_dataset(_get(data, "fields", dict, path, "the data entry"), archive,
                                    path)
        if dataset.name != config.dataset:
            raise FileFormatError(f"{path}: the embedded data is {dataset.name!r} but the "
                                  f"settings name {config.dataset!r}")
        return dataset
    raise FileFormatError(f"{path}: unknown data source {source!r} in the manifest")


def _embedded_dataset(fields: dict, archive: _Archive, path) -> Dataset:
    values = {}
    for field in dataclasses.fields(Dataset):
        if field.name not in fields:
            raise FileFormatError(f"{path}: the embedded data set has no {field.name!r}")
        value = fields[field.name]
        if field.name in _DATA_ARRAYS:
            value = archive.array(value, f"data {field.name}", kinds="fiu")
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise FileFormatError(f"{path}: the embedded data {field.name} is not finite")
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[field.name] = value
    try:
        dataset = Dataset(**values)
        consistent = _consistent(dataset)
    except (TypeError, ValueError, IndexError, KeyError, DataError) as exc:
        raise FileFormatError(f"{path}: the embedded data set is malformed ({exc})") from None
    if not consistent:
        raise FileFormatError(f"{path}: the embedded data set's arrays do not fit together")
    if dataset.task != "regression":
        y = np.concatenate([dataset.y_train, dataset.y_test])
        if y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= len(dataset.class_names):
            raise FileFormatError(f"{path}: the embedded data set's class labels do not fit its "
                                  f"{len(dataset.class_names)} classes")
    return dataset


def _consistent(ds: Dataset) -> bool:
    """Shapes agree, and the model inputs are the transform of the raw columns they came from."""
    n_train, n_test = len(ds.raw_train), len(ds.raw_test)
    shapes = (ds.raw_train.ndim == 2 and ds.raw_test.ndim == 2 and n_train > 0
              and ds.raw_test.shape[1] == ds.raw_dim == len(ds.raw_names)
              and ds.X_train.shape == (n_train, len(ds.feature_names))
              and ds.X_test.shape == (n_test, len(ds.feature_names))
              and ds.y_train.shape == (n_train,) and ds.y_test.shape == (n_test,)
              and ds.feature_mean.shape == ds.feature_std.shape == (ds.input_dim,)
              and ds.raw_ranges.shape == (ds.raw_dim, 2)
              and ds.task in ("binary", "multiclass", "regression")
              and all(isinstance(name, str) for name in ds.transforms)
              and len(ds.plane_axes) == 2 and all(0 <= a < ds.raw_dim for a in ds.plane_axes))
    return (shapes and bool(np.all(ds.feature_std != 0))
            and np.allclose(ds.transform(ds.raw_train), ds.X_train, rtol=1e-12, atol=0)
            and np.allclose(ds.transform(ds.raw_test), ds.X_test, rtol=1e-12, atol=0))


def _state(manifest, archive: _Archive, trainer: Trainer, path) -> dict:
    """The state dictionary Trainer.restore takes, every part checked against `trainer`."""
    net = trainer.network
    where = "the manifest's counters"
    counters = _get(manifest, "counters", dict, path)
    state = {"config": manifest["config"],
             "cursor": _count(counters, "cursor", path, where, trainer.n_train),
             "step": _count(counters, "step", path, where),
             "epoch": _count(counters, "epoch", path, where),
             "examples_seen": _count(counters, "examples_seen", path, where),
             "layers_recorded_at": _count(counters, "layers_recorded_at", path, where)}
    # the step of the last measurement of both sets: sessions written while only the
    # training set was measured on a schedule called it train_evaluated_at, older ones lack it
    for key in ("evaluated_at", "train_evaluated_at"):
        if key in counters:
            state["evaluated_at"] = _count(counters, key, path, where)
            break
    else:
        state["evaluated_at"] = state["step"]
    # sessions written before schedules began their constant learning rate at epoch 0
    state["schedule_start"] = (_count(counters, "schedule_start", path, where)
                               if "schedule_start" in counters else 0)
    weights = [archive.array(name, f"layer {l + 1} weights")
               for l, name in enumerate(_get(manifest, "weights", list, path))]
    biases = [archive.array(name, f"layer {l + 1} biases")
              for l, name in enumerate(_get(manifest, "biases", list, path))]
    state["weights"], state["biases"] = checked_parameters(weights, biases, net, path)
    state["optimizer"] = _optimizer_state(manifest, archive, trainer, path)
    order = archive.array(_get(manifest, "order", str, path), "the example order", kinds="iu",
                          shape=(trainer.n_train,))
    if not np.array_equal(np.sort(order), np.arange(trainer.n_train)):
        raise FileFormatError(f"{path}: the saved example order is not a permutation of the "
                              f"{trainer.n_train} training examples")
    state["order"] = order.astype(np.int64)
    state["rng"] = _rng_state(manifest, trainer, path)
    state["history"] = _history_state(manifest, archive, path)
    return state


def _optimizer_state(manifest, archive: _Archive, trainer: Trainer, path) -> dict:
    entry = _get(manifest, "optimizer", dict, path)
    where = "the optimizer entry"
    t = _count(entry, "t", path, where)
    hyper = _get(entry, "hyper", dict, path, where)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
               for v in hyper.values()) or set(hyper) - set(trainer.optimizer.hyper):
        raise FileFormatError(f"{path}: the optimizer's settings do not fit a "
                              f"{trainer.config.optimizer} optimizer")
    slots = _get(entry, "state", dict, path, where)
    expected = set(type(trainer.optimizer).slots) if slots else set()
    if set(slots) != expected:
        raise FileFormatError(f"{path}: the optimizer state has slots {sorted(slots)}; a "
                              f"{trainer.config.optimizer} optimizer keeps {sorted(expected)}")
    params = trainer.network.parameters
    state = {}
    for slot, names in slots.items():
        if not isinstance(names, list) or len(names) != len(params):
            raise FileFormatError(f"{path}: the optimizer's {slot} state needs "
                                  f"{len(params)} arrays")
        arrays = [archive.array(name, f"optimizer {slot} [{k}]", shape=p.shape)
                  for k, (name, p) in enumerate(zip(names, params))]
        if not all(np.all(np.isfinite(a)) for a in arrays):
            raise FileFormatError(f"{path}: the optimizer's {slot} state is not finite")
        state[slot] = [a.astype(p.dtype) for a, p in zip(arrays, params)]
    return {"t": t, "hyper": {k: float(v) for k, v in hyper.items()}, "state": state}


def _rng_state(manifest, trainer: Trainer, path) -> dict:
    state = _get(manifest, "rng", dict, path)
    probe = np.random.default_rng()
    try:
        probe.bit_generator.state = state
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise FileFormatError(f"{path}: the saved random generator state is invalid "
                              f"({exc})") from None
    return state


def _history_state(manifest, archive: _Archive, path) -> dict:
    entry = _get(manifest, "history", dict, path)
    where = "the history entry"
    capacity = _count(entry, "capacity", path, where)
    series = {}
    for k, s in enumerate(_get(entry, "series", list, path, where)):
        where_k = f"history series {k}"
        name = _get(s, "name", str, path, where_k)
        stride, count = _count(s, "stride", path, where_k), _count(s, "count", path, where_k)
        if stride < 1 or count >= stride:
            raise FileFormatError(f"{path}: {where_k}: stride {stride} and count {count} do not "
                                  f"fit together")
        series[name] = {
            "capacity": _count(s, "capacity", path, where_k),
            "stride": stride,
            "sum": float(_get(s, "sum", (int, float), path, where_k)),
            "count": count,
            "steps": archive.array(_get(s, "steps", str, path, where_k), f"{name} steps"),
            "values": archive.array(_get(s, "values", str, path, where_k), f"{name} values"),
        }
    state = {"capacity": capacity, "series": series}
    try:
        History.from_state(state)
    except (ValueError, TypeError, IndexError) as exc:
        raise FileFormatError(f"{path}: the saved history is malformed ({exc})") from None
    return state
