"""A chart of a run's history: a plot whose curves are named after history series, updated in
place with setData from the bounded arrays the controller sends, and a readout of the values at
the step under the mouse (a vertical line and a box). Also `prepare_axes`, which every plot of
the app uses so that its axes are not redrawn with every curve.
"""
import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QVBoxLayout, QWidget

PEN_WIDTH = 1.5
TRAIN_COLOR, TEST_COLOR = QColor(40, 40, 40), QColor(8, 119, 189)
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
