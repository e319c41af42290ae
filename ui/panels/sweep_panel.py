"""Runs side by side: sweeps of one setting, and the Compare dock with the pins; the dock also
opens the results of a netsim-sweep grid (ui/panels/sweep_results.py).

SweepPanel has the controller make one run per value of a setting on the live run's data
(netsim.sweep, batched), trains them in ~10 ms slices from a timer (ui/runner.py, as the
controller trains the live run) and shows their curves together with a summary table.
Pinned runs (earlier runs' curves beneath the live ones) are ui/charts/run_pins.py.

Wiring into the main window (`install_compare(window)` does exactly this):
    pins = RunPins()
    pins.attach(window.charts.loss.plot, "train_loss"); ... "test_loss"
    pins.attach(window.charts.accuracy.plot, "train_accuracy"); ... "test_accuracy"
    Train menu: "Pin this run" (Ctrl+P) -> pins.pin(label, controller.history_arrays(), config)
                "Clear pins"              -> pins.clear()
    controller.config_changed -> pins.relabel(config)
    window.add_dock("Compare", SweepPanel(controller))
"""
import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QSpinBox, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from netsim import NetsimError
from netsim.config import FIELDS, field_label
from netsim.sweep import SWEEP_FIELDS, Sweep, SweepResult
from ui.charts.run_pins import RunPins, describe_difference, run_colors
from ui.charts.runs_plot import SERIES, runs_plot, series_chooser
from ui.panels.sweep_results import open_results_window
from ui.panels.widgets import set_quietly
from ui.runner import Runner

CURVE_WIDTH, SELECTED_WIDTH = 1.5, 3.0   # a sweep run's curve, and while its table row is selected
REDRAW_S = 0.1                       # curves and table at most 10 times a second
DEFAULT_VALUES = {
    "learning_rate": "0.001, 0.01, 0.03, 0.1, 0.3",
    "init": "xavier_uniform, he_normal, normal",
    "activation": "tanh, relu, sigmoid",
    "optimizer": "sgd, momentum, adam",
    "regularization": "none, l1, l2",
    "reg_rate": "0, 0.001, 0.01, 0.1",
    "seed": "0, 1, 2, 3, 4, 5, 6, 7",
}


# ---- sweeps -------------------------------------------------------------------------------

class SweepPanel(QWidget):
    """Choose a setting and its values; the runs train together, beside the live run.

    Signals: started() when runs begin training; finished(SweepResult) when the last run has
    trained its epochs."""
    started = Signal()
    finished = Signal(object)

    COLUMNS = ("value", "final train loss", "final test loss", "train accuracy",
               "test accuracy", "steps to target", "status")

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.sweep: Sweep | None = None
        self.result: SweepResult | None = None
        self.target_loss: float | None = None
        self._last_draw = 0.0
        self._curves: list[pg.PlotDataItem] = []
        self._diverged: set[int] = set()          # runs whose curves are shown as diverged
        self._runner = Runner(self._on_tick, self)
        self._build()

    def _build(self):
        self.field = QComboBox()
        for name in SWEEP_FIELDS:
            self.field.addItem(field_label(name), name)
        self.field.currentIndexChanged.connect(self._on_field_changed)
        self.values = QLineEdit(DEFAULT_VALUES[SWEEP_FIELDS[0]])
        self.values.setToolTip("Values separated by commas; one run per value")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100_000)
        self.epochs.setValue(50)
        self.target = QDoubleSpinBox()
        self.target.setDecimals(4)
        self.target.setRange(0.0, 100.0)
        self.target.setSingleStep(0.01)
        self.target.setValue(0.1)
        self.target.setSpecialValueText("none")
        self.target.setToolTip("The table counts the steps each run needs to bring its "
                               "train loss down to this (0: no target)")
        self.run_button = QPushButton("Run sweep")
        self.run_button.clicked.connect(self._on_run_clicked)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.open_results_button = QPushButton("Open sweep results…")
        self.open_results_button.setToolTip("Show the table and curves of a sweep run with "
                                            "netsim-sweep (its RESULTS.csv or .parquet)")
        self.open_results_button.clicked.connect(self._on_open_results_clicked)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.message = QLabel("Every run starts from the live run's settings and data; only the "
                              "chosen setting differs.")
        self.message.setWordWrap(True)
        self.shown_series = series_chooser(self._draw_curves)
        self.plot_widget, self.plot = runs_plot()
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + 4 * self.table.verticalHeader().defaultSectionSize() + 4)
        self.table.itemSelectionChanged.connect(self._on_row_selected)
        self._lay_out()

    def _lay_out(self):
        choice = QHBoxLayout()
        choice.addWidget(QLabel("Sweep"))
        choice.addWidget(self.field)
        choice.addWidget(self.values, 1)
        length = QHBoxLayout()
        for text, widget in (("Epochs", self.epochs), ("Target loss", self.target)):
            length.addWidget(QLabel(text))
            length.addWidget(widget)
        length.addStretch(1)
        length.addWidget(self.run_button)
        length.addWidget(self.export_button)
        length.addWidget(self.open_results_button)
        chart_row = QHBoxLayout()
        chart_row.addWidget(QLabel("Show"))
        chart_row.addWidget(self.shown_series, 1)
        chart_row.addWidget(self.progress, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(choice)
        layout.addLayout(length)
        layout.addWidget(self.message)
        layout.addLayout(chart_row)
        # the table is the chart's legend (each run's name in its curve's colour; a selected
        # row's curve is drawn bold): a legend inside the small plot covered the curves
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.plot_widget)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

    # ---- choosing -------------------------------------------------------------------------

    def _on_field_changed(self, _index: int):
        self.values.setText(DEFAULT_VALUES[self.field.currentData()])
        choices = FIELDS[self.field.currentData()].choices
        tip = "Values separated by commas; one run per value"
        self.values.setToolTip(f"{tip}. Known: {', '.join(choices)}" if choices else tip)

    def set_sweep(self, field: str, values, epochs: int | None = None):
        """Fill in the controls (a lesson's comparison); does not start."""
        index = self.field.findData(field)
        if index < 0:
            self.field.addItem(field_label(field), field)
            index = self.field.count() - 1
        self.field.setCurrentIndex(index)
        self.values.setText(", ".join(f"{v:g}" if isinstance(v, float) else str(v)
                                      for v in values))
        if epochs is not None:
            self.epochs.setValue(epochs)

    # ---- running --------------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._runner.is_running

    def _on_run_clicked(self):
        if self.is_running:
            self.stop()
        else:
            self.start()

    def start(self, base_config=None, steps: int | None = None) -> bool:
        """Start the sweep shown in the controls from `base_config` (default: the live run's
        settings, on its data), for the epochs shown or, if given, the epochs that hold `steps`
        mini-batch steps. False, with the reason shown, if the input is refused."""
        self.stop()
        try:
            self.sweep = self.controller.start_sweep(self.field.currentData(), self.values.text(),
                                                     self.epochs.value(), base_config)
        except NetsimError as exc:
            self.message.setText(f"Not started: {exc}")
            return False
        if steps is not None:
            per_epoch = self.sweep.groups[0].steps_per_epoch
            self.sweep.epochs = max(1, -(-steps // per_epoch))
            set_quietly(self.epochs, "setValue", self.sweep.epochs)
        self.target_loss = self.target.value() or None
        self.result = None
        self.export_button.setEnabled(False)
        self._make_curves()
        self._fill_table()
        self.progress.setRange(0, self.sweep.total_steps)
        self.progress.setValue(0)
        self.run_button.setText("Stop")
        self.message.setText(f"Training {self.sweep.n_runs} runs together on "
                             f"{self.sweep.dataset.title}: {', '.join(self.sweep.labels)}.")
        self._runner.start()
        self.started.emit()
        return True

    def stop(self):
        if not self.is_running:
            return
        self._runner.stop()
        self.run_button.setText("Run sweep")
        self._show_progress()
        self.message.setText("Stopped. The table shows each run as far as it got.")

    def _on_tick(self):
        sweep = self.sweep
        self._runner.run_slice(sweep, done=lambda: sweep.finished)
        now = time.perf_counter()
        if sweep.finished:
            self._runner.stop()
            self.run_button.setText("Run sweep")
            self._show_progress()
            self._finish()
        elif now - self._last_draw >= REDRAW_S:
            self._show_progress()

    def _show_progress(self):
        self.progress.setValue(self.sweep.steps_done)
        self._draw_curves()
        self._fill_table()
        self._last_draw = time.perf_counter()

    def _finish(self):
        sweep = self.sweep
        self.result = SweepResult(sweep.field, sweep.rows(self.target_loss),
                                  [sweep.history(k) for k in range(sweep.n_runs)])
        self.export_button.setEnabled(True)
        rows = self.result.rows
        best = min(range(sweep.n_runs), key=lambda k: _or_inf(rows[k]["final_test_loss"]))
        self.message.setText(f"Done: {sweep.epochs} epochs per run. Lowest test loss: "
                             f"{sweep.labels[best]}.")
        self.finished.emit(self.result)

    # ---- showing --------------------------------------------------------------------------

    def _make_curves(self):
        for item in self._curves:
            self.plot.removeItem(item)
        self._curves = [self.plot.plot(pen=pg.mkPen(color, width=CURVE_WIDTH), name=label)
                        for color, label in zip(run_colors(self.sweep.n_runs), self.sweep.labels)]
        self._diverged: set[int] = set()

    def _draw_curves(self):
        if self.sweep is None:
            return
        metric = self.shown_series.currentData()
        self.plot.setLabel("left", SERIES[metric].lower())
        for k, curve in enumerate(self._curves):
            if k not in self._diverged and self.sweep.diverged(k):
                self._mark_diverged(k)
            steps, values = self.sweep.history(k).get(metric, (np.empty(0), np.empty(0)))
            curve.setData(steps, values)

    def _mark_diverged(self, k: int):
        """A diverged run's curve is dashed and left out of the axis range, so that its huge
        losses do not flatten the others."""
        self._diverged.add(k)
        curve = self._curves[k]
        pen = pg.mkPen(curve.opts["pen"])
        pen.setStyle(Qt.DotLine)
        curve.setPen(pen)
        self.plot.removeItem(curve)
        curve.opts["name"] = f"{self.sweep.labels[k]} (diverged)"
        self.plot.addItem(curve, ignoreBounds=True)

    def _fill_table(self):
        sweep = self.sweep
        rows = sweep.rows(self.target_loss)
        self.table.setRowCount(len(rows))
        regression = sweep.dataset.task == "regression"       # no accuracy to show
        for column in (3, 4):
            self.table.setColumnHidden(column, regression)
        for k, row in enumerate(rows):
            status = (f"diverged at step {row['diverged_at']}" if row["diverged_at"] is not None
                      else "done" if sweep.finished else "training")
            cells = (sweep.labels[k], _number(row["final_train_loss"]),
                     _number(row["final_test_loss"]), _percent(row["train_accuracy"]),
                     _percent(row["test_accuracy"]),
                     _steps(row["steps_to_target"], self.target_loss),
                     status)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setForeground(run_colors(sweep.n_runs)[k])
                self.table.setItem(k, column, item)

    def _on_row_selected(self):
        chosen = {index.row() for index in self.table.selectionModel().selectedRows()}
        for k, curve in enumerate(self._curves):
            pen = curve.opts["pen"]
            pen.setWidthF(SELECTED_WIDTH if k in chosen else CURVE_WIDTH)
            curve.setPen(pen)

    def _on_export_clicked(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export sweep table", "sweep.csv",
                                              "CSV files (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path):
        try:
            self.result.write_csv(path)
        except OSError as exc:
            self.message.setText(f"Could not write {path}: {exc.strerror or exc}")
            return
        self.message.setText(f"Wrote the table to {path}.")


    def _on_open_results_clicked(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open sweep results", "",
                                              "Sweep results (*.csv *.parquet)")
        if path:
            self.open_results(path)

    def open_results(self, path) -> QWidget | None:
        """A window with the table and curves of a netsim-sweep results file; None, with the
        reason shown, if the file is not one."""
        try:
            window = open_results_window(path, self)    # the panel owns it until it is closed
        except NetsimError as exc:
            self.message.setText(f"Could not open the sweep results: {exc}")
            return None
        window.setAttribute(Qt.WA_DeleteOnClose)
        return window


def _or_inf(value):
    return math.inf if value is None or not math.isfinite(value) else value


def _number(value) -> str:
    return "" if value is None else f"{value:.4g}"


def _percent(value) -> str:
    return "" if value is None else f"{100 * value:.1f} %"


def _steps(value, target) -> str:
    if target is None:
        return ""
    return "not reached" if value is None else str(value)


def install_compare(window) -> tuple[RunPins, SweepPanel]:
    """Pins on the loss and accuracy charts, their Train menu entries, and the Compare dock."""
    controller = window.controller
    pins = RunPins()
    for chart, series in ((window.charts.loss, ("train_loss", "test_loss")),
                          (window.charts.accuracy, ("train_accuracy", "test_accuracy"))):
        for name in series:
            pins.attach(chart.plot, name)

    def pin_live_run():
        config = controller.config
        pins.pin(describe_difference(config, config), controller.history_arrays(), config)
        window.statusBar().showMessage(
            f"Pinned this run (step {controller.step_count}): its curves stay on the "
            f"charts, labelled by what differs from the live run.", 5000)

    menu = window.menus["train"]
    menu.addSeparator()
    pin_action = QAction("&Pin this run", window)
    pin_action.setShortcut(QKeySequence("Ctrl+P"))
    pin_action.triggered.connect(pin_live_run)
    clear_action = QAction("C&lear pinned runs", window)
    clear_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
    clear_action.triggered.connect(pins.clear)
    for action in (pin_action, clear_action):
        menu.addAction(action)
        window.addAction(action)
    controller.config_changed.connect(pins.relabel)
    panel = SweepPanel(controller)
    dock = window.add_dock("Compare", panel, Qt.RightDockWidgetArea)
    if "Charts" in window.docks:
        window.tabifyDockWidget(window.docks["Charts"], dock)
        window.docks["Charts"].raise_()

    def make_room():
        """A sweep shows its chart and a row per run: the dock gets most of its column."""
        dock.show()
        dock.raise_()
        output = window.docks.get("Output")
        if output is not None and not dock.isFloating() and not output.isFloating() \
                and window.dockWidgetArea(output) == window.dockWidgetArea(dock):
            total = output.height() + dock.height()
            window.resizeDocks([output, dock], [total * 2 // 5, total * 3 // 5], Qt.Vertical)

    panel.started.connect(make_room)
    window.pin_action, window.clear_pins_action = pin_action, clear_action
    return pins, panel


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    from ui.controller import TrainingController
    app = QApplication([])
    preview = SweepPanel(TrainingController())
    preview.resize(700, 700)
    preview.show()
    app.exec()
