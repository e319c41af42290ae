"""The network diagram: every neuron, every weight, every bias; hover to read, click to edit.

It draws the Snapshot it is given and emits what the user asked for; it never calls the
trainer. Items are built once per architecture (sizes and names); a frame only restyles them:
all edges live in one EdgeLayer, neurons get new thumbnails, bias knobs new colours.

This module holds NetworkView itself: its signals, its construction, laying the diagram out
for the window (names, +/- controls, summaries) and drawing each snapshot. Its mixins hold the
rest: ui/network/interaction.py hit-testing, hovering, editing and nudging (hit-testing is
geometric, through layout.py, not per-item, so 8,000 edges cost nothing to hover);
ui/network/zoom.py fitting to the window, zooming and resizing; ui/network/view_menu.py the width
scale, the values on the edges, export and the context menu.
"""
import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QLabel

from netsim.snapshot import NEAR_ZERO
from ui.network.edge_layer import LARGE_WEIGHT, EdgeLayer, edge_style
from ui.network.edge_values import VALUE_LABEL_LIMIT, EdgeValues
from ui.figures import figure, growth
from ui.network.interaction import (EDGE_TOLERANCE_PX, EDIT_HINT, NUDGE,  # noqa: F401
                                    NetworkInteraction)
from ui.network.items import BiasLayer, ControlButton, LabelItem, NeuronLayer, stacked_image
from ui.limits import MAX_HIDDEN_LAYERS, MAX_NEURONS
from ui.network.layout import NEURON_PITCH, NEURON_SIZE, column_height, layout_network
from ui.network.legend import NetworkLegend
from ui.network.view_menu import NetworkMenu
from ui.neuron_names import neuron_names
from ui.network.palette import lut_color, lut_colors, weight_lut
from ui.network.zoom import RELAYOUT_SIZE_CHANGE, NetworkZoom  # noqa: F401
from ui.network.neuron_maps import layer_levels, normalised, rgba_images
from ui.network.norm_watch import NormWatch, is_rising
from ui.throttle import Throttle
from ui.network.weight_editor import WeightEditor

# EDGE_TOLERANCE_PX, EDIT_HINT, NUDGE and RELAYOUT_SIZE_CHANGE, imported above, moved to the
# mixins that use them; they stay importable from here.
NEW_LAYER_WIDTH = 4          # neurons of a hidden layer added to a network that has none
FIXED_SCALE = LARGE_WEIGHT   # fixed width scale: a weight at the "large" mark is the widest
MAX_ZOOM = 1.3               # a small network is not blown up beyond this
NAME_POINT_SIZE = 9.5        # inputs' and outputs' names
MIN_NAME_POINT_SIZE = 6.5    # names of tightly packed neurons shrink, down to this; closer
                             # still, only every few are written (hovering names each one)
NAME_GAP_PX = 16             # between a name and its neuron, and to the window's edge
CONTROLS_HALF_WIDTH_PX = 60  # half the "N hidden layers" caption centred over the inputs
CONTROLS_PX = 72             # above the columns: captions (up to two lines) and +/- buttons
SUMMARIES_PX = 68            # below the columns: "dead" labels and three-line summaries
COMPACT_SUMMARY_PX = 190     # column gaps narrower than this get the three-line summary,
TINY_SUMMARY_PX = 100        # and narrower than this a short form,
BARE_SUMMARY_PX = 70         # and narrower still the norm alone (the hover text has the rest)
NARROW_CAPTION_PX = 130      # a gap narrower than this puts "N hidden layers" on two lines
RISING = QColor(200, 30, 30)
SUMMARY = QColor(70, 70, 70)


def name_style(names, pitch_px: float) -> tuple[float, int]:
    """(point size, stride) for the names of a column of neurons pitch_px apart on screen: as
    large as NAME_POINT_SIZE while they do not touch, smaller down to MIN_NAME_POINT_SIZE, and
    past that every stride-th name only."""
    size = NAME_POINT_SIZE
    while size > MIN_NAME_POINT_SIZE and _line_px(names, size) > pitch_px:
        size -= 0.5
    return size, max(1, int(np.ceil(_line_px(names, size) / max(pitch_px, 1e-6))))


def _line_px(names, point_size: float) -> float:
    """Pixels a line of these names needs: their inked height (lines may touch, not overlap)."""
    metrics = QFontMetricsF(LabelItem.font_of(point_size))
    return max(metrics.tightBoundingRect(n).height() for n in names)


class NetworkView(NetworkInteraction, NetworkZoom, NetworkMenu, QGraphicsView):
    """The diagram of a network; the mixins add the mouse, zoom and menu handling."""

    weight_edited = Signal(int, int, int, float)   # layer l, from i, to j, new value
    bias_edited = Signal(int, int, float)          # weights index l (bias of neuron j of layer l+1)
    layers_changed = Signal(tuple)                 # the new tuple of hidden widths
    neuron_hovered = Signal(int, int)              # layer (0 = inputs .. L = outputs), index;
                                                   # (-1, -1) when the mouse leaves it

    def __init__(self, parent=None):
        super().__init__(parent)
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.NoIndex)     # items move and restyle every frame
        scene.setBackgroundBrush(QColor(255, 255, 255))
        self.setScene(scene)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(320, 240))
        self.snapshot = None
        self.fixed_scale = False
        self.show_values = True      # weights written on the edges of small networks
        self._edge_values = None
        self._value_writer = Throttle(self, self._write_values)   # numbers on the edges
        self._legend_writer = Throttle(self, self._write_legend)  # and in the legend
        self._structure = None
        self._layout = None
        self._offsets = []           # flat edge index of weights[l][0, 0]
        self._names = []
        self._hover = None           # ("edge", l, i, j) | ("bias", l, j) | ("neuron", l, j)
        self._editing = None
        self._norm_watch = NormWatch()
        self._zoomed = False         # the user zoomed in: resizing keeps their zoom
        self.hover_text = ""
        self.legend = NetworkLegend(self.viewport())
        self.legend.mode_toggled.connect(self._on_legend_clicked)
        self.info = QLabel(self.viewport())
        self.info.setStyleSheet("QLabel { background: rgba(255,255,255,230); color: #202020;"
                                " border: 1px solid #c8c8c8; border-radius: 4px;"
                                " padding: 3px 6px; }")
        self.info.setWordWrap(True)
        self.info.hide()
        self.editor = WeightEditor(self.viewport())
        self.editor.accepted.connect(self._on_edit_accepted)
        self.editor.closed.connect(self._on_edit_closed)

    # ---- drawing a snapshot ---------------------------------------------------------------

    def show_snapshot(self, snapshot) -> None:
        """Draw this Snapshot; items are rebuilt only when the architecture or names change."""
        structure = (tuple(snapshot.sizes), tuple(snapshot.feature_names),
                     tuple(snapshot.class_names), snapshot.task)
        if structure != self._structure:
            self._build(snapshot, structure)
        self.snapshot = snapshot
        self._restyle()

    def _build(self, snapshot, structure):
        scene = self.scene()
        self._set_hover(None)
        self.editor.cancel()
        scene.clear()
        self._value_writer.reset()              # the old labels went with the scene
        self._structure = structure
        sizes = structure[0]
        self._names = neuron_names(*structure)
        self._layout = layout = self._plan_layout(sizes)
        self._laid_out_for = self.viewport().size()
        self._offsets = np.concatenate([[0], np.cumsum([len(s) for s in layout.segments])])
        scene.setSceneRect(QRectF(0, 0, layout.width, layout.height))
        self.edge_layer = EdgeLayer(np.vstack(layout.segments), scene.sceneRect())
        scene.addItem(self.edge_layer)
        self._neuron_layer = NeuronLayer(layout.centres, scene.sceneRect())
        self._bias_layer = BiasLayer(layout.centres[1:], scene.sceneRect())
        scene.addItem(self._neuron_layer)
        scene.addItem(self._bias_layer)
        self._neurons, self._biases = self._neuron_layer.neurons, self._bias_layer.knobs
        self._map_pixels = [None] * len(sizes)
        self._edge_values = None
        if layout.n_edges <= VALUE_LABEL_LIMIT:
            points = [layout.pick_point(l, i, j) for l, n in enumerate(sizes[:-1])
                      for i in range(n) for j in range(sizes[l + 1])]
            # no label may cover a neuron or a bias knob
            obstacles = [n.rect for layer in self._neurons for n in layer] + \
                [knob.rect for layer in self._biases for knob in layer]
            self._edge_values = EdgeValues(points, np.vstack(layout.segments),
                                           scene.sceneRect(), obstacles)
            self._edge_values.setVisible(self.show_values)
            scene.addItem(self._edge_values)
        self._add_names(layout)
        self._summaries = []
        for l in range(len(sizes) - 1):
            label = LabelItem("", Qt.AlignHCenter, 8.0, SUMMARY, offset=QPointF(0, 18))
            label.setPos((layout.column_x[l] + layout.column_x[l + 1]) / 2, layout.columns_bottom)
            scene.addItem(label)
            self._summaries.append(label)
        self._add_controls(layout, sizes)
        self._norm_watch = NormWatch()
        self._fit()

    def _plan_layout(self, sizes):
        """A layout that fills the window, with room for the names, whose size is in pixels:
        the scale decides how many scene units they take, and the layout decides the scale."""
        viewport = self.viewport().size()
        room = viewport.height() - self._legend_strip() - CONTROLS_PX - SUMMARIES_PX
        scale = min(max(room, 1) / column_height(sizes), MAX_ZOOM)
        # (point size, stride) of the inputs' names and of the outputs'
        self._name_styles = [name_style(names, NEURON_PITCH * scale)
                             for names in (self._names[0], self._names[-1])]
        def pixels(names, style):
            metrics = QFontMetricsF(LabelItem.font_of(style[0]))
            return max(metrics.horizontalAdvance(n) for n in names) + NAME_GAP_PX
        left_px = max(pixels(self._names[0], self._name_styles[0]), CONTROLS_HALF_WIDTH_PX)
        right_px = pixels(self._names[-1], self._name_styles[1])
        half = NEURON_SIZE / 2
        for _ in range(3):
            layout = layout_network(sizes, viewport.width() / scale, half + left_px / scale,
                                    half + right_px / scale, CONTROLS_PX / scale,
                                    SUMMARIES_PX / scale)
            fitted = self._fit_scale(layout)
            if fitted >= scale * 0.98:
                return layout
            scale = fitted
        return layout

    def _fit_scale(self, layout) -> float:
        viewport = self.viewport().size()
        return min(viewport.width() / layout.width,
                   max(viewport.height() - self._legend_strip(), 1) / layout.height, MAX_ZOOM)

    def _legend_strip(self) -> int:
        """Pixels kept free at the bottom of the window for the legend, flowed to its width."""
        return self.legend.fit_width(self.viewport().width() - 12) + 8

    def _add_names(self, layout):
        scene = self.scene()
        half = NEURON_SIZE / 2
        (in_size, in_stride), (out_size, out_stride) = self._name_styles
        for j, (x, y) in enumerate(layout.centres[0]):
            if j % in_stride == 0:
                label = LabelItem(self._names[0][j], Qt.AlignRight, in_size,
                                  offset=QPointF(-6, 0))
                label.setPos(x - half, y)
                label.setToolTip(self.snapshot_feature(j))
                scene.addItem(label)
        for j, (x, y) in enumerate(layout.centres[-1]):
            if j % out_stride == 0:
                label = LabelItem(self._names[-1][j], Qt.AlignLeft, out_size,
                                  offset=QPointF(6, 0))
                label.setPos(x + half, y)
                scene.addItem(label)

    def snapshot_feature(self, j: int) -> str:
        names = self._structure[1]
        return names[j] if j < len(names) else ""

    def _add_controls(self, layout, sizes):
        scene = self.scene()
        hidden = tuple(sizes[1:-1])
        anchor_y = layout.columns_top - 6

        def add_pair(x, minus, plus, minus_ok, plus_ok, what):
            for symbol, action, ok, dx in (("\u2212", minus, minus_ok, -12),
                                           ("+", plus, plus_ok, 12)):
                verb = "Remove" if symbol != "+" else "Add"
                button = ControlButton(symbol, action, f"{verb} {what}", QPointF(dx, -14))
                button.set_enabled(ok)
                button.setPos(x, anchor_y)
                scene.addItem(button)

        x0 = layout.column_x[0]
        add_pair(x0, lambda: self._emit_layers(hidden[:-1]),
                 lambda: self._emit_layers(hidden + (hidden[-1] if hidden else NEW_LAYER_WIDTH,)),
                 len(hidden) > 0, len(hidden) < MAX_HIDDEN_LAYERS, "a hidden layer")
        gap_px = (layout.column_x[1] - x0) * self._fit_scale(layout)
        caption = f"{len(hidden)} hidden layer{'s' if len(hidden) != 1 else ''}"
        if gap_px < NARROW_CAPTION_PX:
            caption = caption.replace(" hidden ", " hidden\n")
        count = LabelItem(caption, Qt.AlignHCenter, 9.0, bold=True,
                          offset=QPointF(0, -36 - 14 * caption.count("\n")))
        count.setPos(x0, anchor_y)
        scene.addItem(count)
        for k, width in enumerate(hidden):
            def resized(delta, k=k):
                return lambda: self._emit_layers(hidden[:k] + (hidden[k] + delta,) + hidden[k + 1:])
            x = layout.column_x[k + 1]
            add_pair(x, resized(-1), resized(+1), width > 1, width < MAX_NEURONS,
                     f"a neuron of hidden layer {k + 1}")
            words = f"{width} neuron{'s' if width != 1 else ''}"
            label = LabelItem(words if gap_px >= NARROW_CAPTION_PX else str(width),
                              Qt.AlignHCenter, 8.5, offset=QPointF(0, -36))
            label.setToolTip(f"{words} in hidden layer {k + 1}")
            label.setPos(x, anchor_y)
            scene.addItem(label)

    def _emit_layers(self, hidden: tuple):
        self.layers_changed.emit(tuple(int(w) for w in hidden))

    def _restyle(self):
        """Per frame: pens of the edges, thumbnails, bias colours, marks and summaries."""
        snapshot, lut = self.snapshot, weight_lut()
        # the trainer keeps weights finite; a non-finite one must not break the drawing
        weights = np.nan_to_num(np.concatenate([w.ravel() for w in snapshot.weights]))
        largest = float(np.abs(weights).max()) if weights.size else 0.0
        biases = [np.nan_to_num(np.asarray(b, dtype=float)) for b in snapshot.biases]
        if not self.fixed_scale:
            largest = max(largest, max((float(np.abs(b).max()) for b in biases), default=0.0))
        scale = FIXED_SCALE if self.fixed_scale else (largest if largest > 0 else 1.0)
        max_width = self._max_edge_width()
        pixel = 1.0 / max(self.transform().m11(), 1e-6)       # scene units per screen pixel
        self.edge_layer.set_style(edge_style(weights, scale, max_width, len(lut)), lut, max_width,
                                  pixel)
        if self._edge_values is not None:
            self._value_writer.submit(weights)
        self._bias_layer.set_colours(lut_colors(lut, np.concatenate(biases) / scale))
        self._draw_neurons(snapshot, lut)
        for l, dead in enumerate(snapshot.dead_units):
            for neuron, is_dead in zip(self._neurons[l], np.asarray(dead).tolist()):
                neuron.set_dead(bool(is_dead))
        self._neuron_layer.update()
        self._write_summaries(snapshot)
        self._legend_writer.submit((scale, max_width, self.fixed_scale, lut))
        if self._hover is not None:
            self._show_info(self._describe(self._hover))
        if self._editing is not None:                # training may have moved the value
            self.editor.follow(self._value_of(self._editing))

    def _write_legend(self, state):
        scale, max_width, fixed, lut = state
        self.legend.set_state(scale, max_width, fixed, lut, LARGE_WEIGHT, NEAR_ZERO)
        self._place_overlays()

    def _write_values(self, weights):
        if self._edge_values is not None:
            self._edge_values.set_values(weights)

    def _draw_neurons(self, snapshot, lut):
        plane = snapshot.plane
        if plane is None:
            # no plane to draw on: each neuron a disc coloured by its bias (inputs neutral)
            for l, layer in enumerate(self._neurons):
                for j, neuron in enumerate(layer):
                    value = 0.0 if l == 0 else float(snapshot.biases[l - 1][j])
                    neuron.set_disc(lut_color(lut, np.tanh(value)))
            return
        for l, layer in enumerate(self._neurons):
            maps = np.asarray(plane.maps[l])
            centre, half = layer_levels(snapshot, l, maps)
            if maps.ndim == 3:
                pixels = rgba_images(maps, centre, half, lut, self._map_step(maps.shape[-1]))
                self._map_pixels[l] = pixels          # the layer's QImage views this buffer
                image, sources = stacked_image(pixels)
                for neuron, source in zip(layer, sources):
                    neuron.set_image(image, source)
            else:
                curves = normalised(maps, centre, half)
                for neuron, curve in zip(layer, curves):
                    neuron.set_curve(curve, lut)

    def _map_step(self, resolution: int) -> int:
        """Subsampling of the neuron maps: no finer than the thumbnails are drawn on screen."""
        thumbnail_px = NEURON_SIZE * self.transform().m11()
        return max(1, int(resolution // max(thumbnail_px, 8.0)))

    def _write_summaries(self, snapshot):
        rises = self._norm_watch.update(snapshot.step, [s.weight_norm for s in snapshot.layers])
        gaps = np.diff(self._layout.column_x) * self.transform().m11()
        for label, summary, rise, gap in zip(self._summaries, snapshot.layers, rises, gaps):
            norm, mean, zero = summary.weight_norm, summary.mean_abs_weight, \
                summary.near_zero_fraction
            norm3, mean3 = figure(norm, 3), figure(mean, 3)
            if gap >= COMPACT_SUMMARY_PX:
                text = f"\u2016W\u2016 {norm3} \u00b7 mean |w| {mean3}\n{zero:.0%} near 0"
            elif gap >= TINY_SUMMARY_PX:
                text = f"\u2016W\u2016 {norm3}\nmean |w| {mean3}\n{zero:.0%} near 0"
            elif gap < BARE_SUMMARY_PX:
                text = f"\u2016W\u2016\n{figure(norm, 2)}"
            else:
                text = f"\u2016W\u2016 {norm3}\n\u03bc|w| {figure(mean, 2)}\n{zero:.0%} \u2248 0"
            if is_rising(rise):
                text += f" \u25b2 {growth(rise)}"
            label.set_text(text, RISING if is_rising(rise) else SUMMARY)

    def _max_edge_width(self) -> float:
        """Widest edge in pixels: wide enough to read on a small net, thin enough on a dense one."""
        pitch_px = NEURON_PITCH * self.transform().m11()
        return float(np.clip(pitch_px * 0.14, 2.0, 9.0))
