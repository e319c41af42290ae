"""What the window shows of dropout, per-layer activations, schedules and the layers' health:
headers, dimmed dropped units, the Layers and Rate charts, the schedule's settings."""
import numpy as np
from PySide6.QtCore import Qt

from netsim import Config, Trainer
from netsim.snapshot import take_snapshot
from ui.charts.charts_panel import ChartsPanel
from ui.network.items import TextButton
from ui.panels.network import PER_LAYER, NetworkPanel
from ui.panels.training import TrainingPanel

from network_view_helpers import make_view

MIXED = Config(dataset="circle", layers=(6, 4), activation=("relu", "tanh"), dropout=(0.5, 0.0))


def headers(view):
    return sorted((item.text for item in view.scene().items() if isinstance(item, TextButton)))


def test_each_hidden_layer_header_names_its_activation_and_dropout(qtbot):
    view = make_view(qtbot, Trainer(MIXED))
    assert headers(view) == ["ReLU · drop 50%", "Tanh"]


def test_choosing_from_a_header_asks_for_that_layer_or_every_layer(qtbot):
    view = make_view(qtbot, Trainer(MIXED))
    with qtbot.waitSignal(view.activation_chosen) as one:
        view.choose_layer_activation(1, "sigmoid")
    assert one.args == [("relu", "sigmoid")]
    with qtbot.waitSignal(view.activation_chosen) as every:
        view.choose_layer_activation(0, "elu", every=True)
    assert every.args == ["elu"]
    with qtbot.waitSignal(view.activation_chosen) as same:
        view.choose_layer_activation(0, "tanh")        # both layers agree: one name again
    assert same.args == ["tanh"]


def test_after_a_step_the_dropped_units_are_dimmed_and_their_edges_dashed(qtbot):
    trainer = Trainer(MIXED)
    trainer.step(1)
    view = make_view(qtbot, trainer)
    dropped = trainer.last_trace.dropout_masks[0][0] == 0            # the first example's
    dimmed = [n.dimmed for n in view.diagram.neurons[1]]
    assert dimmed == [1.0 if d else 0.0 for d in dropped] and dropped.any()
    edges = view.diagram.edge_layer
    k = int(np.flatnonzero(dropped)[0])
    into, kept_into = view.diagram.flat_edge(0, 0, k), view.diagram.flat_edge(0, 0, int(
        np.flatnonzero(~dropped)[0]))
    assert edges.pen_of(into).style() == Qt.CustomDashLine
    assert edges.pen_of(kept_into).style() != Qt.CustomDashLine or \
        abs(trainer.network.weights[0][0, int(np.flatnonzero(~dropped)[0])]) < 0.01
    view.show_running(True)                           # while it trains: no marks
    assert all(n.dimmed == 0 for n in view.diagram.neurons[1])
    view.show_running(False)
    view.set_dropout_share(True)                      # the batch's share instead
    shares = 1 - trainer.last_trace.dropout_masks[0].mean(axis=0)
    assert [n.dimmed for n in view.diagram.neurons[1]] == list(shares)


def test_the_verdicts_of_sick_layers_show_over_the_diagram(qtbot):
    trainer = Trainer(Config(dataset="circle", layers=(8,) * 8, activation="sigmoid"))
    trainer.step(300)
    view = make_view(qtbot, trainer)
    assert view.verdicts.isVisible() and "stopped learning" in view.verdicts.text()
    healthy = Trainer(Config())
    view.show_snapshot(take_snapshot(healthy, 8))
    assert not view.verdicts.isVisible()


def test_the_network_panel_says_per_layer_and_sets_every_layer(qtbot):
    panel = NetworkPanel()
    qtbot.addWidget(panel)
    panel.show_config(MIXED)
    assert panel.activation.currentText() == PER_LAYER
    assert panel.dropout.prefix() == "up to " and panel.dropout.value() == 0.5
    with qtbot.waitSignal(panel.changes_requested) as asked:
        panel.activation.setCurrentIndex(panel.activation.findData("relu"))
    assert asked.args == [{"activation": "relu"}]
    panel.show_config(MIXED.replace(activation="relu", dropout=0.1))
    assert panel.activation.findData(None) < 0 and panel.dropout.prefix() == ""


def test_the_schedule_shows_the_settings_it_reads(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show()
    box = panel.schedule
    panel.show_config(Config(schedule="cosine", T_max=20))
    shown = {name for name, spin in box.boxes.items() if spin.isVisibleTo(panel)}
    assert shown == {"T_max", "eta_min", "total_iters"} and box.boxes["T_max"].value() == 20
    panel.show_config(Config(schedule="step", total_iters=3))
    shown = {name for name, spin in box.boxes.items() if spin.isVisibleTo(panel)}
    assert shown == {"step_size", "gamma", "total_iters", "start_factor"}
    with qtbot.waitSignal(panel.changes_requested) as asked:
        box.boxes["gamma"].setValue(0.5)
    assert asked.args == [{"gamma": 0.5}]


def test_the_layers_and_rate_charts_draw_the_runs_series(qtbot):
    trainer = Trainer(Config(dataset="circle", layers=(8, 8), activation="relu",
                             schedule="step", step_size=2, gamma=0.5, learning_rate=0.1))
    trainer.step(200)
    charts = ChartsPanel()
    qtbot.addWidget(charts)
    charts.show_snapshot(take_snapshot(trainer, 0))
    arrays = {name: s.data() for name, s in trainer.history.series.items()}
    for chart in (charts.health, charts.rate):
        charts.setCurrentWidget(chart)
        charts.show_history(arrays)
    assert set(charts.health.data) == {"dead_share[1]", "dead_share[2]"}
    steps, rates = charts.rate.data["learning_rate"]
    assert rates[0] == 0.1 and rates.min() < 0.01                # halved every two epochs
    assert np.all(np.diff(steps) >= 0)
    charts.setCurrentWidget(charts.histogram)
    assert len(charts.histogram.activations.curves) == 2
