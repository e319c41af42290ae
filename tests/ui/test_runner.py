"""Runner: a slice of steps ends at its deadline, its step count or when the work is done."""
import time

import pytest

from ui.runner import SLICE_S, Runner


class Counter:
    """An engine object that counts its steps; it fails at step `fail_at`."""

    def __init__(self, fail_at=None):
        self.steps, self.fail_at = 0, fail_at

    def step(self, n):
        if self.steps + n > (self.fail_at or float("inf")):
            raise ArithmeticError("diverged")
        self.steps += n


def test_a_slice_stops_at_its_step_count():
    counter = Counter()
    assert Runner.run_slice(counter, time.perf_counter() + 10, at_most=7) == 7
    assert counter.steps == 7


def test_a_slice_stops_when_the_work_is_done():
    counter = Counter()
    Runner.run_slice(counter, time.perf_counter() + 10, done=lambda: counter.steps >= 5)
    assert counter.steps == 5


def test_a_slice_lasts_about_slice_s():
    start = time.perf_counter()
    steps = Runner.run_slice(Counter())
    elapsed = time.perf_counter() - start
    assert steps > 0 and SLICE_S <= elapsed < SLICE_S + 0.05


def test_an_error_of_the_engine_passes_through_with_its_steps_done():
    counter = Counter(fail_at=3)
    with pytest.raises(ArithmeticError):
        Runner.run_slice(counter, time.perf_counter() + 10)
    assert counter.steps == 3


def test_ticks_come_until_stopped(qtbot):
    ticks = []
    runner = Runner(lambda: ticks.append(runner.run_slice(Counter(), at_most=1)))
    runner.start()
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    runner.stop()
    count = len(ticks)
    qtbot.wait(50)
    assert not runner.is_running and len(ticks) == count and set(ticks) == {1}
