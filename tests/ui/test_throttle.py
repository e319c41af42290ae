"""Figures rewritten while training runs: at most 5 times a second, and the last always shows."""
from PySide6.QtCore import QObject

from ui.throttle import REWRITE_S, Throttle


def test_a_burst_applies_the_first_value_at_once_and_the_last_when_its_time_is_up(qtbot):
    applied, owner = [], QObject()          # the owner keeps the throttle's timer alive
    throttle = Throttle(owner, applied.append)
    for k in range(5):
        throttle.submit(k)
    assert applied == [0]
    qtbot.waitUntil(lambda: applied[-1] == 4, timeout=int(REWRITE_S * 1000) + 500)
    assert applied == [0, 4]                 # the values in between were never drawn


def test_flush_applies_the_pending_value_now_and_reset_forgets_it(qtbot):
    applied, owner = [], QObject()          # the owner keeps the throttle's timer alive
    throttle = Throttle(owner, applied.append)
    throttle.submit("a")
    throttle.submit("b")
    throttle.flush()
    assert applied == ["a", "b"]
    throttle.submit("c")                     # within the interval: pending
    throttle.reset()
    qtbot.wait(int(REWRITE_S * 1000) + 100)
    assert applied == ["a", "b"]
    throttle.submit("d")                     # after a reset: at once
    assert applied == ["a", "b", "d"]


def test_toolbar_figures_follow_every_step_when_paused_and_the_last_frame_when_running(window, qtbot):
    toolbar, controller = window.toolbar, window.controller
    for _ in range(3):
        window.toolbar.step.trigger()
    assert "Step 3 " in toolbar.counters.text()
    controller.play()
    qtbot.wait(300)
    controller.pause()
    assert f"Step {controller.trainer.step_count:,} " in toolbar.counters.text()
