"""A netsim-sweep results file opened from the Compare panel: its table, sortable, and the
curves of the runs selected in it."""
import json

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QWidget

from netsim.grid.cli import main as netsim_sweep
from netsim.grid.results import read_results
from ui.controller import TrainingController
from ui.panels.sweep_panel import SweepPanel
from ui.panels.sweep_results import MEASURES, ResultsModel, SweepResultsView


@pytest.fixture(scope="module")
def results_file(tmp_path_factory):
    """A small sweep's results.csv, with its curves beside it."""
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "grid.json").write_text(json.dumps({
        "config": {"dataset": "circle", "n_samples": 60, "layers": [3]},
        "grid": {"learning_rate": [0.03, 0.3], "activation": ["tanh", "relu"]},
        "seeds": 2, "epochs": 3}))
    assert netsim_sweep([str(folder / "grid.json"), "--out", str(folder / "results.csv"),
                         "--curves", "--quiet"]) == 0
    return folder / "results.csv"


@pytest.fixture
def view(qtbot, results_file):
    widget = SweepResultsView(read_results(results_file))
    qtbot.addWidget(widget)
    return widget


def select(view, rows):
    model = view.view.selectionModel()
    for k in rows:
        model.select(view.model.index(k, 0),
                     QItemSelectionModel.Select | QItemSelectionModel.Rows)


def test_the_table_has_a_row_per_run_and_the_settings_then_the_measures(view):
    model = view.model
    assert model.rowCount() == 8
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Learning rate", "Activation", "Seed (random start)", *MEASURES.values()]
    assert model.data(model.index(0, 1)) == "tanh"
    assert model.data(model.index(0, headers.index("status"))) == "done"


def test_a_click_on_a_header_sorts_the_runs_by_it(view):
    column = view.model.columns.index("final_test_loss")
    view.view.sortByColumn(column, Qt.AscendingOrder)
    losses = [row["final_test_loss"] for row in view.model.rows]
    assert losses == sorted(losses)
    view.view.sortByColumn(column, Qt.DescendingOrder)
    assert [row["final_test_loss"] for row in view.model.rows] == sorted(losses, reverse=True)


def test_selected_runs_show_their_curves_from_the_file(view):
    select(view, [0, 3])
    items = view.plot.listDataItems()
    assert len(items) == 2
    first = view.model.rows[0]
    steps, values = view.curves[first["run_key"]]["test_loss"]
    np.testing.assert_array_equal(items[0].getData()[1], values)
    assert items[0].name() == view.table.label(first)
    view.shown_series.setCurrentIndex(view.shown_series.findData("train_accuracy"))
    assert len(view.plot.listDataItems()) == 2
    assert "curves of 2 selected" in view.note.text()


def test_results_without_curves_say_how_to_get_them(qtbot, results_file, tmp_path):
    alone = tmp_path / "alone.csv"
    alone.write_bytes(results_file.read_bytes())
    widget = SweepResultsView(read_results(alone))
    qtbot.addWidget(widget)
    select(widget, [0])
    assert widget.plot.listDataItems() == [] and "--curves" in widget.note.text()


def test_the_compare_panel_opens_a_results_window_or_says_why_not(qtbot, results_file,
                                                                  tmp_path):
    panel = SweepPanel(TrainingController())
    qtbot.addWidget(panel)
    window = panel.open_results(results_file)
    assert window.isWindow() and window.isVisible() and window.model.rowCount() == 8
    assert "results.csv (8 runs)" in window.windowTitle()
    window.close()
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    assert panel.open_results(tmp_path / "other.csv") is None
    assert "not a netsim-sweep results file" in panel.message.text()


def test_runs_without_a_value_sort_last_either_way(view):
    model = ResultsModel(view.table)
    model.rows[0] = {**model.rows[0], "final_test_accuracy": None}
    column = model.columns.index("final_test_accuracy")
    for order in (Qt.AscendingOrder, Qt.DescendingOrder):
        model.sort(column, order)
        assert model.rows[-1]["final_test_accuracy"] is None


def test_no_attribute_of_the_compare_widgets_hides_a_qt_method(qtbot, view):
    """Qt calls virtual methods such as QWidget.metric while painting; an attribute of that
    name (a combo box called `metric`) made every grab print an error and paint with defaults."""
    panel = SweepPanel(TrainingController())
    qtbot.addWidget(panel)
    for widget in (panel, view):
        hidden = [name for name in vars(widget) if callable(getattr(QWidget, name, None))
                  and not isinstance(getattr(QWidget, name), Signal)]
        assert hidden == [], f"{type(widget).__name__} hides QWidget methods: {hidden}"
