"""ui.main: the unexpected-error hook and the --config file reader."""
import logging
import sys

import pytest

from netsim import NetsimError
from ui import main


def test_unexpected_error_is_logged_and_shown_without_traceback(tmp_path, shown_notices,
                                                                monkeypatch):
    log_file = tmp_path / "netsim.log"
    handler = logging.FileHandler(log_file)
    main.log.addHandler(handler)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)     # restored after the test
    try:
        main.install_exception_hook(lambda: None, log_file)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        main.log.removeHandler(handler)
        handler.close()
    title, text = shown_notices[-1]
    assert title == "Unexpected error" and "boom" in text and "Traceback" not in text
    assert str(log_file) in text
    assert "Traceback" in log_file.read_text() and "RuntimeError: boom" in log_file.read_text()


def test_config_file_with_an_unknown_key_names_the_key_and_the_file(tmp_path):
    path = tmp_path / "cfg.json"
    path.write_text('{"layerz": [4]}')
    with pytest.raises(NetsimError, match=r"cfg.json.*'layerz'"):
        main.load_config_file(str(path))


def test_missing_config_file_says_it_cannot_be_read(tmp_path):
    with pytest.raises(OSError, match="cannot read the config file"):
        main.load_config_file(str(tmp_path / "absent.json"))


def test_config_file_is_read_into_a_config(tmp_path):
    path = tmp_path / "cfg.json"
    path.write_text('{"dataset": "spiral", "layers": [8, 8], "activation": "relu"}')
    config = main.load_config_file(str(path))
    assert (config.dataset, config.layers, config.activation) == ("spiral", (8, 8), "relu")
