"""The training toolbar: Reset, Step, Epoch, Play/Pause, speed, and the run's live figures
(epoch, step, examples seen, steps per second, train and test loss)."""
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QSizePolicy, QSlider, QStyle, QToolBar,
                               QWidget)

from ui.figures import loss_figure, penalty_note
from ui.throttle import Throttle

SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, None)   # steps per frame; None: as fast as possible


def speed_text(steps_per_frame: int | None) -> str:
    if steps_per_frame is None:
        return "max"
    return f"{steps_per_frame} step/frame" if steps_per_frame == 1 else \
        f"{steps_per_frame} steps/frame"


class TrainingToolbar(QToolBar):
    speed_changed = Signal(object)      # steps per frame, or None for max

    def __init__(self, parent=None):
        super().__init__("Training", parent)
        self.setObjectName("training_toolbar")
        self.setMovable(False)
        self._running = False
        self._texts = Throttle(self, self._write_texts)      # counters and losses
        self.actions_by_name: dict[str, QAction] = {}
        self.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        icon = self.style().standardIcon
        self.reset = self._action("reset", "Reset", "R", "Start again from the initial weights",
                                  icon(QStyle.SP_BrowserReload))
        self.step = self._action("step", "Step", "S", "One mini-batch update (also Right)",
                                 icon(QStyle.SP_MediaSkipForward))
        self.step.setShortcuts([QKeySequence("S"), QKeySequence(Qt.Key_Right)])
        self.epoch = self._action("epoch", "Epoch", "E", "Train to the end of the epoch",
                                  icon(QStyle.SP_MediaSeekForward))
        self.play = self._action("play", "Play", "Space", "Train continuously",
                                 icon(QStyle.SP_MediaPlay))
        self.play.setCheckable(True)
        self.addSeparator()
        self._add_speed()
        self.addSeparator()
        self.counters = self._label("Epoch 0 · Step 0 · Examples 0 · lr 0.03", 370)
        self.rate = self._label("", 110)
        self.losses = self._label("", 300)
        self.losses.setFont(QFont(self.losses.font().family(), -1, QFont.Bold))

    def _action(self, name, text, shortcut, tip, icon) -> QAction:
        action = QAction(icon, text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({shortcut})")
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _add_speed(self):
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(QLabel("Speed"))
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(len(SPEEDS) - 1)
        self.speed.setFixedWidth(120)
        self.speed.setToolTip("Steps per frame, from 1 (watch every step) to max")
        self.speed_label = QLabel(speed_text(None))
        self.speed_label.setMinimumWidth(95)
        self.speed.valueChanged.connect(self._on_speed_moved)
        row.addWidget(self.speed)
        row.addWidget(self.speed_label)
        box.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.addWidget(box)

    def _label(self, text: str, width: int) -> QLabel:
        label = QLabel(text)
        label.setFixedWidth(width)            # new text never re-lays out the toolbar
        label.setContentsMargins(8, 0, 8, 0)
        label.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Preferred)
        self.addWidget(label)
        return label

    def _on_speed_moved(self, position: int):
        self.speed_label.setText(speed_text(SPEEDS[position]))
        self.speed_changed.emit(SPEEDS[position])

    def show_running(self, running: bool):
        self._running = running
        if not running:
            self._texts.flush()                  # paused: the figures of this very moment
        self.play.setChecked(running)
        self.play.setText("Pause" if running else "Play")
        self.play.setIcon(self.style().standardIcon(QStyle.SP_MediaPause if running
                                                    else QStyle.SP_MediaPlay))

    def show_snapshot(self, snapshot):
        """While training runs the counters change at most 5 times a second (Throttle);
        a single step or a pause shows at once."""
        self._texts.submit(snapshot)
        if not self._running:
            self._texts.flush()

    def _write_texts(self, snapshot):
        self.counters.setText(f"Epoch {snapshot.epoch:,} · Step {snapshot.step:,} · "
                              f"Examples {snapshot.examples_seen:,} · "
                              f"lr {snapshot.learning_rate:.3g}")
        self.counters.setToolTip("The learning rate is the one the schedule gives this epoch"
                                 if snapshot.config.schedule != "constant" else
                                 "Learning rate: constant (choose a schedule in Training)")
        m = snapshot.metrics
        self.losses.setText(f"Train loss {loss_figure(m.train_loss, 4)} · "
                            f"Test loss {loss_figure(m.test_loss, 4)}")
        self.losses.setToolTip(penalty_note(m, 4))

    def show_rate(self, steps_per_second: float):
        self.rate.setText(f"{steps_per_second:,.0f} steps/s" if steps_per_second else "")
