"""The output view: what the network predicts over the input plane, with the data on top.

2-D data: one heatmap image (fixed colours: orange = class 0 / negative, blue = class 1 /
positive; multi-class: the predicted class's colour, intensity = confidence) under the points.
1-D data (the wave): the data as points and the fitted curve. Data with more raw columns (iris,
wine, digits, CSV) show a slice over two chosen columns, the others held at their training mean
(the engine's plane_grid), with the points projected onto it.

While a neuron of the network view is hovered, its own map is shown instead of the output.
The view only draws snapshots and data sets it is given.
"""
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, QRectF, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGraphicsItem, QHBoxLayout, QLabel,
                               QSizePolicy, QVBoxLayout, QWidget)

from netsim.datasets import DATASETS
from ui import colors
from ui.charts.chart import prepare_axes
from ui.figures import loss_figure, penalty_note
from ui.output.plane_colors import (binary_image, multiclass_image, scaled_image, symmetric_scale,
                             upsampled)
from ui.throttle import Throttle

POINT_SIZE = 7
LEGEND_ROWS = 6            # classes listed per column of the class legend
CURVE_WIDTH = 2.5


class OutputView(QWidget):
    axes_chosen = Signal(tuple)        # the user picked two raw columns (x, y) for the plane

    def __init__(self, parent=None):
        super().__init__(parent)
        self.dataset = None
        self.snapshot = None
        self.hovered: tuple[int, int] | None = None   # (layer, neuron) shown instead of the output
        self._image_rect = None
        self._build_controls()
        self._build_plot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(self._controls)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_holder, 1)

    def _build_controls(self):
        self.x_axis, self.y_axis = QComboBox(), QComboBox()
        for combo in (self.x_axis, self.y_axis):
            combo.setToolTip("Raw column on this axis; the others are held at their training mean")
            combo.currentIndexChanged.connect(self._on_axis_picked)
        self.axis_label = QLabel("Plane (x, y):")
        self.show_test = QCheckBox("Show test data")
        self.show_test.setToolTip("Test points are drawn with a dark outline")
        self.show_test.toggled.connect(lambda _checked: self._draw_points())
        self.discretize = QCheckBox("Discretize output")
        self.discretize.setToolTip("Colour each point of the plane by its predicted class only")
        self.discretize.toggled.connect(self._redraw)
        self._controls = QVBoxLayout()
        axes_row, toggles_row = QHBoxLayout(), QHBoxLayout()
        for w in (self.axis_label, self.x_axis, self.y_axis):
            axes_row.addWidget(w, 0 if w is self.axis_label else 1)
        for w in (self.show_test, self.discretize):
            toggles_row.addWidget(w)
        toggles_row.addStretch(1)
        self._controls.addLayout(axes_row)
        self._controls.addLayout(toggles_row)
        self.title = QLabel("Output")
        self._points_axes = None      # the data columns the points are drawn over
        self._running = False
        self._title_text = Throttle(self, self.title.setText)   # the figures in the title
        self.title.setStyleSheet("font-weight: bold")
        # new text every frame must not re-lay out the dock (that would repaint the plot too)
        self.title.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)

    def _build_plot(self):
        self.plot_holder = SquareHolder()
        self.plot_widget = pg.PlotWidget(self.plot_holder, background="w")
        self.plot_holder.plot_widget = self.plot_widget
        self.plot_widget.setRenderHint(QPainter.SmoothPixmapTransform, True)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        prepare_axes(self.plot)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.curve = pg.PlotDataItem(pen=pg.mkPen(QColor(40, 40, 40), width=CURVE_WIDTH))
        self.train_points = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        self.test_points = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True)
        for points in (self.train_points, self.test_points):
            # the points stay put while the heatmap under them changes every frame: keep their
            # picture instead of drawing hundreds of symbols again
            points.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        for item in (self.image, self.curve, self.train_points, self.test_points):
            self.plot.addItem(item)
        # which colour is which class: added after the plot's items, so it names none of them
        self.class_legend = self.plot.addLegend(offset=(-4, 4), labelTextSize="8pt",
                                                brush=pg.mkBrush(255, 255, 255, 170),
                                                pen=pg.mkPen(200, 200, 200), verSpacing=-6)

    # ---- inputs ---------------------------------------------------------------------------

    def set_dataset(self, dataset, axes=None):
        """New data: the points, the axis choices and the kind of plot."""
        self.dataset = dataset
        self._fill_axis_choices(dataset, axes or dataset.plane_axes)
        one_d = dataset.raw_dim == 1
        self.image.setVisible(not one_d)
        self.curve.setVisible(one_d)
        info = DATASETS.get(dataset.name)
        # the synthetic plane is square in the same units; real columns have their own scales
        square = not one_d and info is not None and info.kind == "synthetic"
        self.plot.setAspectLocked(square, ratio=1)
        self.plot_holder.set_square(square)
        self._draw_points(tuple(axes or dataset.plane_axes))   # not the old snapshot's axes

    def _fill_axis_choices(self, dataset, axes):
        many = dataset.raw_dim > 2
        for widget in (self.axis_label, self.x_axis, self.y_axis):
            widget.setVisible(many)
        for combo, column in ((self.x_axis, axes[0]), (self.y_axis, axes[1])):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(dataset.raw_names))
            combo.setCurrentIndex(column if dataset.raw_dim > 1 else 0)
            combo.blockSignals(False)

    def _on_axis_picked(self):
        axes = (self.x_axis.currentIndex(), self.y_axis.currentIndex())
        if axes[0] == axes[1]:
            return                   # wait for the other combo; the engine needs two columns
        self.axes_chosen.emit(axes)

    def show_snapshot(self, snapshot):
        self.snapshot = snapshot
        if self.dataset is not None and snapshot.plane is not None and \
                tuple(snapshot.plane.axes) != self._points_axes:
            self._draw_points(tuple(snapshot.plane.axes))
        self._redraw()

    def show_running(self, running: bool):
        """While training runs the title's figures change at most 5 times a second."""
        self._running = running
        if not running:
            self._title_text.flush()

    def show_neuron(self, layer: int, index: int):
        """Show neuron `index` of `layer` (0 = inputs .. L = outputs); (-1, -1): the output."""
        self.hovered = None if layer < 0 else (layer, index)
        self._redraw()

    # ---- drawing --------------------------------------------------------------------------

    def _current_axes(self):
        if self.snapshot is not None and self.snapshot.plane is not None:
            return tuple(self.snapshot.plane.axes)
        return tuple(self.dataset.plane_axes)

    def _redraw(self):
        s = self.snapshot
        if s is None or s.plane is None:
            return
        layer, index = self.hovered if self._hover_valid(s) else (len(s.sizes) - 1, None)
        title = self._title(s, layer, index)
        self.title.setToolTip(penalty_note(s.metrics, 3) if index is None else "")
        if index is None and self._running:
            self._title_text.submit(title)
        else:                                    # a hovered neuron's name shows at once
            self._title_text.reset()
            self.title.setText(title)
        if s.plane.ys is None:
            self._draw_curve(s, layer, index)
        else:
            self._draw_image(s, layer, index)

    def _hover_valid(self, s) -> bool:
        return self.hovered is not None and self.hovered[0] < len(s.plane.maps) and \
            self.hovered[1] < s.plane.maps[self.hovered[0]].shape[0]

    def _title(self, s, layer, index) -> str:
        if index is None:
            m = s.metrics
            text = (f"Output · loss {loss_figure(m.train_loss, 3)} train, "
                    f"{loss_figure(m.test_loss, 3)} test")
            if m.test_accuracy is not None:
                text += f" · test accuracy {m.test_accuracy:.1%}"
            return text
        if layer == 0:
            return f"Input {s.feature_names[index]}"
        if layer == len(s.sizes) - 1:
            return f"Output neuron {index + 1}"
        return f"Hidden layer {layer}, neuron {index + 1}"

    def _draw_image(self, s, layer, index):
        maps = upsampled(s.plane.maps[layer])
        if index is not None:
            rgba = scaled_image(maps[index], symmetric_scale(maps[index]))
        elif s.task == "multiclass":
            rgba = multiclass_image(maps, self.discretize.isChecked())
        elif s.task == "binary":
            rgba = binary_image(maps[0], self.discretize.isChecked())
        else:
            rgba = scaled_image(maps[0], self._target_scale())
        self.image.setImage(rgba, autoLevels=False)
        rect = _pixel_rect(s.plane.xs, s.plane.ys, rgba.shape[1], rgba.shape[0])
        if rect != self._image_rect:           # moving the image re-lays out the plot: rarely
            self.image.setRect(rect)
            self._image_rect = rect

    def _draw_curve(self, s, layer, index):
        values = s.plane.maps[layer][0 if index is None else index]
        self.curve.setData(s.plane.xs, values)

    def _target_scale(self) -> float:
        y = np.asarray(self.dataset.y_train, dtype=float) if self.dataset is not None else []
        return symmetric_scale(np.asarray(y), at_least=1e-9) if len(y) else 1.0

    def _draw_points(self, axes=None):
        """The data points over the columns `axes` (None: those drawn last, or the plane's)."""
        d = self.dataset
        if d is None:
            return
        axes = tuple(axes) if axes else (self._points_axes or self._current_axes())
        self._points_axes = axes
        self._set_points(self.train_points, d.raw_train, d.y_train, axes, QColor("white"))
        self._set_points(self.test_points, d.raw_test, d.y_test, axes, QColor(30, 30, 30))
        self.test_points.setVisible(self.show_test.isChecked())
        self._fit_range(axes)
        self._label_classes()

    def _label_classes(self):
        """One legend entry per class, in its points' colour; none for a regression target."""
        legend, d = self.class_legend, self.dataset
        legend.clear()
        legend.setVisible(d.task != "regression")
        if d.task == "regression":
            return
        legend.setColumnCount(-(-len(d.class_names) // LEGEND_ROWS))   # many classes: columns
        for name, colour in zip(d.class_names, colors.class_colors(len(d.class_names))):
            sample = pg.ScatterPlotItem(size=POINT_SIZE, brush=pg.mkBrush(colour),
                                        pen=pg.mkPen(QColor("white"), width=1))
            legend.addItem(sample, str(name))

    def _set_points(self, item, raw, y, axes, outline: QColor):
        d = self.dataset
        if d.raw_dim == 1:
            x, y_pos = raw[:, 0], np.asarray(y, dtype=float)
        else:
            x, y_pos = raw[:, axes[0]], raw[:, axes[1]]
        brushes = [pg.mkBrush(c) for c in self._point_colors(y)]
        item.setData(x=x, y=y_pos, brush=brushes, pen=pg.mkPen(outline, width=1))

    def _point_colors(self, y) -> list[QColor]:
        d = self.dataset
        if d.task == "regression":
            scale = self._target_scale()
            return [colors.weight_color(v, scale) for v in np.asarray(y, dtype=float)]
        palette = colors.class_colors(len(d.class_names))
        return [palette[int(c)] for c in y]

    def _fit_range(self, axes):
        d = self.dataset
        if d.raw_dim == 1:
            xmin, xmax = d.bounds[0], d.bounds[1]
            y = np.concatenate([np.asarray(d.y_train, float), np.asarray(d.y_test, float)])
            pad = 0.15 * (float(np.ptp(y)) or 1.0)
            self.plot.setRange(xRange=(xmin, xmax), yRange=(y.min() - pad, y.max() + pad),
                               padding=0)
            self.plot.setLabel("bottom", d.raw_names[0])
            self.plot.setLabel("left", "target")
            return
        (x0, x1), (y0, y1) = d.raw_ranges[axes[0]], d.raw_ranges[axes[1]]
        self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.plot.setLabel("bottom", d.raw_names[axes[0]])
        self.plot.setLabel("left", d.raw_names[axes[1]])

    def refresh_colors(self):
        """Redraw with the current palette of ui.colors."""
        self._draw_points()
        self._redraw()


def _pixel_rect(xs, ys, columns: int, rows: int) -> QRectF:
    """The rectangle of an image of columns x rows pixels whose corner pixels are centred on
    the grid's corners (xs[0], ys[0]) and (xs[-1], ys[-1])."""
    dx = (xs[-1] - xs[0]) / max(columns - 1, 1)
    dy = (ys[-1] - ys[0]) / max(rows - 1, 1)
    return QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)


class SquareHolder(QWidget):
    """Holds the plot; for the synthetic plane (one unit is the same length on both axes) it
    sizes the plot so that its data area is a centred square, which the heatmap then fills,
    instead of a wide plot with empty bands beside the square."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot_widget = None
        self._square = False
        self._refit = QTimer(self)            # a child: it goes when the holder goes
        self._refit.setSingleShot(True)
        self._refit.timeout.connect(self._fit)

    def set_square(self, square: bool):
        self._square = square
        self._fit()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def _fit(self):
        plot = self.plot_widget
        if plot is None:
            return
        width, height = self.width(), self.height()
        if not self._square:
            plot.setGeometry(0, 0, width, height)
            return
        # the axes and margins around the data area keep their size as the plot resizes
        box = plot.getPlotItem().getViewBox().sceneBoundingRect()
        extra_w = max(0, plot.width() - int(box.width()))
        extra_h = max(0, plot.height() - int(box.height()))
        side = max(1, min(width - extra_w, height - extra_h))
        w, h = min(width, side + extra_w), min(height, side + extra_h)
        target = QRect((width - w) // 2, (height - h) // 2, w, h)
        if target != plot.geometry():
            plot.setGeometry(target)
            # the plot lays its axes out on the next pass of the event loop: measure again then
            self._refit.start(0)
