"""Keeping and sharing what a network learned: weight files other tools load, and back.

    from netsim.io import export_weights, import_weights, export_history_csv
    export_weights(trainer, "net.onnx")        # format chosen by the suffix (EXPORT_FORMATS)
    import_weights(trainer, "net.npz")         # .npz, .json, .safetensors (IMPORT_FORMATS)

Exports carry the architecture (architecture.py) with a schema_version. Imports check
everything (the file, the layers, every shape and value) before the trainer's weights are
touched: a bad file raises FileFormatError and leaves the current weights as they were.
Every file is written atomically (atomic.py): a failed write leaves the old file in place.
The onnx and safetensors packages are optional (the "export" extra), imported when needed.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import FileFormatError
from .architecture import Target, check_trainable, checked_parameters, describe
from .history_csv import write_history_csv
from .json_weights import read_json, training_summary, write_json
from .npz import read_npz, write_npz
from .onnx_export import write_onnx
from .python_export import write_python
from .safetensors_io import read_safetensors, write_safetensors


@dataclass(frozen=True)
class Format:
    suffix: str
    title: str               # for file dialogs: "ONNX model"
    writer: Callable         # (path, architecture, weights, biases, trainer) -> None
    reader: Callable | None  # (path, architecture.Target) -> (architecture or None, weights,
                             # biases); None: export only


def _write_json(path, arch, weights, biases, trainer):
    write_json(path, arch, weights, biases, training_summary(trainer))


def _write_python(path, arch, weights, biases, trainer):
    module = path.stem if path.stem.isidentifier() else "net"
    write_python(path, arch, weights, biases, trainer.step_count, module)


EXPORT_FORMATS = {f.suffix: f for f in (
    Format(".npz", "NumPy arrays", lambda path, arch, w, b, trainer: write_npz(path, arch, w, b),
           read_npz),
    Format(".json", "JSON (readable)", _write_json, read_json),
    Format(".safetensors", "safetensors (PyTorch)",
           lambda path, arch, w, b, trainer: write_safetensors(path, arch, w, b),
           read_safetensors),
    Format(".onnx", "ONNX model", lambda path, arch, w, b, trainer: write_onnx(path, arch, w, b),
           None),
    Format(".py", "Python module (numpy only)", _write_python, None),
)}
IMPORT_FORMATS = {suffix: f for suffix, f in EXPORT_FORMATS.items() if f.reader}


def _suffix(path, formats, verb) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in formats:
        raise FileFormatError(f"{path}: cannot {verb} {suffix or 'files without a suffix'}; "
                              f"use one of {', '.join(formats)}")
    return suffix


def export_weights(trainer, path) -> Path:
    """Write the trainer's network to `path` in the format its suffix names."""
    path = Path(path)
    writer = EXPORT_FORMATS[_suffix(path, EXPORT_FORMATS, "export")].writer
    weights, biases = trainer.network.copy_parameters()
    writer(path, describe(trainer), weights, biases, trainer)
    return path


def import_weights(trainer, path):
    """Load weights from an .npz, .json or .safetensors file into the trainer's network, if
    the file's network has the same layers (and, when the file says, the same activation,
    output and inputs) and training could go on from its weights. Raises FileFormatError,
    with the trainer untouched, otherwise. The file is checked against the network as it is
    read (architecture, layer count, each array's header), so that no array is read that
    could not be loaded (limits.py bounds what a file may claim)."""
    suffix = _suffix(path, IMPORT_FORMATS, "import weights from")
    network = trainer.network
    target = Target(network, trainer.dataset.feature_names, path)
    try:
        _, weights, biases = IMPORT_FORMATS[suffix].reader(path, target)
    except MemoryError:
        raise FileFormatError(f"{path}: not enough memory to read the file") from None
    weights, biases = checked_parameters(weights, biases, network.sizes, network.dtype, path)
    check_trainable(weights, path)
    trainer.load_parameters(weights, biases)


def export_history_csv(trainer, path) -> Path:
    """Every series of trainer.history as a CSV table, one row per step (history_csv.py)."""
    write_history_csv(path, trainer.history)
    return Path(path)


__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "export_history_csv", "export_weights",
           "import_weights"]
