"""The charts as tabs: loss, accuracy, per-layer weight and gradient norms, the layers' health,
the learning rate, weight and activation histograms.

It takes the history arrays the controller sends (`show_history(name -> (steps, values))`) and
the snapshots (`show_snapshot`, for the histograms and the number of layers), and draws only the
chart on screen; the others catch up when their tab is chosen.
"""
import time

from PySide6.QtWidgets import QTabWidget

from netsim import ACTIVATIONS
from ui.charts.chart import Chart
from ui.charts.histogram_chart import HistogramChart
from ui.charts.history_charts import (AccuracyChart, HealthChart, LayerChart, LossChart,
                                     RateChart)

HISTOGRAM_S = 0.2          # histograms are recomputed at most 5 times a second


def _show_arrays(chart: Chart, arrays: dict):
    for name in chart.curves:
        if name in arrays:
            chart.set_series(name, *arrays[name])
        else:
            chart.clear_series(name)


class ChartsPanel(QTabWidget):
    """The charts as tabs; feed it history arrays and snapshots."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.loss = LossChart()
        self.accuracy = AccuracyChart()
        self.weight_norms = LayerChart("weight_norm", "‖W‖ per layer")
        self.grad_norms = LayerChart("grad_norm", "‖∂L/∂W‖ per layer")
        self.health = HealthChart()
        self.rate = RateChart()
        self.histogram = HistogramChart()
        # short titles so that the tabs fit the dock's default width; tooltips say more
        for chart, title, tip in (
                (self.loss, "Loss", "Train, test and mini-batch loss against step"),
                (self.accuracy, "Accuracy", "Train and test accuracy against step"),
                (self.weight_norms, "Weight norms", "Weight norm of each layer against step"),
                (self.grad_norms, "Gradients",
                 "Gradient norm of each layer against step (vanishing or exploding gradients)"),
                (self.health, "Layers",
                 "Share of each hidden layer's units dead (solid) or saturated (dashed), on the "
                 "training set"),
                (self.rate, "Rate", "The learning rate the schedule gave at each epoch"),
                (self.histogram, "Histogram",
                 "Histograms of the current weights of each layer and of each hidden layer's "
                 "activations")):
            self.setTabToolTip(self.addTab(chart, title), tip)
        self.n_layers = 0
        self._activations = ()           # per hidden layer: which health curves it has
        self._last_histogram = 0.0
        self._last_snapshot = None
        self._last_history = None         # the newest history arrays, for a tab chosen later
        self.currentChanged.connect(self._on_tab_changed)

    def _on_tab_changed(self, _index: int):
        if self._last_snapshot is not None and self.currentWidget() is self.histogram:
            self._draw_histogram()
        if self._last_history is not None:
            self.show_history(self._last_history)

    def show_history(self, arrays: dict):
        """arrays: history series name -> (steps, values), as TrainingController.history_ready.
        Only the chart on screen is updated now (drawing is what costs); the others catch up
        when their tab is chosen."""
        self._last_history = arrays
        chart = self.currentWidget()
        if isinstance(chart, Chart):
            _show_arrays(chart, arrays)

    def show_snapshot(self, snapshot):
        n_layers = len(snapshot.weights)
        activations = snapshot.config.per_layer("activation")
        if (n_layers, activations) != (self.n_layers, self._activations):
            self._set_layer_count(n_layers, activations)
        self._last_snapshot = snapshot
        now = time.perf_counter()
        if self.currentWidget() is self.histogram and now - self._last_histogram >= HISTOGRAM_S:
            self._draw_histogram()

    def _draw_histogram(self):
        self.histogram.show_weights(self._last_snapshot.weights)
        self.histogram.show_activations(self._last_snapshot.layer_health)
        self._last_histogram = time.perf_counter()

    def _set_layer_count(self, n_layers: int, activations: tuple):
        for chart, layers in ((self.weight_norms, n_layers), (self.grad_norms, n_layers),
                              (self.health, [ACTIVATIONS[name] for name in activations])):
            for name in list(chart.curves):
                chart.plot.removeItem(chart.curves.pop(name))
                chart.data.pop(name, None)
            chart.legend.clear()
            chart.ensure_layers(layers)
        self.n_layers, self._activations = n_layers, activations

    def refresh_colors(self):
        """New palette: rebuild the per-layer curves' pens at the next snapshot."""
        self.n_layers = 0
        self.histogram.forget_curves()
