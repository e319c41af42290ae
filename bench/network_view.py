"""Frame time of the network view while training: the default net and the largest one.

    QT_QPA_PLATFORM=offscreen python bench/network_view.py

For each net, over `frames` frames, a few training steps and then:
  snapshot  take_snapshot (the engine's share: weights, neuron maps over the plane)
  view      view.show_snapshot + a forced repaint of the viewport (what the user waits for)
Prints the median milliseconds of each and the ratio of the 50 ms goal (20 frames a second) to
the frame, snapshot included: 1 or more meets it, as in bench/ui.py. `measure(frames)` returns
the figures for bench/ui.py.
"""
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from netsim import Config, Trainer  # noqa: E402
from netsim.snapshot import take_snapshot  # noqa: E402
from ui.controller import PLANE_RESOLUTION  # noqa: E402
from ui.network.network_view import NetworkView  # noqa: E402

GOAL_MS = 50.0
RESOLUTION = PLANE_RESOLUTION   # the neuron maps' resolution in the main window
VIEW_SIZE = (1100, 780)    # the centre of a 1400 x 900 window
ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
NETS = {
    "default [4, 2] tanh": Config(dataset="circle", layers=(4, 2)),
    "largest 8 x 32, 7 inputs": Config(dataset="circle", layers=(32,) * 8, features=ALL_FEATURES),
}


def _measure_net(config: Config, frames: int) -> dict:
    trainer = Trainer(config)
    view = NetworkView()
    view.resize(*VIEW_SIZE)
    view.show()
    QApplication.processEvents()
    view.show_snapshot(take_snapshot(trainer, RESOLUTION))        # build the items once
    view.viewport().repaint()
    snapshot_ms, view_ms, view_cpu_ms = [], [], []
    for _ in range(frames):
        trainer.step(5)
        start = time.perf_counter()
        snapshot = take_snapshot(trainer, RESOLUTION)
        middle, middle_cpu = time.perf_counter(), time.thread_time()
        view.show_snapshot(snapshot)
        view.viewport().repaint()
        end, end_cpu = time.perf_counter(), time.thread_time()
        snapshot_ms.append((middle - start) * 1e3)
        view_ms.append((end - middle) * 1e3)
        view_cpu_ms.append((end_cpu - middle_cpu) * 1e3)
    view.close()
    return {"edges": view.edge_layer.n_edges,
            "neurons": sum(trainer.network.sizes),
            "snapshot_ms": statistics.median(snapshot_ms),
            "view_ms": statistics.median(view_ms),
            "view_cpu_ms": statistics.median(view_cpu_ms),
            "view_cpu_best_ms": min(view_cpu_ms)}


def measure(frames: int = 50, nets=tuple(NETS)) -> dict:
    """{net name: {edges, neurons, snapshot_ms, view_ms, view_cpu_ms, view_cpu_best_ms}}: medians over the frames (and the best frame); view_cpu_ms is the view's own
    processor time (painting happens in this thread), which other processes on the machine
    disturb less than the wall clock."""
    QApplication.instance() or QApplication([])
    return {name: _measure_net(NETS[name], frames) for name in nets}


def main() -> None:
    results = measure()
    print(f"network view frame time (median of 50 frames, view {VIEW_SIZE[0]}x{VIEW_SIZE[1]}, "
          f"maps {RESOLUTION}x{RESOLUTION}); goal {GOAL_MS:.0f} ms")
    for name, r in results.items():
        total = r["snapshot_ms"] + r["view_ms"]
        print(f"  {name:26s} {r['edges']:5d} edges {r['neurons']:4d} neurons: "
              f"snapshot {r['snapshot_ms']:6.1f} ms  view {r['view_ms']:6.1f} ms "
              f"(cpu {r['view_cpu_ms']:5.1f}, best {r['view_cpu_best_ms']:5.1f})  "
              f"frame {total:5.1f} ms, ratio {GOAL_MS / total:.2f}")


if __name__ == "__main__":
    main()
