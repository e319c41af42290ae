"""NetSim in a real window, used as a person uses it: started from a shell on a real X server
(Xvfb), driven with real key presses and clicks (xdotool), seen through the server (xwd).

Offscreen rendering tests the drawing, not the launch: these tests catch a platform plugin that
cannot load, a window that never maps, keys that never arrive. Once at scale 1, once at 2.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from netsim.session import load_session
from x11 import XServer, missing_tools, wait_until
from ui.colors import PALETTES

REPO = Path(__file__).resolve().parents[2]
SCREEN = (3000, 2000)                  # room for the 1400 x 900 window at scale 2
TYPED_WEIGHT = 2.5

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's"),
]


@pytest.fixture(scope="module")
def x_server():
    missing = missing_tools()
    if missing:
        pytest.fail(f"the real-window tests need {' '.join(missing)}: "
                    f"run `make system-deps-test` as root (or apt-get install {' '.join(missing)})")
    with XServer(*SCREEN) as server:
        yield server


def launch(server: XServer, home: Path, scale: str) -> subprocess.Popen:
    """`python app.py` as a person starts it, with a home of its own (no autosave to offer)."""
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.update(server.env, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), QT_SCALE_FACTOR=scale,
               NETSIM_SETTINGS_FILE=str(home / "settings.ini"))
    return subprocess.Popen([sys.executable, str(REPO / "app.py")], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def near(pixels: np.ndarray, rgb, tolerance=40) -> np.ndarray:
    return (np.abs(pixels.astype(int) - np.array(rgb)).sum(axis=-1) <= tolerance)


def box_mean(mask: np.ndarray, radius: int) -> np.ndarray:
    """The share of True in the (2r+1)^2 square around each pixel."""
    padded = np.pad(mask.astype(np.float64), radius + 1)
    sums = padded.cumsum(0).cumsum(1)
    size = 2 * radius + 1
    total = (sums[size:, size:] - sums[:-size, size:] - sums[size:, :-size]
             + sums[:-size, :-size])
    return total[:mask.shape[0], :mask.shape[1]] / size ** 2


def edge_point(window_pixels: np.ndarray, scale: int) -> tuple[int, int]:
    """A point on a drawn edge of the diagram, where nothing else is near: weight colours
    (any strongly coloured pixel: faint edges are light blue or orange) forming lines on the
    white, not filled squares; of those on the thicker edges, the one farthest from the
    neurons (where edges meet at a neuron a click could pick either)."""
    height, width, _ = window_pixels.shape
    pixels = window_pixels.astype(int)
    coloured = pixels.max(axis=-1) - pixels.min(axis=-1) > 60
    painted = np.abs(pixels - 255).sum(axis=-1) > 40             # anything but the white
    filled = box_mean(painted, 4 * scale) > 0.9                   # heatmaps, knobs, text
    thin = coloured & ~(box_mean(filled, 12 * scale) > 0)
    diagram = np.zeros_like(thin)                                 # not the legend, the plots
    diagram[int(0.15 * height):int(0.75 * height), int(0.2 * width):int(0.6 * width)] = True
    thin &= diagram
    assert thin.any(), "no edge of the network is drawn in the window"
    thickness = np.where(thin, box_mean(coloured, 3 * scale), 0)
    crowding = box_mean(filled, 40 * scale) + box_mean(coloured, 12 * scale)
    candidates = thickness >= 0.5 * thickness.max()
    y, x = np.unravel_index(np.argmin(np.where(candidates, crowding, np.inf)), crowding.shape)
    return int(x), int(y)


def save_png(pixels: np.ndarray, path: Path):
    height, width, _ = pixels.shape
    QImage(np.ascontiguousarray(pixels).tobytes(), width, height, 3 * width,
           QImage.Format_RGB888).save(str(path))


@pytest.mark.parametrize("scale", [1, 2])
def test_a_person_trains_edits_and_saves_in_a_real_window(x_server, tmp_path, scale):
    app = launch(x_server, tmp_path, str(scale))
    try:
        window = x_server.wait_for_window("^NetSim$")
        x, y, width, height = x_server.geometry(window)
        assert (width, height) == (1400 * scale, 900 * scale)

        def window_pixels():
            return x_server.grab()[y:y + height, x:x + width]

        palette = PALETTES["playground"]

        def diagram_drawn():
            pixels = window_pixels()
            centre = pixels[:, int(0.2 * width):int(0.55 * width)]
            blue, orange = near(centre, palette.positive).sum(), near(centre, palette.negative).sum()
            return pixels if min(blue, orange) > 500 * scale ** 2 else None

        first = wait_until(diagram_drawn, timeout=30)
        assert first is not None, "the window never drew the network's weights"
        save_png(first, tmp_path / "opened.png")
        toolbar = slice(0, 45 * scale)

        x_server.focus(window)
        x_server.keys("s", "s", "s")

        def counter_moved():
            pixels = window_pixels()
            return None if np.array_equal(pixels[toolbar], first[toolbar]) else pixels

        stepped = wait_until(counter_moved, timeout=10)
        assert stepped is not None, "three steps did not change the toolbar's step counter"

        x_server.keys("space")
        time.sleep(1.0)                                 # let it train for a second
        x_server.keys("space")
        trained = window_pixels()
        assert not np.array_equal(trained, stepped), "playing did not change the window"

        save_png(trained, tmp_path / "trained.png")
        ex, ey = edge_point(trained, scale)
        x_server.click(x + ex, y + ey)
        time.sleep(0.5)                                 # the editor opens under the pointer
        save_png(window_pixels(), tmp_path / "clicked.png")
        x_server.type(str(TYPED_WEIGHT))
        x_server.keys("Return")

        target = tmp_path / "run.netsim"
        x_server.keys("ctrl+s")
        dialog = x_server.wait_for_window("^Save session$", timeout=20)
        x_server.focus(dialog)
        x_server.type(str(target))
        x_server.keys("Return")
        assert wait_until(target.exists, timeout=20), "Ctrl+S did not write the session"
        save_png(window_pixels(), tmp_path / "saved.png")
    finally:
        app.terminate()
        output = app.communicate(timeout=20)[0]
    assert "Traceback" not in output, output

    trainer = wait_until(lambda: _loaded(target), timeout=10)
    assert trainer.step_count > 3                    # three steps, then a second of play
    edited = [np.argwhere(weights == TYPED_WEIGHT) for weights in trainer.network.weights]
    assert sum(len(found) for found in edited) == 1, "the clicked edge did not take 2.5"


def _loaded(path: Path):
    try:
        return load_session(path)
    except Exception:            # still being written
        return None
