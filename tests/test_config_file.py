"""Config files, read alike by the app (--config) and netsim-train (--config)."""
import json

import numpy as np
import pytest

from netsim import ConfigError, DataError, NetsimError, Trainer
from netsim.config_file import load_config_file


def test_config_file_with_an_unknown_key_names_the_key_and_the_file(tmp_path):
    path = tmp_path / "cfg.json"
    path.write_text('{"layerz": [4]}')
    with pytest.raises(NetsimError, match=r"cfg.json.*'layerz'"):
        load_config_file(path)


def test_missing_config_file_says_it_cannot_be_read(tmp_path):
    with pytest.raises(OSError, match="cannot read the config file"):
        load_config_file(tmp_path / "absent.json")


@pytest.mark.parametrize("text, match", [("{layers: [4,", "not valid JSON"),
                                         ("[1, 2]", "JSON object of settings")])
def test_config_file_that_is_not_a_json_object_is_refused(tmp_path, text, match):
    path = tmp_path / "cfg.json"
    path.write_text(text)
    with pytest.raises(NetsimError, match=match):
        load_config_file(path)


def test_config_file_is_read_into_a_config_also_from_a_config_object_beside_other_keys(tmp_path):
    path = tmp_path / "cfg.json"
    settings = {"dataset": "spiral", "layers": [8, 8], "activation": "relu"}
    for document in (settings, {"format": "netsim-weights", "config": settings}):
        path.write_text(json.dumps(document))
        config = load_config_file(path)
        assert (config.dataset, config.layers, config.activation) == ("spiral", (8, 8), "relu")


def test_a_relative_csv_path_is_taken_from_the_config_files_folder(tmp_path, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    rows = "\n".join(f"{x},{x * x},{int(x > 0)}" for x in np.linspace(-1, 1, 40))
    (folder / "data.csv").write_text("a,b,label\n" + rows + "\n")
    (folder / "cfg.json").write_text('{"dataset": "csv", "csv_path": "data.csv"}')
    monkeypatch.chdir(tmp_path)                            # not the config's folder
    config = load_config_file("project/cfg.json")
    assert config.csv_path == str(folder / "data.csv")
    assert Trainer(config).dataset.n_outputs == 1


@pytest.mark.parametrize("text, match", [
    ('{"layers": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested 100001 levels deep"),
    ('{"seed": ' + "7" * 5000 + "}", "a number of 5000 characters"),
    ('{"learning_rate": 1e999}', "1e999 overflows to an infinite float"),
    ('{"learning_rate": NaN}', "NaN is not a number JSON allows"),
], ids=["nested", "digits", "overflow", "nan"])
def test_config_file_too_deep_or_with_unreadable_numbers_is_refused(tmp_path, text, match):
    path = tmp_path / "cfg.json"
    path.write_text(text)
    with pytest.raises(ConfigError, match=match) as info:
        load_config_file(path)
    assert str(path) in str(info.value)


def test_config_file_that_is_a_device_is_refused_unread(tmp_path):
    path = tmp_path / "cfg.json"
    path.symlink_to("/dev/zero")
    with pytest.raises(ConfigError, match="is a device, not a config file"):
        load_config_file(path)


def test_config_naming_a_device_as_its_csv_file_is_refused_unread(tmp_path):
    path = tmp_path / "cfg.json"
    path.write_text('{"dataset": "csv", "csv_path": "/dev/zero"}')
    with pytest.raises(DataError, match="/dev/zero: is a device, not a CSV file"):
        Trainer(load_config_file(path))
