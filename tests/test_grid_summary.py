"""The summary of a sweep: per setting, mean and spread over seeds of the runs that trained;
the plot of it, a PNG drawn without Qt."""
import json
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from netsim.grid.plot import write_summary_plot, x_setting
from netsim.grid.results import ResultsTable
from netsim.grid.summary import summarize, summary_text

ROOT = Path(__file__).resolve().parents[1]


def row(lr, init, seed, loss, diverged=False, reached=None):
    return {"learning_rate": lr, "init": init, "seed": seed, "final_train_loss": loss / 2,
            "final_test_loss": loss, "final_test_accuracy": 1 - loss / 4,
            "diverged": diverged, "steps_to_target": reached}


TABLE = ResultsTable(Path("r.csv"), ("learning_rate", "init", "seed"), (), [
    row(0.01, "he_normal", 0, 0.5), row(0.01, "he_normal", 1, 0.7, reached=40),
    row(0.01, "zeros", 0, 0.9), row(0.01, "zeros", 1, 0.8),
    row(1.0, "he_normal", 0, 0.2, reached=10), row(1.0, "he_normal", 1, float("nan"), True),
    row(1.0, "zeros", 0, 0.6), row(1.0, "zeros", 1, 0.65),
])


def test_each_setting_gets_the_mean_and_spread_of_its_seeds():
    first = summarize(TABLE)[0]
    assert first.setting == {"learning_rate": 0.01, "init": "he_normal"}
    assert first.runs == 2 and first.diverged == 0 and first.reached_target == 1
    assert first.mean["final_test_loss"] == pytest.approx(0.6)
    assert first.spread["final_test_loss"] == pytest.approx(np.std([0.5, 0.7], ddof=1))


def test_diverged_runs_are_counted_and_left_out_of_the_means():
    wild = summarize(TABLE)[2]
    assert (wild.runs, wild.diverged) == (2, 1)
    assert wild.mean["final_test_loss"] == 0.2 and wild.spread["final_test_loss"] is None


def test_the_summary_text_has_a_line_per_setting():
    lines = summary_text(summarize(TABLE), with_target=True).splitlines()
    assert lines[0].split()[:5] == ["learning_rate", "init", "runs", "diverged", "reached"]
    assert len(lines) == 5 and "0.6 ± 0.14" in lines[1]


def test_the_x_axis_is_the_first_numeric_setting_that_varies():
    assert x_setting(summarize(TABLE)) == "learning_rate"
    one_rate = ResultsTable(TABLE.path, TABLE.settings, (),
                            [r for r in TABLE.rows if r["learning_rate"] == 1.0])
    assert x_setting(summarize(one_rate)) == "init"


def png_size(path) -> tuple[int, int]:
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("rows", [TABLE.rows, [r for r in TABLE.rows
                                               if r["learning_rate"] == 1.0]],
                         ids=["numeric x", "named x"])
def test_the_plot_is_a_png_with_the_means_drawn_in_colour(tmp_path, rows):
    import matplotlib.image
    path = tmp_path / "summary.png"
    write_summary_plot(path, summarize(TABLE, rows), "a title")
    assert png_size(path) == (800, 500)
    pixels = matplotlib.image.imread(path)[..., :3]        # (500, 800, 3) in 0..1
    coloured = np.ptp(pixels, axis=-1) > 0.3                # lines, not grey axes or white
    assert coloured.sum() > 100


def test_drawing_the_plot_loads_no_qt(tmp_path):
    probe = ("import json, sys; from pathlib import Path; "
             "from netsim.grid.plot import write_summary_plot; "
             "from netsim.grid.summary import summarize; "
             "from tests.test_grid_summary import TABLE; "
             f"write_summary_plot({str(tmp_path / 'p.png')!r}, summarize(TABLE)); "
             "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('PySide6', 'shiboken6', 'pyqtgraph', 'ui'))))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [] and (tmp_path / "p.png").stat().st_size > 10_000
