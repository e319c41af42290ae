"""The histogram of the current weights, drawn from the snapshot rather than the history."""
import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui import colors
from ui.charts.chart import PEN_WIDTH, prepare_axes

HISTOGRAM_BINS = 40


class HistogramChart(QWidget):
    """Distribution of the current weights, one outline per weight layer."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setLabel("bottom", "weight")
        self.plot.setLabel("left", "count")
        prepare_axes(self.plot)
        self.plot.addLegend(offset=(-10, 10))
        self.curves: list[pg.PlotDataItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

    def show_weights(self, weights: list):
        """weights[l]: (n_in, n_out) of weight layer l."""
        self._ensure_curves(len(weights))
        largest = max((float(np.abs(w).max()) for w in weights if w.size), default=1.0) or 1.0
        edges = np.linspace(-largest, largest, HISTOGRAM_BINS + 1)
        for curve, w in zip(self.curves, weights):
            counts, _ = np.histogram(w, bins=edges)
            curve.setData(edges, counts)

    def forget_curves(self):
        """Drop the outlines (they are made again, in the current palette, when next drawn)."""
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []

    def _ensure_curves(self, n_layers: int):
        if len(self.curves) == n_layers:
            return
        self.forget_curves()
        layer_colors = colors.class_colors(max(n_layers, 3))
        self.curves = [self.plot.plot(stepMode="center", name=f"layer {l + 1}",
                                      pen=pg.mkPen(layer_colors[l], width=PEN_WIDTH))
                       for l in range(n_layers)]
