"""The lessons: a side panel that says what a run shows, what to watch and what to try next,
and the Lessons menu that sets each one up.

Choosing a lesson (menu or the panel's drop-down) sets up its run, paused at step 0. "Start"
sets it up afresh and trains for the lesson's steps, then pauses so the person can look.
"Compare side by side" asks for the lesson's sweep (SweepPanel runs it). Teachers' own lesson
files open from the menu (netsim/lessons.py describes the format).

Wiring into the main window (`install_lessons(window, sweep_panel)` does exactly this):
    panel = LessonsPanel(window.controller)
    window.add_dock("Lesson", panel)
    panel.fill_menu(window.menus["lessons"])
    panel.lesson_started -> window.charts.setCurrentWidget(getattr(window.charts, lesson.chart))
    panel.compare_requested -> sweep_panel.set_sweep(field, values)
                               sweep_panel.start(lesson.config, steps=lesson.steps)
"""
import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QTextBrowser, QVBoxLayout, QWidget)

from netsim import ACTIVATIONS, NetsimError
from netsim.lessons import PRESETS_DIR, Lesson, load_lesson


def bundled_lessons(directory=PRESETS_DIR) -> tuple[list[Lesson], list[str]]:
    """(lessons, errors): every lesson file that loads, and a message for each that does not."""
    lessons, errors = [], []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            lessons.append(load_lesson(path))
        except NetsimError as exc:
            errors.append(str(exc))
    return lessons, errors


def setup_summary(lesson: Lesson) -> str:
    """One line on the run's settings: "xor · hidden 3 · Tanh · init xavier_uniform · sgd lr 0.1"."""
    c = lesson.config
    parts = [c.dataset, "hidden " + ("-".join(map(str, c.layers)) or "none"),
             ACTIVATIONS.title(c.activation), f"init {c.init}",
             f"{c.optimizer} lr {c.learning_rate:g}"]
    if c.regularization != "none" and c.reg_rate:
        parts.append(f"{c.regularization} {c.reg_rate:g}")
    if c.n_samples is not None:
        parts.append(f"{c.n_samples} points")
    if c.noise:
        parts.append(f"noise {c.noise:g}")
    return " · ".join(parts)


def lesson_html(lesson: Lesson) -> str:
    e = html.escape
    sweep = ""
    if lesson.sweep is not None:
        values = ", ".join(map(str, lesson.sweep.values))
        sweep = (f"<h4>Side by side</h4><p>{e(lesson.sweep.field)}: {e(values)} — press "
                 f"<i>Compare side by side</i>.</p>")
    return (f"<p>{e(lesson.text)}</p>"
            f"<h4>What to watch</h4><p>{e(lesson.watch)}</p>"
            f"<h4>Try next</h4><p>{e(lesson.try_next)}</p>{sweep}"
            f"<p style='color:#666'>{e(setup_summary(lesson))} · {lesson.steps} steps</p>")


class LessonsPanel(QWidget):
    lesson_started = Signal(object)       # Lesson whose run was just set up
    compare_requested = Signal(object)    # Lesson whose sweep should run side by side

    def __init__(self, controller, lessons: list[Lesson] | None = None, parent=None):
        super().__init__(parent)
        self.controller = controller
        if lessons is None:
            lessons, errors = bundled_lessons()
        else:
            errors = []
        self.lessons: list[Lesson] = list(lessons)
        self.lesson: Lesson | None = None
        self._stop_at: int | None = None      # step at which the playing lesson pauses
        self._build()
        controller.running_changed.connect(self._on_running_changed)
        self.status.setText(" ".join(errors)
                            or "Choose a lesson from the list or the Lessons menu.")
        if self.lessons:
            self.show_lesson(self.lessons[0])

    def _build(self):
        self.chooser = QComboBox()
        self._fill_chooser()
        self.chooser.activated.connect(lambda index: self.choose(self.lessons[index]))
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold")
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Set up the lesson's run afresh and train it")
        self.start_button.clicked.connect(self.start)
        self.compare_button = QPushButton("Compare side by side")
        self.compare_button.clicked.connect(
            lambda: self.lesson is not None and self.compare_requested.emit(self.lesson))
        self.next_button = QPushButton("Next lesson")
        self.next_button.clicked.connect(self.next_lesson)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.compare_button, self.next_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)
        layout.addWidget(self.title)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def _fill_chooser(self):
        self.chooser.clear()
        for k, lesson in enumerate(self.lessons, start=1):
            self.chooser.addItem(f"{k}. {lesson.title}")

    # ---- the menu -------------------------------------------------------------------------

    def fill_menu(self, menu):
        """One entry per lesson (Ctrl+1 ... Ctrl+9 for the first nine), then "Open lesson
        file…"."""
        menu.clear()
        for k, lesson in enumerate(self.lessons, start=1):
            action = menu.addAction(f"&{k}. {lesson.title}" if k < 10 else f"{k}. {lesson.title}")
            action.setToolTip(lesson.text)
            if k < 10:
                action.setShortcut(QKeySequence(f"Ctrl+{k}"))
            action.triggered.connect(lambda _checked=False, chosen=lesson: self.choose(chosen))
        menu.addSeparator()
        menu.addAction("&Open lesson file…", self._on_open_clicked)
        self._menu = menu

    def _on_open_clicked(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open lesson", "", "Lessons (*.json)")
        if path:
            self.open_file(path)

    def open_file(self, path) -> bool:
        """Load a teacher's lesson file, add it to the list and choose it; on a bad file say
        why and keep everything as it was."""
        try:
            lesson = load_lesson(path)
        except NetsimError as exc:
            self.status.setText(f"Not opened: {exc}")
            return False
        self.lessons.append(lesson)
        self._fill_chooser()
        if getattr(self, "_menu", None) is not None:
            self.fill_menu(self._menu)
        self.choose(lesson)
        return True

    # ---- choosing and starting ------------------------------------------------------------

    def show_lesson(self, lesson: Lesson):
        """Show a lesson's texts without touching the run."""
        self.lesson = lesson
        if lesson in self.lessons:
            self.chooser.setCurrentIndex(self.lessons.index(lesson))
        self.title.setText(lesson.title)
        self.body.setHtml(lesson_html(lesson))
        self.compare_button.setEnabled(lesson.sweep is not None)
        self.next_button.setEnabled(lesson in self.lessons and
                                    self.lessons.index(lesson) < len(self.lessons) - 1)

    def choose(self, lesson: Lesson) -> bool:
        """Show the lesson and set up its run, paused at step 0. A lesson whose run cannot be
        set up leaves the panel and the run as they were, and says why."""
        if not self._set_up(lesson):
            return False
        self.show_lesson(lesson)
        self.status.setText(f"Ready: press Start to train for {lesson.steps} steps (Space "
                            f"trains on until you pause).")
        return True

    def start(self) -> bool:
        """Set up the lesson's run afresh and train it for exactly the lesson's steps."""
        if self.lesson is None or not self._set_up(self.lesson):
            return False
        self._stop_at = self.lesson.steps
        self.status.setText(f"Training for {self.lesson.steps} steps… watch: "
                            f"{self.lesson.watch.split('.')[0]}.")
        self.controller.play(until=self.lesson.steps)
        return True

    def next_lesson(self):
        if self.lesson in self.lessons:
            index = self.lessons.index(self.lesson) + 1
            if index < len(self.lessons):
                self.choose(self.lessons[index])

    def _set_up(self, lesson: Lesson) -> bool:
        self._stop_at = None
        self.controller.pause()
        try:
            self.controller.start_run(lesson.config)
        except NetsimError as exc:
            self.status.setText(f"\u201c{lesson.title}\u201d cannot start: {exc}")
            return False
        self.lesson_started.emit(lesson)
        return True

    def _on_running_changed(self, running: bool):
        if running or self._stop_at is None:
            return
        step = self.controller.step_count
        if step >= self._stop_at:         # the controller stopped at the lesson's last step
            self.status.setText(f"Paused at step {step}: look closely, then see "
                                f"'Try next' above.")
        else:                             # paused by the person, or training diverged
            self.status.setText(f"Stopped at step {step}, before the lesson's {self._stop_at} "
                                f"(the status bar below says why).")
        self._stop_at = None


def install_lessons(window, sweep_panel=None) -> LessonsPanel:
    """The Lesson dock, the Lessons menu, and the links to the charts and the sweep panel."""
    panel = LessonsPanel(window.controller)
    dock = window.add_dock("Lesson", panel, Qt.LeftDockWidgetArea)
    panel.fill_menu(window.menus["lessons"])

    def on_started(lesson):
        dock.show()
        dock.raise_()
        chart = getattr(window.charts, lesson.chart, None)
        if chart is not None:
            window.charts.setCurrentWidget(chart)

    panel.lesson_started.connect(on_started)
    if sweep_panel is not None:
        def on_compare(lesson):
            sweep_panel.set_sweep(lesson.sweep.field, lesson.sweep.values)
            compare_dock = window.docks.get("Compare")
            if compare_dock is not None:          # shown even if the sweep is refused: the
                compare_dock.show()               # panel says why
                compare_dock.raise_()
            sweep_panel.start(lesson.config, steps=lesson.steps)
        panel.compare_requested.connect(on_compare)
    return panel


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    from ui.controller import TrainingController
    app = QApplication([])
    panel = LessonsPanel(TrainingController())
    panel.compare_requested.connect(lambda lesson: print("compare", lesson.sweep))
    panel.show()
    app.exec()
