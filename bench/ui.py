"""UI speed: training throughput while every view repaints, and the longest event-loop stall.

    QT_QPA_PLATFORM=offscreen python bench/ui.py        # from the repository root, ~30 s

For each case the main window (1400x900, offscreen) trains at full speed for a few seconds.
Measured:
  epochs/s     examples seen / training-set size / wall time, with the views repainting
  frames/s     snapshots drawn by every view per second (goal >= 25)
  stall        the largest gap between ticks of a 5 ms probe QTimer (goal <= 50 ms)
  engine       epochs/s of Trainer.step alone, no UI: the ceiling the UI can approach
  frame cost   ms to take one snapshot and draw it in every view
Goals: >= 500 epochs/s for TensorFlow Playground's default net ([4, 2] tanh on circle, batch
10), >= 200 epochs/s for all seven features and layers [8] * 6. Ratios >= 1 meet a goal.

Last, the network view alone on the largest net the panels allow (8 hidden layers of 32, 7,424
edges, every neuron's heatmap): its frame time, snapshot included, against 50 ms (20 frames a
second), from bench/network_view.py (which also runs on its own).
"""
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from netsim import Config, Trainer  # noqa: E402
from netsim.snapshot import take_snapshot  # noqa: E402
from ui.controller import PLANE_RESOLUTION, TrainingController  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402

RUN_S = 4.0
PROBE_MS = 5
ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
CASES = (
    ("Playground default: circle, [4, 2] tanh, batch 10", Config(), 500.0),
    ("7 features, [8] * 6 tanh, batch 10", Config(features=ALL_FEATURES, layers=(8,) * 6), 200.0),
)


def engine_epochs_per_s(config: Config) -> float:
    trainer = Trainer(config)
    trainer.step(200)
    start, seen = time.perf_counter(), trainer.examples_seen
    while time.perf_counter() - start < 1.5:
        trainer.step(50)
    return (trainer.examples_seen - seen) / trainer.n_train / (time.perf_counter() - start)


def frame_cost_ms(window: MainWindow, app: QApplication) -> float:
    trainer, repeats = window.controller.trainer, 20
    start = time.perf_counter()
    for _ in range(repeats):
        window._on_snapshot(take_snapshot(trainer, PLANE_RESOLUTION))
        app.processEvents()              # the repaint itself
    return (time.perf_counter() - start) / repeats * 1000


def run_window(app: QApplication, config: Config):
    window = MainWindow(TrainingController(config), settings=None)
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    frames, gaps, last = [0], [0.0], [time.perf_counter()]
    window.controller.snapshot_ready.connect(lambda _s: frames.__setitem__(0, frames[0] + 1))

    def probe():
        now = time.perf_counter()
        gaps[0] = max(gaps[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    trainer = window.controller.trainer
    seen = trainer.examples_seen
    timer.start()
    window.controller.play()
    start = time.perf_counter()
    last[0] = start
    while time.perf_counter() - start < RUN_S:
        app.processEvents()
    window.controller.pause()
    elapsed = time.perf_counter() - start
    timer.stop()
    epochs = (window.controller.trainer.examples_seen - seen) / trainer.n_train
    cost = frame_cost_ms(window, app)
    window.close()
    return epochs / elapsed, frames[0] / elapsed, gaps[0] * 1000, cost


def largest_net_frame():
    """The 8 x 32 net's frame in the network view (bench/network_view.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import network_view
    name = "largest 8 x 32, 7 inputs"
    r = network_view.measure(frames=30, nets=(name,))[name]
    total = r["snapshot_ms"] + r["view_ms"]
    print(f"Network view, {name}: {r['edges']} edges, {r['neurons']} neurons with heatmaps")
    print(f"  frame: {total:5.1f} ms (snapshot {r['snapshot_ms']:.1f} + view {r['view_ms']:.1f}, "
          f"view cpu {r['view_cpu_ms']:.1f})   goal {network_view.GOAL_MS:.0f}   "
          f"ratio {network_view.GOAL_MS / total:.2f}")


def main():
    app = QApplication.instance() or QApplication([])
    for title, config, goal in CASES:
        engine = engine_epochs_per_s(config)
        epochs, fps, stall, cost = run_window(app, config)
        print(f"{title}")
        print(f"  with views: {epochs:8.1f} epochs/s   goal {goal:.0f}   ratio {epochs / goal:.2f}")
        print(f"  engine alone: {engine:6.1f} epochs/s   UI keeps {epochs / engine:.0%} of it")
        print(f"  frames: {fps:5.1f} /s   goal 25   ratio {fps / 25:.2f}")
        print(f"  longest stall: {stall:5.1f} ms   goal 50   ratio {50 / stall:.2f}")
        print(f"  one frame (snapshot + every view): {cost:.1f} ms")
    largest_net_frame()


if __name__ == "__main__":
    main()
