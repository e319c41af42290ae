"""`python app.py` from the command line: the screenshot option and bad configuration files."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]


def run_app(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, str(REPO / "app.py"), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def image_pixels(path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format_RGBA8888)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = data.reshape(image.height(), image.bytesPerLine())[:, :image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4).copy()   # the QImage dies on return


def test_screenshot_option_writes_a_filled_window_after_training(tmp_path, qapp):
    out = tmp_path / "window.png"
    result = run_app("--screenshot", str(out), "--steps", "50", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    pixels = image_pixels(out)
    assert pixels.shape[:2] == (900, 1400)
    colours = np.unique(pixels.reshape(-1, 4), axis=0)
    assert len(colours) > 200                      # heatmaps, charts, text: not a blank window


def test_screenshot_with_a_config_file_uses_it(tmp_path):
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({"dataset": "xor", "layers": [3], "learning_rate": 0.1}))
    out = tmp_path / "xor.png"
    result = run_app("--screenshot", str(out), "--config", str(config), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000


def test_a_screenshot_into_a_missing_folder_says_which_folder(tmp_path):
    out = tmp_path / "no such folder" / "x.png"
    result = run_app("--screenshot", str(out), tmp_path=tmp_path)
    assert result.returncode == 1
    assert f"the folder {out.parent} does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_config_file_exits_2_with_a_clear_message(tmp_path):
    config = tmp_path / "bad.json"
    config.write_text(json.dumps({"learning_rate": -1}))
    result = run_app("--screenshot", str(tmp_path / "x.png"), "--config", str(config),
                     tmp_path=tmp_path)
    assert result.returncode == 2
    assert "learning_rate must be > 0" in result.stderr and "bad.json" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_a_session_that_cannot_be_opened_exits_2_when_headless(tmp_path):
    from netsim import Config, Trainer
    from netsim.session import save_session
    session = save_session(Trainer(Config()), tmp_path / "run.netsim")
    truncated = tmp_path / "cut.netsim"
    truncated.write_bytes(session.read_bytes()[:1000])
    for path, reason in ((truncated, "not a NetSim session"), (tmp_path / "gone.netsim", "gone")):
        result = run_app(str(path), "--screenshot", str(tmp_path / "x.png"), tmp_path=tmp_path)
        assert result.returncode == 2
        assert reason in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "x.png").exists()


def test_a_config_file_that_is_not_json_exits_2(tmp_path):
    config = tmp_path / "broken.json"
    config.write_text("{layers: [4,")
    result = run_app("--config", str(config), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr and "Traceback" not in result.stderr


def test_a_network_larger_than_the_app_shows_is_refused_with_what_to_do(tmp_path):
    config = tmp_path / "big.json"
    config.write_text(json.dumps({"layers": [64, 64, 8, 8, 8, 8, 8, 8, 8, 8]}))
    result = run_app("--screenshot", str(tmp_path / "x.png"), "--config", str(config),
                     tmp_path=tmp_path)
    assert result.returncode == 2
    assert "up to 8 hidden layers of up to 32 neurons" in result.stderr
    assert "netsim-train" in result.stderr and "Traceback" not in result.stderr
