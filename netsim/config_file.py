"""Config files: a JSON object of Config fields, or of a "config" object beside other keys (as
exported weights and saved runs carry it). The app and netsim-train read them alike.

A relative csv_path is taken from the config file's folder, so a config and its data can move
together and be used from anywhere.
"""
from pathlib import Path

from .config import Config
from .errors import ConfigError, NetsimError
from .io.limits import MAX_SETTINGS_BYTES
from .io.reading import read_json_file


def load_config_file(path) -> Config:
    """The Config in the JSON file at `path`. OSError if it cannot be read, ConfigError (naming
    the file) if it is not a valid config."""
    path = Path(path)
    try:
        data = read_json_file(path, "config file", MAX_SETTINGS_BYTES, ConfigError)
    except OSError as exc:
        raise OSError(f"cannot read the config file {path}: {exc.strerror or exc}") from None
    except ConfigError as exc:
        raise ConfigError(f"the config file {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        data = data["config"]
    if not isinstance(data, dict):
        raise ConfigError(f"the config file {path} must hold a JSON object of settings")
    csv_path = data.get("csv_path")
    if isinstance(csv_path, str) and csv_path and not Path(csv_path).is_absolute():
        data = {**data, "csv_path": str(path.resolve().parent / csv_path)}
    try:
        return Config.from_dict(data)
    except NetsimError as exc:
        raise ConfigError(f"the config file {path}: {exc}") from None
