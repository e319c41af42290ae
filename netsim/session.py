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
import reprlib
import zipfile
from pathlib import Path

import numpy as np

from .config import Config
from .datasets import CSV, Dataset, make_dataset
from .errors import ConfigError, DataError, FileFormatError
from .io.archive import ArrayArchive
from .io.architecture import check_header, check_layer_count, checked_parameters, describe, \
    layer_shapes
from .io.atomic import atomic_write
from .io.limits import MAX_CSV_COLUMNS, MAX_HISTORY_CAPACITY, MAX_SETTINGS_BYTES, MAX_STEP
from .io.reading import parse_json
from .optimizers import OPTIMIZERS
from .schedules import learning_rate
from .trainer import Trainer, series_names

FORMAT = "netsim-session"
SCHEMA_VERSION = 1
SUFFIX = ".netsim"
MANIFEST = "manifest.json"
# the arrays of an embedded data set, by their dimensions: numbers, or names of sizes that
# the manifest's names ("inputs", "raw") or the first array to have them (n_train, n_test) give
_DATA_ARRAYS = {"X_train": ("n_train", "inputs"), "y_train": ("n_train",),
                "X_test": ("n_test", "inputs"), "y_test": ("n_test",),
                "raw_train": ("n_train", "raw"), "raw_test": ("n_test", "raw"),
                "feature_mean": ("inputs",), "feature_std": ("inputs",), "raw_ranges": ("raw", 2)}


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
    and what is wrong, if it is not a complete and consistent NetSim session. The manifest is
    checked whole, and each array against the shape the settings and data give it (from its
    .npy header, before its data is read), before the Trainer is built."""
    try:
        with ArrayArchive(path, "NetSim session") as archive:
            manifest = _manifest(archive, path)
            config = _config(manifest, path)
            dataset = _dataset(manifest, archive, config, path)
            state = _state(manifest, archive, config, dataset, path)
        try:
            trainer = Trainer(config, dataset)
        except (ConfigError, DataError) as exc:
            raise FileFormatError(f"{path}: cannot rebuild the session's run: {exc}") from None
    except MemoryError:       # a session within every limit can still be too large for this machine
        raise FileFormatError(f"{path}: not enough memory to open the session") from None
    try:
        trainer.restore(state)
    except (ValueError, TypeError, KeyError) as exc:
        raise FileFormatError(f"{path}: the saved training state is inconsistent ({exc})") from None
    return trainer


def session_summary(path) -> dict:
    """What a session holds, from its manifest alone (cheap: no array is read): {"step",
    "epoch", "dataset"}. FileFormatError if it is not a readable NetSim session."""
    with ArrayArchive(path, "NetSim session") as archive:
        manifest = _manifest(archive, path)
    config = _config(manifest, path)
    counters = _get(manifest, "counters", dict, path)
    where = "the manifest's counters"
    return {"step": _count(counters, "step", path, where),
            "epoch": _count(counters, "epoch", path, where), "dataset": config.dataset}


def _manifest(archive: ArrayArchive, path) -> dict:
    manifest = parse_json(archive.text(MANIFEST, MAX_SETTINGS_BYTES), f"{path}: {MANIFEST}",
                          FileFormatError)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise FileFormatError(f"{path}: not a NetSim session (no \"format\": \"{FORMAT}\" in "
                              f"{MANIFEST})")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileFormatError(f"{path}: the session has no valid schema_version")
    if version > SCHEMA_VERSION:
        raise FileFormatError(f"{path}: saved by a newer NetSim (schema_version {version}; this "
                              f"version reads up to {SCHEMA_VERSION}): update NetSim to open it")
    return manifest


def _config(manifest, path) -> Config:
    try:
        return Config.from_dict(_get(manifest, "config", dict, path))
    except ConfigError as exc:
        raise FileFormatError(f"{path}: the session's settings are invalid: {exc}") from None


def _get(mapping, key, kind, path, where="the manifest"):
    if not isinstance(mapping, dict) or key not in mapping:
        raise FileFormatError(f"{path}: {where} has no {key!r}")
    value = mapping[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise FileFormatError(f"{path}: {where}: {key!r} has the wrong type "
                              f"({type(value).__name__})")
    return value


def _count(mapping, key, path, where, high=MAX_STEP) -> int:
    value = _get(mapping, key, int, path, where)
    if not 0 <= value <= high:
        raise FileFormatError(f"{path}: {where}: {key} must be >= 0 and <= {high}; "
                              f"got {_shown(value)}")
    return value


def _shown(value) -> str:
    """A value from the manifest, kept short for a message."""
    return reprlib.repr(value)


def _dataset(manifest, archive: ArrayArchive, config: Config, path) -> Dataset:
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
            raise FileFormatError(f"{path}: the embedded data is {_shown(dataset.name)} but the "
                                  f"settings name {config.dataset!r}")
        return dataset
    raise FileFormatError(f"{path}: unknown data source {_shown(source)} in the manifest")


_EMBEDDED = "the embedded data set"


def _embedded_dataset(fields: dict, archive: ArrayArchive, path) -> Dataset:
    """The Dataset the manifest's fields and the data/ arrays describe: every field of the
    kind it must be, every array of the shape the others give it (checked from its header)."""
    for field in dataclasses.fields(Dataset):
        if field.name not in fields:
            raise FileFormatError(f"{path}: {_EMBEDDED} has no {field.name!r}")
    values = {name: _get(fields, name, str, path, _EMBEDDED) for name in ("name", "title", "task")}
    values["recipe"] = _get(fields, "recipe", dict, path, _EMBEDDED)
    for name in ("feature_names", "raw_names", "class_names", "transforms"):
        values[name] = _names(fields, name, path)
    values["bounds"] = _numbers(fields, "bounds", 4, path)
    values["plane_axes"] = _numbers(fields, "plane_axes", 2, path, whole=True)
    sizes = {"inputs": len(values["feature_names"]), "raw": len(values["raw_names"])}
    for name, dimensions in _DATA_ARRAYS.items():
        array = archive.array(fields[name], f"data {name}", kinds="fiu", check=(
            lambda dtype, shape, name=name, dims=dimensions: _fit(shape, dims, sizes, name, path)))
        if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
            raise FileFormatError(f"{path}: the embedded data {name} is not finite")
        values[name] = array
    try:
        dataset = Dataset(**values)
        consistent = _consistent(dataset)
    except (TypeError, ValueError, IndexError, KeyError, DataError) as exc:
        raise FileFormatError(f"{path}: {_EMBEDDED} is malformed ({exc})") from None
    if not consistent:
        raise FileFormatError(f"{path}: {_EMBEDDED}'s arrays do not fit together")
    if dataset.task != "regression":
        y = np.concatenate([dataset.y_train, dataset.y_test])
        if y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= len(dataset.class_names):
            raise FileFormatError(f"{path}: {_EMBEDDED}'s class labels do not fit its "
                                  f"{len(dataset.class_names)} classes")
    return dataset


def _names(fields, name, path) -> tuple:
    names = _get(fields, name, list, path, _EMBEDDED)
    if len(names) > MAX_CSV_COLUMNS or not all(isinstance(n, str) for n in names):
        raise FileFormatError(f"{path}: {_EMBEDDED}: {name} must be a list of at most "
                              f"{MAX_CSV_COLUMNS} names; got {_shown(names)}")
    return tuple(names)


def _numbers(fields, name, count, path, whole=False) -> tuple:
    values = _get(fields, name, list, path, _EMBEDDED)
    kinds = (int,) if whole else (int, float)
    if len(values) != count or not all(isinstance(v, kinds) and not isinstance(v, bool)
                                       and math.isfinite(v) for v in values):
        raise FileFormatError(f"{path}: {_EMBEDDED}: {name} must be {count} "
                              f"{'whole numbers' if whole else 'numbers'}; got {_shown(values)}")
    return tuple(values)


def _fit(shape, dimensions, sizes: dict, name, path):
    """Refuse an embedded array whose shape disagrees with `dimensions` (numbers, or names of
    sizes: known ones must match, the first array with an unknown one sets it)."""
    fits = len(shape) == len(dimensions)
    for size, dimension in zip(shape, dimensions) if fits else ():
        expected = sizes.setdefault(dimension, size) if isinstance(dimension, str) else dimension
        fits = fits and size == expected
    if not fits:
        raise FileFormatError(f"{path}: {_EMBEDDED}'s arrays do not fit together: {name} has "
                              f"shape {shape}")


def _consistent(ds: Dataset) -> bool:
    """The model inputs are the transform of the raw columns they came from, and the rest of
    what the shapes (checked as the arrays were read) do not say."""
    valid = (len(ds.raw_train) > 0 and ds.task in ("binary", "multiclass", "regression")
             and len(ds.plane_axes) == 2 and all(0 <= a < ds.raw_dim for a in ds.plane_axes))
    return (valid and bool(np.all(ds.feature_std != 0))
            and np.allclose(ds.transform(ds.raw_train), ds.X_train, rtol=1e-12, atol=0)
            and np.allclose(ds.transform(ds.raw_test), ds.X_test, rtol=1e-12, atol=0))


def _state(manifest, archive: ArrayArchive, config: Config, dataset: Dataset, path) -> dict:
    """The state dictionary Trainer.restore takes, every part checked against the network
    that `config` and `dataset` make."""
    n_train = len(dataset.X_train)
    sizes = [dataset.input_dim, *config.layers, dataset.n_outputs]
    where = "the manifest's counters"
    counters = _get(manifest, "counters", dict, path)
    state = {"config": manifest["config"],
             "cursor": _count(counters, "cursor", path, where, n_train),
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
    state["schedule_start"] = (_count(counters, "schedule_start", path, where, state["epoch"])
                               if "schedule_start" in counters else 0)
    state["weights"], state["biases"] = _parameters(manifest, archive, config, sizes, path)
    state["optimizer"] = _optimizer_state(manifest, archive, config, sizes,
                                          state["epoch"] - state["schedule_start"], path)
    order = archive.array(_get(manifest, "order", str, path), "the example order", kinds="iu",
                          shape=(n_train,))
    if not np.array_equal(np.sort(order), np.arange(n_train)):
        raise FileFormatError(f"{path}: the saved example order is not a permutation of the "
                              f"{n_train} training examples")
    state["order"] = order.astype(np.int64)
    state["rng"] = _rng_state(manifest, path)
    state["history"] = _history_state(manifest, archive, len(sizes) - 1, path)
    return state


def _parameters(manifest, archive: ArrayArchive, config: Config, sizes, path):
    """(weights, biases) of a network of `sizes`, each array's header checked first."""
    names = {what: _get(manifest, what, list, path) for what in ("weights", "biases")}
    for listed in names.values():
        check_layer_count(len(listed), sizes, path)
    arrays = {what: [] for what in names}
    for l, shapes in enumerate(layer_shapes(sizes)):
        for what, expected in zip(names, shapes):
            arrays[what].append(archive.array(
                names[what][l], f"layer {l + 1} {what}", kinds="fiu",
                check=lambda dtype, shape, what=what, expected=expected, l=l: check_header(
                    dtype, shape, expected, f"layer {l + 1}", what, path)))
    return checked_parameters(arrays["weights"], arrays["biases"], sizes, config.dtype, path)


def _optimizer_state(manifest, archive: ArrayArchive, config: Config, sizes, epochs: int,
                     path) -> dict:
    """The optimizer's step count, settings and state. Its settings are the config's (the
    trainer sets them from it, the learning rate as the schedule gives it after `epochs`
    epochs), so any other value is refused, not trained with."""
    entry = _get(manifest, "optimizer", dict, path)
    where = "the optimizer entry"
    t = _count(entry, "t", path, where)
    optimizer = OPTIMIZERS[config.optimizer]
    expected = {name: getattr(config, name) for name in optimizer.defaults}
    expected["learning_rate"] = learning_rate(config, epochs)
    hyper = _get(entry, "hyper", dict, path, where)
    if set(hyper) != set(expected):
        raise FileFormatError(f"{path}: the optimizer's settings {_shown(sorted(hyper))} do not "
                              f"fit a {config.optimizer} optimizer, which takes "
                              f"{sorted(expected)}")
    for name, value in hyper.items():
        if isinstance(value, bool) or value != expected[name]:
            raise FileFormatError(f"{path}: the optimizer's {name} is {_shown(value)} but the "
                                  f"session's settings make it {expected[name]:g}")
    slots = _get(entry, "state", dict, path, where)
    expected_slots = set(optimizer.slots) if slots else set()
    if set(slots) != expected_slots:
        raise FileFormatError(f"{path}: the optimizer state has slots {_shown(sorted(slots))}; "
                              f"a {config.optimizer} optimizer keeps {sorted(expected_slots)}")
    shapes = [shape for pair in layer_shapes(sizes) for shape in pair]    # W0, b0, W1 ...
    state = {}
    for slot, names in slots.items():
        if not isinstance(names, list) or len(names) != len(shapes):
            raise FileFormatError(f"{path}: the optimizer's {slot} state needs "
                                  f"{len(shapes)} arrays")
        arrays = [archive.array(name, f"optimizer {slot} [{k}]", shape=shape)
                  for k, (name, shape) in enumerate(zip(names, shapes))]
        if not all(np.all(np.isfinite(a)) for a in arrays):
            raise FileFormatError(f"{path}: the optimizer's {slot} state is not finite")
        state[slot] = [a.astype(config.dtype) for a in arrays]
    return {"t": t, "hyper": {k: float(v) for k, v in hyper.items()}, "state": state}


def _rng_state(manifest, path) -> dict:
    state = _get(manifest, "rng", dict, path)
    probe = np.random.default_rng()
    try:
        probe.bit_generator.state = state
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise FileFormatError(f"{path}: the saved random generator state is invalid "
                              f"({exc})") from None
    return state


def _history_state(manifest, archive: ArrayArchive, n_layers: int, path) -> dict:
    """The history's state: only the series a Trainer of n_layers records, each within its
    capacity, its stride a power of two (it doubles as the series fills)."""
    entry = _get(manifest, "history", dict, path)
    where = "the history entry"
    capacity = _count(entry, "capacity", path, where, MAX_HISTORY_CAPACITY)
    if capacity < 2 or capacity % 2:
        raise FileFormatError(f"{path}: {where}: capacity must be an even number from 2 to "
                              f"{MAX_HISTORY_CAPACITY}; got {capacity}")
    known = series_names(n_layers)
    series = {}
    for k, s in enumerate(_get(entry, "series", list, path, where)):
        where_k = f"history series {k}"
        name = _get(s, "name", str, path, where_k)
        if name not in known or name in series:
            raise FileFormatError(f"{path}: {where_k}: {_shown(name)} is not a series of this "
                                  f"network's history, or is listed twice")
        stride, count = _count(s, "stride", path, where_k), _count(s, "count", path, where_k)
        if stride < 1 or stride & (stride - 1) or count >= stride:
            raise FileFormatError(f"{path}: {where_k}: stride {stride} and count {count} do not "
                                  f"fit together (the stride is a power of two, the count of "
                                  f"values in the open bucket below it)")
        if _count(s, "capacity", path, where_k) != capacity:
            raise FileFormatError(f"{path}: {where_k}: its capacity differs from the history's")
        total = _get(s, "sum", (int, float), path, where_k)
        if not math.isfinite(total):
            raise FileFormatError(f"{path}: {where_k}: its sum is not finite")
        steps = archive.array(_get(s, "steps", str, path, where_k), f"{name} steps",
                              check=lambda dtype, shape: _check_points(shape, capacity, path))
        values = archive.array(_get(s, "values", str, path, where_k), f"{name} values",
                               check=lambda dtype, shape: _check_points(shape, capacity, path,
                                                                        steps.shape))
        series[name] = {"capacity": capacity, "stride": stride, "sum": float(total),
                        "count": count, "steps": steps, "values": values}
    return {"capacity": capacity, "series": series}


def _check_points(shape, capacity, path, steps_shape=None):
    if len(shape) != 1 or shape[0] > capacity or (steps_shape and shape != steps_shape):
        raise FileFormatError(f"{path}: the saved history is malformed: a series of capacity "
                              f"{capacity} holds points of shape {shape}"
                              + (f" for steps of shape {steps_shape}" if steps_shape else ""))
