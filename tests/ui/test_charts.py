"""Charts: curves updated in place from history arrays, hover readout, per-layer curves."""
import numpy as np

from netsim import Config, Trainer
from netsim.snapshot import take_snapshot
from ui.charts.charts_panel import ChartsPanel
from ui.controller import TrainingController


def test_history_updates_existing_curves_in_place(qtbot):
    charts = ChartsPanel()
    qtbot.addWidget(charts)
    controller = TrainingController(Config())
    controller.epoch()
    charts.show_snapshot(take_snapshot(controller.trainer, 0))
    curve = charts.loss.curves["train_loss"]
    charts.show_history(controller.history_arrays())
    controller.epoch()
    charts.show_history(controller.history_arrays())
    assert charts.loss.curves["train_loss"] is curve
    assert len(curve.getData()[0]) == 3
    assert set(charts.weight_norms.curves) == {"weight_norm[0]", "weight_norm[1]",
                                               "weight_norm[2]"}


def test_hover_readout_shows_step_and_values(qtbot):
    charts = ChartsPanel()
    qtbot.addWidget(charts)
    charts.show_history({"train_loss": (np.array([0.0, 25.0, 50.0]), np.array([0.7, 0.5, 0.4])),
                         "test_loss": (np.array([0.0, 25.0, 50.0]), np.array([0.8, 0.6, 0.5]))})
    text = charts.loss.show_values_at(27.0)
    assert text.splitlines()[0] == "step 25"
    assert "train: 0.5" in text and "test: 0.6" in text


def test_histogram_counts_every_weight(qtbot):
    charts = ChartsPanel()
    qtbot.addWidget(charts)
    trainer = Trainer(Config(layers=(8, 8)))
    charts.setCurrentWidget(charts.histogram)
    charts.show_snapshot(take_snapshot(trainer, 0))
    counts = [curve.getData()[1].sum() for curve in charts.histogram.curves]
    assert counts == [w.size for w in trainer.network.weights]


def test_before_training_the_first_measurements_show_as_dots_on_a_ten_step_axis(qtbot):
    charts = ChartsPanel()
    qtbot.addWidget(charts)
    controller = TrainingController(Config())
    charts.show_history(controller.history_arrays())
    curve = charts.loss.curves["train_loss"]
    assert len(curve.getData()[0]) == 1 and curve.opts["symbol"] == "o"
    low, high = charts.loss.plot.viewRange()[0]
    assert low <= 0 and 10 <= high < 11
    controller.epoch()
    charts.show_history(controller.history_arrays())
    assert len(curve.getData()[0]) == 2 and curve.opts["symbol"] is None


def test_the_loss_chart_shows_the_penalty_only_when_there_is_one(qtbot):
    charts = ChartsPanel()
    qtbot.addWidget(charts)
    for regularization, listed in (("none", False), ("l1", True)):
        controller = TrainingController(Config(regularization=regularization, reg_rate=0.01))
        controller.epoch()
        charts.show_history(controller.history_arrays())
        labels = [label.text for _, label in charts.loss.legend.items]
        assert ("penalty (in train)" in labels) == listed
        readout = charts.loss.show_values_at(10.0)
        assert ("penalty" in readout) == listed
        if listed:
            steps, values = charts.loss.curves["penalty"].getData()
            assert len(steps) and values[-1] > 0
