"""Charts of a run: loss, accuracy, per-layer weight and gradient norms, weight histograms.

Curves are created once and updated in place with setData from the bounded history arrays the
controller sends (`show_history(name -> (steps, values))`); the histograms follow the snapshot's
weights. Hovering a chart shows a vertical line and the values at the nearest step.
"""
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QTabWidget, QVBoxLayout, QWidget

from ui import colors

PEN_WIDTH = 1.5
HISTOGRAM_BINS = 40
HISTOGRAM_S = 0.2          # histograms are recomputed at most 5 times a second
TRAIN_COLOR, TEST_COLOR = QColor(40, 40, 40), QColor(8, 119, 189)
BATCH_COLOR = QColor(215, 215, 215)      # the noisy mini-batch loss stays in the background
PENALTY_COLOR = QColor(200, 120, 40)
PENALTY_LABEL = "penalty (in train)"
MIN_STEP_SPAN = 10.0       # the step axis never shows less than steps 0 to 10
TOP_MARGIN_PX = 8          # room above the plot for half of the top tick's label


def prepare_axes(plot: pg.PlotItem):
    """Axes are drawn once into a pixmap and reused until their range changes; otherwise every
    change inside the plot repaints their text (the largest part of a frame's cost). They show
    plain numbers, and the plot keeps room above it for the top tick's label, which would
    otherwise be cut in half."""
    for name in ("left", "bottom", "right", "top"):
        plot.getAxis(name).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        plot.getAxis(name).enableAutoSIPrefix(False)    # a loss of 0.02 reads 0.02, not 20 (x0.001)
    plot.setContentsMargins(0, TOP_MARGIN_PX, 0, 0)


class Chart(QWidget):
    """One plot whose curves are named after history series; hover shows their values."""

    def __init__(self, y_label: str, parent=None):
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setLabel("bottom", "step")
        self.plot.enableAutoRange(x=False)
        self.plot.setLabel("left", y_label)
        prepare_axes(self.plot)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.data: dict[str, tuple[np.ndarray, np.ndarray]] = {}   # name -> (steps, values)
        self._step_span = MIN_STEP_SPAN     # right end of the step axis
        self.plot.setXRange(0, self._step_span, padding=0.02)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.plot_widget, 1)
        self._add_hover()

    def curve(self, name: str, label: str, color: QColor) -> pg.PlotDataItem:
        """The curve for a history series, created on first use."""
        if name not in self.curves:
            item = self.plot.plot(pen=pg.mkPen(color, width=PEN_WIDTH), name=label)
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            self.curves[name] = item
        return self.curves[name]

    def add_log_box(self, text: str) -> QCheckBox:
        """A check box above the plot that puts its y axis on a logarithmic scale."""
        box = QCheckBox(text)
        box.toggled.connect(lambda on: self.plot.setLogMode(y=on))
        self.layout_.insertWidget(0, box)
        return box

    def set_series(self, name: str, steps: np.ndarray, values: np.ndarray):
        self.data[name] = (steps, values)
        curve = self.curves[name]
        lone = len(steps) == 1          # a line needs two points: a lone one shows as a dot
        if lone != (curve.opts["symbol"] is not None):
            curve.setSymbol("o" if lone else None)
            curve.setSymbolSize(5)
            curve.setSymbolPen(curve.opts["pen"])
            curve.setSymbolBrush(curve.opts["pen"].color())
        curve.setData(steps, values)
        if len(steps):
            self._extend_steps(float(steps[-1]))

    def _extend_steps(self, last_step: float):
        """The step axis grows in jumps of 1.5x, not every frame: an unchanged axis is not
        redrawn, and redrawing axes is most of a chart's cost."""
        if last_step > self._step_span or last_step < self._step_span / 4:
            span = max(last_step * 1.5, MIN_STEP_SPAN)
            if span != self._step_span:
                self._step_span = span
                self.plot.setXRange(0, span, padding=0.02)

    def clear_series(self, name: str):
        self.data.pop(name, None)
        self.curves[name].setData([], [])

    def _add_hover(self):
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen(QColor(120, 120, 120), width=1))
        self.readout = pg.TextItem(color=QColor(20, 20, 20), anchor=(0, 0),
                                   fill=pg.mkBrush(255, 255, 255, 220))
        for item in (self.cursor, self.readout):
            item.setVisible(False)
            self.plot.addItem(item, ignoreBounds=True)
        self._proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._on_mouse_moved)

    def _on_mouse_moved(self, event):
        position = event[0]
        inside = self.plot.sceneBoundingRect().contains(position)
        if not inside or not self.data:
            self.cursor.setVisible(False)
            self.readout.setVisible(False)
            return
        point = self.plot.vb.mapSceneToView(position)
        self.show_values_at(point.x())
        top_left = self.plot.vb.viewRange()
        self.readout.setPos(top_left[0][0], top_left[1][1])

    def show_values_at(self, step: float) -> str:
        """Put the cursor at the stored point nearest `step`; returns the readout text."""
        lines, nearest = [], None
        for name, (steps, values) in self.data.items():
            if len(steps) == 0 or not self.curves[name].isVisible():
                continue
            k = int(np.clip(np.searchsorted(steps, step), 0, len(steps) - 1))
            if k > 0 and abs(steps[k - 1] - step) < abs(steps[k] - step):
                k -= 1
            nearest = steps[k] if nearest is None else nearest
            label = self.curves[name].name() or name
            lines.append(f"{label}: {values[k]:.4g}")
        if nearest is None:
            return ""
        text = f"step {int(nearest)}\n" + "\n".join(lines)
        self.cursor.setPos(nearest)
        self.readout.setText(text)
        self.cursor.setVisible(True)
        self.readout.setVisible(True)
        return text


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
        self.histogram = HistogramChart()
        # short titles so that the five tabs fit the dock's default width; tooltips say more
        for chart, title, tip in (
                (self.loss, "Loss", "Train, test and mini-batch loss against step"),
                (self.accuracy, "Accuracy", "Train and test accuracy against step"),
                (self.weight_norms, "Weight norms", "Weight norm of each layer against step"),
                (self.grad_norms, "Gradients",
                 "Gradient norm of each layer against step (vanishing or exploding gradients)"),
                (self.histogram, "Histogram", "Histogram of the current weights of each layer")):
            self.setTabToolTip(self.addTab(chart, title), tip)
        self.n_layers = 0
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
        if n_layers != self.n_layers:
            self._set_layer_count(n_layers)
        self._last_snapshot = snapshot
        now = time.perf_counter()
        if self.currentWidget() is self.histogram and now - self._last_histogram >= HISTOGRAM_S:
            self._draw_histogram()

    def _draw_histogram(self):
        self.histogram.show_weights(self._last_snapshot.weights)
        self._last_histogram = time.perf_counter()

    def _set_layer_count(self, n_layers: int):
        for chart in (self.weight_norms, self.grad_norms):
            for name in list(chart.curves):
                chart.plot.removeItem(chart.curves.pop(name))
                chart.data.pop(name, None)
            chart.legend.clear()
            chart.ensure_layers(n_layers)
        self.n_layers = n_layers

    def refresh_colors(self):
        """New palette: rebuild the per-layer curves' pens at the next snapshot."""
        self.n_layers = 0
        self.histogram.forget_curves()

