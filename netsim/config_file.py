"""Config files: a JSON object of Config fields, or of a "config" object beside other keys (as
exported weights and saved runs carry it). The app and netsim-train read them alike.

A relative csv_path is taken from the config file's folder, so a config and its data can move
together and be used from anywhere.
"""
import json
from pathlib import Path

from .config import Config
from .errors import NetsimError


def load_config_file(path) -> Config:
    """The Config in the JSON file at `path`. OSError if it cannot be read, NetsimError (naming
    the file) if it is not a valid config."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OSError(f"cannot read the config file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise NetsimError(f"the config file {path} is not text: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NetsimError(f"the config file {path} is not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        data = data["config"]
    if not isinstance(data, dict):
        raise NetsimError(f"the config file {path} must hold a JSON object of settings")
    csv_path = data.get("csv_path")
    if isinstance(csv_path, str) and csv_path and not Path(csv_path).is_absolute():
        data = {**data, "csv_path": str(path.resolve().parent / csv_path)}
    try:
        return Config.from_dict(data)
    except NetsimError as exc:
        raise NetsimError(f"the config file {path}: {exc}") from None
