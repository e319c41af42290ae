"""Pinned runs on the charts and sweeps in the Compare panel."""
import csv

import numpy as np
import pyqtgraph as pg
import pytest

from netsim import Config
from netsim.sweep import run_sweep
from ui.charts.run_pins import PIN_Z, RunPins, describe_difference
from ui.panels.sweep_panel import SweepPanel, install_compare

SMALL = Config(dataset="circle", n_samples=60, layers=(3,))


def arrays(offset=0.0):
    steps = np.arange(5.0)
    return {"train_loss": (steps, 1.0 - 0.1 * steps + offset),
            "test_loss": (steps, 1.1 - 0.1 * steps + offset)}


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    item = widget.getPlotItem()
    item.addLegend()
    yield item                  # the widget stays referenced until the test ends


def pinned_items(plot_item):
    return [i for i in plot_item.listDataItems() if i.zValue() == PIN_Z]


def test_a_pin_draws_each_attached_series_faded_beneath_the_live_curves(plot):
    live = plot.plot([0, 1], [1, 0])
    pins = RunPins()
    pins.attach(plot, "train_loss")
    pins.attach(plot, "test_loss")
    pins.pin("lr 0.3", arrays())
    items = pinned_items(plot)
    assert len(items) == 2
    np.testing.assert_array_equal(items[1].getData()[1], arrays()["test_loss"][1])
    assert all(i.zValue() < live.zValue() for i in items)
    assert all(i.opts["pen"].color().alpha() < 255 for i in items)
    assert items[0].name() == "pin 1: lr 0.3 (train)"


def test_several_pins_get_different_colours_and_clear_removes_them_all(plot):
    pins = RunPins()
    pins.attach(plot, "test_loss")
    pins.pin("a", arrays())
    pins.pin("b", arrays(0.5))
    colours = {i.opts["pen"].color().name() for i in pinned_items(plot)}
    assert len(colours) == 2
    pins.clear()
    assert pinned_items(plot) == [] and pins.pins == []


def test_a_plot_attached_later_shows_the_existing_pins(plot):
    pins = RunPins()
    pins.pin("a", arrays())
    pins.attach(plot, "train_loss")
    assert len(pinned_items(plot)) == 1


def test_pinned_arrays_are_copies(plot):
    data = arrays()
    pins = RunPins()
    pins.attach(plot, "train_loss")
    pins.pin("a", data)
    data["train_loss"][1][:] = 99
    assert pinned_items(plot)[0].getData()[1].max() < 2


def test_pins_are_relabelled_by_what_differs_from_the_live_run(plot):
    pins = RunPins()
    pins.attach(plot, "train_loss")
    pinned_config = Config(learning_rate=0.3)
    pins.pin("same settings", arrays(), pinned_config)
    pins.relabel(Config(learning_rate=0.01))
    assert pins.pins[0].label == "lr 0.3"
    assert pinned_items(plot)[0].name() == "pin 1: lr 0.3 (train)"
    assert plot.legend.getLabel(pinned_items(plot)[0]).text == "pin 1: lr 0.3 (train)"


def test_describe_difference_lists_every_differing_setting():
    pinned = Config(learning_rate=0.3, init="zeros", layers=(8,))
    assert describe_difference(pinned, Config()) == "layers [8], init zeros, lr 0.3"
    assert describe_difference(Config(), Config()) == "same settings"


def test_pin_action_pins_the_live_run_on_loss_and_accuracy_charts(window):
    pins, _ = install_compare(window)
    window.controller.trainer.run_epoch()
    window.pin_action.trigger()
    assert len(pins.pins) == 1
    assert len(pinned_items(window.charts.loss.plot)) == 2
    assert len(pinned_items(window.charts.accuracy.plot)) == 2
    window.controller.update_config(learning_rate=0.1)
    assert pins.pins[0].label == "lr 0.03"
    window.clear_pins_action.trigger()
    assert pinned_items(window.charts.loss.plot) == []


# ---- sweeps -----------------------------------------------------------------------------------

@pytest.fixture
def sweep_panel(make_window, qtbot):
    window = make_window(SMALL)
    _, panel = install_compare(window)
    return panel


def run_to_end(panel, qtbot):
    qtbot.waitUntil(lambda: panel.result is not None, timeout=30000)


def test_sweep_panel_trains_the_values_on_the_live_data_and_fills_the_table(sweep_panel, qtbot):
    panel = sweep_panel
    panel.set_sweep("learning_rate", [0.01, 0.3], epochs=3)
    assert panel.start()
    assert panel.is_running                     # trains from the timer, not in start()
    run_to_end(panel, qtbot)
    assert panel.sweep.dataset is panel.controller.trainer.dataset
    expected = run_sweep(SMALL, "learning_rate", [0.01, 0.3], epochs=3, target_loss=0.1).rows
    assert panel.result.rows == expected
    assert panel.table.rowCount() == 2
    assert panel.table.item(1, 0).text() == "lr 0.3"
    assert panel.table.item(0, 2).text() == f"{expected[0]['final_test_loss']:.4g}"
    assert [len(c.getData()[0]) for c in panel._curves] == [4, 4]


def test_sweep_curves_switch_to_the_chosen_metric(sweep_panel, qtbot):
    panel = sweep_panel
    panel.set_sweep("seed", [0, 1], epochs=2)
    panel.start()
    run_to_end(panel, qtbot)
    panel.shown_series.setCurrentIndex(panel.shown_series.findData("test_accuracy"))
    np.testing.assert_array_equal(panel._curves[1].getData()[1],
                                  panel.sweep.history(1)["test_accuracy"][1])


def test_the_table_names_each_curve_in_its_colour_and_a_selected_row_bolds_it(sweep_panel,
                                                                            qtbot):
    panel = sweep_panel
    panel.set_sweep("seed", [0, 1, 2], epochs=1)
    panel.start()
    run_to_end(panel, qtbot)
    for k, curve in enumerate(panel._curves):
        assert panel.table.item(k, 0).foreground().color() == curve.opts["pen"].color()
    panel.table.selectRow(1)
    widths = [curve.opts["pen"].widthF() for curve in panel._curves]
    assert widths[1] > widths[0] == widths[2]


def test_a_sweep_gives_the_compare_dock_most_of_its_column(make_window, qtbot):
    window = make_window(SMALL)
    _, panel = install_compare(window)
    window.show()
    qtbot.waitExposed(window)
    dock, output = window.docks["Compare"], window.docks["Output"]
    panel.set_sweep("seed", [0, 1], epochs=1)
    panel.start()
    qtbot.waitUntil(lambda: dock.height() > output.height())
    assert dock.isVisible()


def test_a_diverged_run_is_marked_and_left_out_of_the_axis_range(make_window, qtbot):
    window = make_window(Config(dataset="plane", n_samples=120, layers=(4,)))
    _, panel = install_compare(window)
    panel.set_sweep("learning_rate", [0.03, 1.0], epochs=10)
    panel.start()
    run_to_end(panel, qtbot)
    assert panel.table.item(1, 6).text().startswith("diverged at step")
    assert panel._curves[1].name() == "lr 1 (diverged)"
    assert panel.sweep.history(1)["test_loss"][1].max() > 1e6   # its losses exploded ...
    assert panel.plot.vb.viewRange()[1][1] < 10            # ... yet the axis fits the others


def test_bad_sweep_values_are_refused_with_the_reason(sweep_panel):
    panel = sweep_panel
    panel.set_sweep("learning_rate", [0.1])
    panel.values.setText("0.1, fast")
    assert not panel.start()
    assert not panel.is_running
    assert "learning_rate must be a number; got 'fast'" in panel.message.text()


def test_stop_halts_the_sweep_and_keeps_what_was_trained(sweep_panel, qtbot):
    panel = sweep_panel
    panel.set_sweep("seed", [0, 1, 2], epochs=100_000)
    panel.start()
    qtbot.waitUntil(lambda: panel.sweep.steps_done > 0, timeout=10000)
    panel.run_button.click()
    done = panel.sweep.steps_done
    qtbot.wait(50)
    assert not panel.is_running and panel.sweep.steps_done == done
    assert panel.run_button.text() == "Run sweep"


def test_export_writes_the_summary_table(sweep_panel, qtbot, tmp_path):
    panel = sweep_panel
    panel.set_sweep("seed", [0, 1], epochs=2)
    panel.start()
    run_to_end(panel, qtbot)
    assert panel.export_button.isEnabled()
    path = tmp_path / "sweep.csv"
    panel.export_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["seed"] for r in rows] == ["0", "1"]


def test_changing_the_setting_offers_typical_values(sweep_panel):
    panel = sweep_panel
    panel.field.setCurrentIndex(panel.field.findData("optimizer"))
    assert panel.values.text() == "sgd, momentum, adam"


def test_compare_dock_is_added_to_the_window(make_window):
    window = make_window()
    _, panel = install_compare(window)
    assert window.docks["Compare"].widget() is panel
    assert isinstance(panel, SweepPanel)


def test_the_comparison_chart_shows_plain_numbers_without_an_si_scale(window):
    _pins, sweep_panel = install_compare(window)
    axis = sweep_panel.plot.getAxis("left")
    axis.setRange(0.0, 0.003)
    assert axis.autoSIPrefix is False and axis.labelString().count("x0.001") == 0
