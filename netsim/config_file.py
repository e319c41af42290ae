"""Config files: a JSON object of Config fields, or of a "config" object beside other keys (as
exported weights and saved runs carry it). The app, netsim-train and netsim-sweep (its grid
file's "config") read them alike.

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
    data = read_settings_file(path, "config file")
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        data = data["config"]
    if not isinstance(data, dict):
        raise ConfigError(f"the config file {path} must hold a JSON object of settings")
    try:
        return config_from_dict(data, path)
    except NetsimError as exc:
        raise ConfigError(f"the config file {path}: {exc}") from None


def read_settings_file(path: Path, what: str):
    """The JSON value in a settings file at `path` (`what`: "config file", "grid file"),
    read within the settings limits: OSError if it cannot be read, ConfigError if it is not
    acceptable JSON text."""
    try:
        return read_json_file(path, what, MAX_SETTINGS_BYTES, ConfigError)
    except OSError as exc:
        raise OSError(f"cannot read the {what} {path}: {exc.strerror or exc}") from None
    except ConfigError as exc:
        raise ConfigError(f"the {what} {exc}") from None


def config_from_dict(data: dict, path) -> Config:
    """The Config of settings `data` read from the file at `path`: a relative csv_path is
    taken from that file's folder. ConfigError for a bad setting."""
    return Config.from_dict(with_csv_path_from(data, path))


def with_csv_path_from(data: dict, path) -> dict:
    """`data` with a relative csv_path made absolute from the folder of the file at `path`."""
    csv_path = data.get("csv_path")
    if isinstance(csv_path, str) and csv_path and not Path(csv_path).is_absolute():
        return {**data, "csv_path": str(Path(path).resolve().parent / csv_path)}
    return data
