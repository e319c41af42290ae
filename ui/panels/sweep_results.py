"""A netsim-sweep results file opened in the app (Compare panel ▸ Open sweep results…): its
table, one row per run, sorted by any column with a click on its header, and the curves of the
runs selected in it, when the sweep kept them (netsim-sweep --curves). netsim.grid.results
reads the file; this only shows it.
"""
import math

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout,
                               QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout,
                               QWidget)

from netsim.config import field_label
from netsim.grid.results import ResultsTable, read_results
from netsim.sweep import shown_value
from ui.charts.run_pins import run_colors
from ui.charts.runs_plot import SERIES, runs_plot, series_chooser

MEASURES = {"final_train_loss": "final train loss", "final_test_loss": "final test loss",
            "final_test_accuracy": "test accuracy", "best_test_loss": "best test loss",
            "steps_to_target": "steps to target", "diverged_at": "status"}
"""The results' columns shown after the settings, with their headers."""
MAX_CURVES = 12          # curves drawn at once: the first rows selected (more are a tangle)
CURVE_WIDTH = 1.5


class ResultsModel(QAbstractTableModel):
    """The rows of a results table: the settings, then MEASURES; sortable by any column."""

    def __init__(self, table: ResultsTable, parent=None):
        super().__init__(parent)
        self.table = table
        self.columns = (*table.settings, *MEASURES)
        self.rows = list(table.rows)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole or orientation != Qt.Horizontal:
            return None
        name = self.columns[section]
        return MEASURES.get(name) or field_label(name)

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole:
            return self.text(index.row(), self.columns[index.column()])
        if role == Qt.TextAlignmentRole and self.columns[index.column()] in MEASURES:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def text(self, k: int, column: str) -> str:
        row = self.rows[k]
        if column == "diverged_at":
            return "done" if row[column] is None else f"diverged at step {row[column]}"
        value = row[column]
        if value is None:
            return ""
        if column.endswith("accuracy"):
            return f"{100 * value:.1f} %"
        return f"{value:.4g}" if isinstance(value, float) and column in MEASURES \
            else shown_value(value)

    def sort(self, column: int, order=Qt.AscendingOrder):
        """Rows by the column's values; runs with no value last either way."""
        name = self.columns[column]
        self.layoutAboutToBeChanged.emit()
        present = [row for row in self.rows if row[name] is not None]
        missing = [row for row in self.rows if row[name] is None]
        present.sort(key=lambda row: _sort_key(row[name]), reverse=order == Qt.DescendingOrder)
        self.rows = present + missing
        self.layoutChanged.emit()


def _sort_key(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value if not math.isnan(value) else math.inf, "")
    return (1, 0.0, shown_value(value))


class SweepResultsView(QWidget):
    """A results table and the curves of its selected runs."""

    def __init__(self, table: ResultsTable, parent=None):
        super().__init__(parent)
        self.table = table
        self.curves = table.curves()                # run key -> {series: (steps, values)}
        self.model = ResultsModel(table, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.view.verticalHeader().setVisible(False)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._draw_curves())
        self.shown_series = series_chooser(self._draw_curves)
        self.plot_widget, self.plot = runs_plot()
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self._lay_out()
        self._draw_curves()

    def _lay_out(self):
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.shown_series)
        top.addWidget(self.note, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.plot_widget)
        split.addWidget(self.view)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def selected_rows(self) -> list[dict]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.rows[k] for k in rows]

    def _draw_curves(self):
        self.plot.clear()
        self.legend.clear()
        metric = self.shown_series.currentData()
        self.plot.setLabel("left", SERIES[metric].lower())
        chosen = self.selected_rows()[:MAX_CURVES]
        runs = len(self.model.rows)
        if not self.curves:
            self.note.setText(f"{runs} runs. No curves: this sweep ran without --curves, so "
                              f"only its table is shown.")
            return
        if not chosen:
            self.note.setText(f"{runs} runs. Select rows to draw their curves (up to "
                              f"{MAX_CURVES}).")
            return
        for color, row in zip(run_colors(len(chosen)), chosen):
            steps, values = self.curves.get(row["run_key"], {}).get(metric, ((), ()))
            self.plot.plot(steps, values, pen=pg.mkPen(color, width=CURVE_WIDTH),
                           name=self.table.label(row))
        self.note.setText(f"{runs} runs; curves of {len(chosen)} selected.")


def open_results_window(path, parent=None) -> SweepResultsView:
    """A window showing the sweep results file at `path` (a .csv or .parquet written by
    netsim-sweep). NetsimError, with the reason, if it is not one."""
    QApplication.setOverrideCursor(Qt.WaitCursor)     # thousands of runs' curves take a second
    try:
        table = read_results(path)
        view = SweepResultsView(table, parent)
    finally:
        QApplication.restoreOverrideCursor()
    view.setWindowFlag(Qt.Window)
    view.setWindowTitle(f"Sweep results: {table.path.name} ({len(table.rows)} runs)")
    view.resize(900, 700)
    view.show()
    return view
