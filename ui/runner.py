"""Advancing an engine object from the event loop, a slice at a time.

A Runner calls its owner's `tick` from a QTimer; the tick advances an engine object (anything
with `step(n)`: a Trainer, a Sweep) with `run_slice`, which steps it until a deadline about
SLICE_S away, so that no click waits longer than a slice. The controller trains the live run
with one; the sweep panel trains a sweep's runs with another.
"""
import time

from PySide6.QtCore import QObject, QTimer

SLICE_S = 0.010            # training time per timer tick


class Runner(QObject):
    """A timer that calls `tick()` until stopped; `run_slice` is what a tick trains."""

    def __init__(self, tick, parent=None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(tick)

    @property
    def is_running(self) -> bool:
        return self._timer.isActive()

    def start(self):
        self._timer.start()

    def stop(self):
        """No tick comes after this returns."""
        self._timer.stop()

    def set_interval(self, seconds: float):
        """Time between ticks; 0: again as soon as the event loop has handled what waits."""
        self._timer.setInterval(round(seconds * 1000))

    @staticmethod
    def run_slice(engine, deadline: float | None = None, at_most: int | None = None,
                  done=lambda: False) -> int:
        """engine.step(1) until the deadline (perf_counter time; default SLICE_S from now),
        `at_most` steps, or done(); returns the steps run. The engine's exceptions (a
        DivergenceError) pass through, the steps before them done."""
        deadline = time.perf_counter() + SLICE_S if deadline is None else deadline
        steps = 0
        while time.perf_counter() < deadline and not done():
            if at_most is not None and steps >= at_most:
                break
            engine.step(1)
            steps += 1
        return steps
