"""The charts of history series: loss (train, test, mini-batch and the penalty), accuracy, one
curve per layer of a per-layer series (weight norms, gradient norms), the layers' health (dead
and saturated shares) and the learning rate the schedule gave."""
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ui import colors
from ui.charts.chart import PEN_WIDTH, TEST_COLOR, TRAIN_COLOR, Chart

BATCH_COLOR = QColor(215, 215, 215)      # the noisy mini-batch loss stays in the background
PENALTY_COLOR = QColor(200, 120, 40)
PENALTY_LABEL = "penalty (in train)"


class LossChart(Chart):
    def __init__(self, parent=None):
        super().__init__("loss", parent)
        self.log_y = self.add_log_box("Logarithmic loss axis")
        self.curve("batch_loss", "mini-batch", BATCH_COLOR)
        self.curve("train_loss", "train", TRAIN_COLOR)
        self.curve("test_loss", "test", TEST_COLOR)
        # the train loss includes the regularization penalty, the test loss does not: with a
        # penalty its own curve shows how much of the gap between them it makes
        self.curve("penalty", PENALTY_LABEL, PENALTY_COLOR)
        self._list_penalty(False)

    def set_series(self, name: str, steps: np.ndarray, values: np.ndarray):
        if name == "penalty":
            self._list_penalty(bool(np.any(values)))
        super().set_series(name, steps, values)

    def _list_penalty(self, listed: bool):
        """The penalty curve and its legend entry show only while there is a penalty."""
        curve = self.curves["penalty"]
        if listed != curve.isVisible():
            curve.setVisible(listed)
            if listed:
                self.legend.addItem(curve, PENALTY_LABEL)
            else:
                self.legend.removeItem(curve)


class AccuracyChart(Chart):
    def __init__(self, parent=None):
        super().__init__("accuracy", parent)
        self.curve("train_accuracy", "train", TRAIN_COLOR)
        self.curve("test_accuracy", "test", TEST_COLOR)
        self.plot.setYRange(0, 1)


class LayerChart(Chart):
    """One curve per weight layer of a per-layer series ("weight_norm[l]", "grad_norm[l]")."""

    def __init__(self, series: str, y_label: str, parent=None):
        super().__init__(y_label, parent)
        self.series = series
        # norms of different layers can lie orders of magnitude apart (vanishing gradients)
        self.log_y = self.add_log_box("Logarithmic axis")

    def names(self, n_layers: int) -> list[str]:
        return [f"{self.series}[{l}]" for l in range(n_layers)]

    def ensure_layers(self, n_layers: int):
        layer_colors = colors.class_colors(max(n_layers, 3))
        for l, name in enumerate(self.names(n_layers)):
            self.curve(name, f"layer {l + 1}", layer_colors[l])


class HealthChart(Chart):
    """Each hidden layer's share of dead units (solid) and of saturated ones (dashed) over
    steps, measured on the training set (netsim/diagnostics.py says when a unit counts)."""

    def __init__(self, parent=None):
        super().__init__("share of the layer's units", parent)
        self.plot.setYRange(0, 1)
        self.legend.setColumnCount(2)

    def ensure_layers(self, activations: list):
        """A dead curve for each hidden layer whose units can die, a saturated one for each
        whose units can saturate; activations[k - 1] is layer k's registry entry."""
        layer_colors = colors.class_colors(max(len(activations), 3))
        for k, activation in enumerate(activations, start=1):
            colour = layer_colors[k - 1]
            if activation.can_die:
                self.curve(f"dead_share[{k}]", f"{k} dead", colour)
            if activation.steepest_slope is not None:
                saturated = self.curve(f"saturated_share[{k}]", f"{k} saturated", colour)
                saturated.setPen(pg.mkPen(colour, width=PEN_WIDTH, style=Qt.DashLine))


class RateChart(Chart):
    """The learning rate the schedule gave each epoch: recorded where it changes, drawn as
    steps."""

    def __init__(self, parent=None):
        super().__init__("learning rate", parent)
        self.log_y = self.add_log_box("Logarithmic axis")
        self.curve("learning_rate", "learning rate", TRAIN_COLOR)

    def set_series(self, name: str, steps: np.ndarray, values: np.ndarray):
        if len(steps) > 1:                   # each rate holds until the next change
            steps = np.repeat(steps, 2)[1:]
            values = np.repeat(values, 2)[:-1]
        super().set_series(name, steps, values)
