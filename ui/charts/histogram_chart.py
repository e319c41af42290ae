"""Histograms of the current weights (one outline per weight layer) and of each hidden
layer's activations over the training set, drawn from the snapshot rather than the history."""
import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui import colors
from ui.charts.chart import PEN_WIDTH, prepare_axes

HISTOGRAM_BINS = 40


class Distributions:
    """One plot of outlines, one per layer, of values binned over a range symmetric about 0
    (or from 0, for values that are never negative)."""

    def __init__(self, x_label: str, layer_name):
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setLabel("bottom", x_label)
        self.plot.setLabel("left", "count")
        prepare_axes(self.plot)
        self.plot.addLegend(offset=(-10, 10))
        self.layer_name = layer_name         # curve k's legend text
        self.curves: list[pg.PlotDataItem] = []

    def show(self, values: list):
        """values[k]: the values of layer k (any shape)."""
        self._ensure_curves(len(values))
        largest = max((float(np.abs(v).max()) for v in values if v.size), default=1.0) or 1.0
        low = 0.0 if all(v.size == 0 or v.min() >= 0 for v in values) else -largest
        edges = np.linspace(low, largest, HISTOGRAM_BINS + 1)
        for curve, v in zip(self.curves, values):
            counts, _ = np.histogram(v, bins=edges)
            curve.setData(edges, counts)

    def forget_curves(self):
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []

    def _ensure_curves(self, n_layers: int):
        if len(self.curves) == n_layers:
            return
        self.forget_curves()
        layer_colors = colors.class_colors(max(n_layers, 3))
        self.curves = [self.plot.plot(stepMode="center", name=self.layer_name(k),
                                      pen=pg.mkPen(layer_colors[k], width=PEN_WIDTH))
                       for k in range(n_layers)]


class HistogramChart(QWidget):
    """The weights of each weight layer, and below them the activations of each hidden layer
    over the training set (where saturation and dead units show as piles at the ends)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.weights = Distributions("weight", lambda l: f"weights {l + 1}")
        self.activations = Distributions("activation (training set)",
                                         lambda k: f"layer {k + 1}")
        self.plot = self.weights.plot
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.weights.plot_widget, 1)
        layout.addWidget(self.activations.plot_widget, 1)

    @property
    def curves(self) -> list:
        return self.weights.curves

    def show_weights(self, weights: list):
        """weights[l]: (n_in, n_out) of weight layer l."""
        self.weights.show(weights)

    def show_activations(self, layer_health: list):
        """Each hidden layer's sample of activations (diagnostics.LayerHealth)."""
        self.activations.plot_widget.setVisible(bool(layer_health))
        if layer_health:
            self.activations.show([h.sample for h in layer_health])

    def forget_curves(self):
        """Drop the outlines (they are made again, in the current palette, when next drawn)."""
        self.weights.forget_curves()
        self.activations.forget_curves()
