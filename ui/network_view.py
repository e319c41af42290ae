"""The network diagram: every neuron, every weight, every bias; hover to read, click to edit.

It draws the Snapshot it is given and emits what the user asked for; it never calls the
trainer. Items are built once per architecture (sizes and names); a frame only restyles them:
all edges live in one EdgeLayer, neurons get new thumbnails, bias knobs new colours.

Hit-testing is geometric (network_layout), not per-item, so 8,000 edges cost nothing to hover.
"""
import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFontMetricsF, QPainter, QTransform
from PySide6.QtWidgets import (QFileDialog, QGraphicsItem, QGraphicsScene, QGraphicsView, QLabel,
                               QMenu, QMessageBox, QToolTip)

from netsim.snapshot import NEAR_ZERO
from ui.edge_layer import LARGE_WEIGHT, EdgeLayer, edge_style
from ui.edge_values import VALUE_LABEL_LIMIT, EdgeValues
from ui.network_export import export_widget
from ui.network_items import (BIAS_SIZE, BiasLayer, ControlButton, LabelItem, Neuron,
                              NeuronLayer, stacked_image)
from ui.network_layout import NEURON_PITCH, NEURON_SIZE, column_height, layout_network
from ui.network_legend import NetworkLegend
from ui.network_names import neuron_names
from ui.network_palette import lut_color, lut_colors, weight_lut
from ui.neuron_maps import layer_levels, normalised, rgba_images
from ui.norm_watch import NormWatch, is_rising
from ui.weight_editor import WeightEditor, format_value

MAX_HIDDEN_LAYERS = 8
MAX_NEURONS = 32
NEW_LAYER_WIDTH = 4          # neurons of a hidden layer added to a network that has none
FIXED_SCALE = LARGE_WEIGHT   # fixed width scale: a weight at the "large" mark is the widest
NUDGE = 0.05                 # Shift + one wheel notch over an edge or bias changes it by this
MAX_ZOOM = 1.3               # a small network is not blown up beyond this
EDGE_TOLERANCE_PX = 5.0      # how near the mouse must be to an edge to pick it
RELAYOUT_SIZE_CHANGE = 0.2   # relative change of the window's size that lays the diagram out anew
NAME_POINT_SIZE = 9.5        # inputs' and outputs' names
NAME_GAP_PX = 16             # between a name and its neuron, and to the window's edge
CONTROLS_HALF_WIDTH_PX = 60  # half the "N hidden layers" caption centred over the inputs
CONTROLS_PX = 72             # above the columns: captions (up to two lines) and +/- buttons
SUMMARIES_PX = 68            # below the columns: "dead" labels and three-line summaries
COMPACT_SUMMARY_PX = 190     # column gaps narrower than this get the three-line summary,
TINY_SUMMARY_PX = 100        # and narrower than this its shortest form
NARROW_CAPTION_PX = 130      # a gap narrower than this puts "N hidden layers" on two lines
EDIT_HINT = "(click to edit, Shift+wheel to nudge)"
RISING = QColor(200, 30, 30)
SUMMARY = QColor(70, 70, 70)


def _fmt(value) -> str:
    return "\u2014" if value is None else format_value(float(value))


class NetworkView(QGraphicsView):
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
            neurons = [n.rect for layer in self._neurons for n in layer]
            self._edge_values = EdgeValues(points, scene.sceneRect(), neurons)
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
        metrics = QFontMetricsF(LabelItem.font_of(NAME_POINT_SIZE))
        def pixels(names):
            return max(metrics.horizontalAdvance(n) for n in names) + NAME_GAP_PX
        left_px = max(pixels(self._names[0]), CONTROLS_HALF_WIDTH_PX)
        right_px = pixels(self._names[-1])
        room = viewport.height() - self._legend_strip() - CONTROLS_PX - SUMMARIES_PX
        scale = min(max(room, 1) / column_height(sizes), MAX_ZOOM)
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
        for j, (x, y) in enumerate(layout.centres[0]):
            label = LabelItem(self._names[0][j], Qt.AlignRight, NAME_POINT_SIZE,
                              offset=QPointF(-6, 0))
            label.setPos(x - half, y)
            label.setToolTip(self.snapshot_feature(j))
            scene.addItem(label)
        for j, (x, y) in enumerate(layout.centres[-1]):
            label = LabelItem(self._names[-1][j], Qt.AlignLeft, NAME_POINT_SIZE,
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
            label = LabelItem(f"{width} neuron{'s' if width != 1 else ''}", Qt.AlignHCenter, 8.5,
                              offset=QPointF(0, -36))
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
            self._edge_values.set_values(weights)
        for knobs, b in zip(self._biases, biases):
            for knob, colour in zip(knobs, lut_colors(lut, b / scale)):
                knob.set_colour(colour)
        self._draw_neurons(snapshot, lut)
        for l, dead in enumerate(snapshot.dead_units):
            for neuron, is_dead in zip(self._neurons[l], np.asarray(dead).tolist()):
                neuron.set_dead(bool(is_dead))
        self._neuron_layer.update()
        self._bias_layer.update()
        self._write_summaries(snapshot)
        self.legend.set_state(scale, max_width, self.fixed_scale, lut, LARGE_WEIGHT, NEAR_ZERO)
        self._place_overlays()
        if self._hover is not None:
            self._show_info(self._describe(self._hover))

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
        growth = self._norm_watch.update(snapshot.step, [s.weight_norm for s in snapshot.layers])
        gaps = np.diff(self._layout.column_x) * self.transform().m11()
        for label, summary, rise, gap in zip(self._summaries, snapshot.layers, growth, gaps):
            norm, mean, zero = summary.weight_norm, summary.mean_abs_weight, \
                summary.near_zero_fraction
            if gap >= COMPACT_SUMMARY_PX:
                text = f"\u2016W\u2016 {norm:.3g} \u00b7 mean |w| {mean:.3g}\n{zero:.0%} near 0"
            elif gap >= TINY_SUMMARY_PX:
                text = f"\u2016W\u2016 {norm:.3g}\nmean |w| {mean:.3g}\n{zero:.0%} near 0"
            else:
                text = f"\u2016W\u2016 {norm:.3g}\n\u03bc|w| {mean:.2g}\n{zero:.0%} \u2248 0"
            if is_rising(rise):
                text += f" \u25b2 +{rise:.0%}"
            label.set_text(text, RISING if is_rising(rise) else SUMMARY)

    def _max_edge_width(self) -> float:
        """Widest edge in pixels: wide enough to read on a small net, thin enough on a dense one."""
        pitch_px = NEURON_PITCH * self.transform().m11()
        return float(np.clip(pitch_px * 0.14, 2.0, 9.0))

    # ---- fitting the window -----------------------------------------------------------------

    def _fit(self):
        """Scale the diagram to the window (keeping its aspect) above the legend strip."""
        if self._layout is None:
            return
        self._zoomed = False
        width, height = self._layout.width, self._layout.height
        scale = self._fit_scale(self._layout)
        self.setSceneRect(QRectF(0, 0, width, height + self._legend_strip() / scale))
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(self.sceneRect().center())
        self._place_overlays()

    def _place_overlays(self):
        viewport = self.viewport()
        self.legend.move(max((viewport.width() - self.legend.width()) // 2, 0),
                         viewport.height() - self.legend.height() - 4)
        self.info.move(6, 6)

    def wheelEvent(self, event):
        """Zoom about the mouse; a double-click on empty space fits the window again. With
        Shift over an edge or a bias, the wheel nudges its value instead (NUDGE per notch)."""
        if self._layout is None:
            return
        if event.modifiers() & Qt.ShiftModifier:
            target = self.hit_test(self.mapToScene(event.position().toPoint()))
            if target is not None and target[0] in ("edge", "bias"):
                delta = event.angleDelta().y() or event.angleDelta().x()   # Shift may turn it
                self.nudge(target, NUDGE * np.sign(delta))
            return
        factor = 1.0015 ** event.angleDelta().y()
        scale = self.transform().m11() * factor
        fitted = min(self.viewport().width() / self._layout.width,
                     self.viewport().height() / self._layout.height)
        if scale <= fitted:
            self._fit()
            self._restyle()
            return
        self._zoomed = True
        self.setSceneRect(QRectF(0, 0, self._layout.width, self._layout.height))
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.AnchorViewCenter)
        self._restyle()

    def mouseDoubleClickEvent(self, event):
        if self.hit_test(self.mapToScene(event.position().toPoint())) is None:
            self._fit()
            self._restyle()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._layout is not None and self.snapshot is not None:
            size, built = self.viewport().size(), self._laid_out_for
            if (abs(size.width() - built.width()) > RELAYOUT_SIZE_CHANGE * built.width()
                    or abs(size.height() - built.height()) > RELAYOUT_SIZE_CHANGE * built.height()):
                self._structure = None          # spread the columns for the new shape
                self.show_snapshot(self.snapshot)
                return
            if not self._zoomed:
                self._fit()
            self._place_overlays()
            self._restyle()
        else:
            self._place_overlays()

    # ---- hit-testing, hovering ------------------------------------------------------------

    def hit_test(self, scene_pos: QPointF):
        """What is under a scene point: ("bias", l, j), ("neuron", l, j), ("edge", l, i, j) or
        None. Bias knobs sit on their neuron's corner, so they are tested first."""
        layout = self._layout
        if layout is None:
            return None
        x, y = scene_pos.x(), scene_pos.y()
        px = 1.0 / max(self.transform().m11(), 1e-6)         # scene units per screen pixel
        reach = BIAS_SIZE / 2 + 2 * px
        for l, knobs in enumerate(self._biases):
            for j, knob in enumerate(knobs):
                if abs(knob.x() - x) <= reach and abs(knob.y() - y) <= reach:
                    return ("bias", l, j)
        neuron = layout.neuron_at(x, y)
        if neuron is not None:
            return ("neuron", *neuron)
        edge = layout.nearest_edge(x, y, EDGE_TOLERANCE_PX * px)
        return None if edge is None else ("edge", *edge)

    def edge_midpoint(self, l: int, i: int, j: int) -> QPointF:
        """Scene point in the middle of the edge weights[l][i, j]."""
        x1, y1, x2, y2 = self._layout.segments[l][i * self._layout.sizes[l + 1] + j]
        return QPointF((x1 + x2) / 2, (y1 + y2) / 2)

    def edge_pick_point(self, l: int, i: int, j: int) -> QPointF:
        """Scene point near the middle of edge weights[l][i, j] where only that edge is hit."""
        return QPointF(*self._layout.pick_point(l, i, j))

    def bias_position(self, l: int, j: int) -> QPointF:
        """Scene point of the bias knob of neuron j of layer l + 1."""
        return self._biases[l][j].pos()

    def neuron_position(self, l: int, j: int) -> QPointF:
        return self._neurons[l][j].pos()

    def edge_pen(self, l: int, i: int, j: int):
        """The pen edge weights[l][i, j] is drawn with now (for tests and the legend)."""
        return self.edge_layer.pen_of(int(self._offsets[l]) + i * self._layout.sizes[l + 1] + j)

    def edge_is_haloed(self, l: int, i: int, j: int) -> bool:
        """True if edge weights[l][i, j] is highlighted as a large weight."""
        return self.edge_layer.has_halo(int(self._offsets[l]) + i * self._layout.sizes[l + 1] + j)

    def neuron_item(self, l: int, j: int) -> Neuron:
        return self._neurons[l][j]

    def summary_text(self, l: int) -> str:
        return self._summaries[l].text

    def hover_at(self, scene_pos: QPointF):
        """Hover the point as the mouse would: highlight, info text, tooltip, signals."""
        self._set_hover(self.hit_test(scene_pos))

    def mouseMoveEvent(self, event):
        super().mouseMoveEvent(event)
        if self._layout is None:
            return
        button = self._button_at(event.position().toPoint())
        if button is not None:
            self._set_hover(None)
            self.viewport().setCursor(Qt.PointingHandCursor if button.enabled else Qt.ArrowCursor)
            return
        self.hover_at(self.mapToScene(event.position().toPoint()))
        if self._hover is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.hover_text, self.viewport())
        else:
            QToolTip.hideText()

    def leaveEvent(self, event):
        super().leaveEvent(event)
        self._set_hover(None)

    def _set_hover(self, target):
        if target == self._hover:
            return
        previous, self._hover = self._hover, target
        if previous is not None:
            self._mark(previous, False)
        if target is not None:
            self._mark(target, True)
        was_neuron = previous is not None and previous[0] == "neuron"
        is_neuron = target is not None and target[0] == "neuron"
        if is_neuron:
            self.neuron_hovered.emit(target[1], target[2])
        elif was_neuron:
            self.neuron_hovered.emit(-1, -1)
        self.viewport().setCursor(Qt.PointingHandCursor if target and target[0] != "neuron"
                                  else Qt.ArrowCursor)
        if target is None:
            self.hover_text = ""
            self.info.hide()
        else:
            self._show_info(self._describe(target))

    def _mark(self, target, on: bool):
        kind = target[0]
        if kind == "edge":
            l, i, j = target[1:]
            flat = int(self._offsets[l]) + i * self._layout.sizes[l + 1] + j
            self.edge_layer.set_highlight(flat if on else None)
        elif kind == "bias":
            self._biases[target[1]][target[2]].set_hovered(on)
        else:
            self._neurons[target[1]][target[2]].set_hovered(on)

    def _show_info(self, text: str):
        self.hover_text = text
        self.info.setText(text)
        self.info.adjustSize()
        self.info.show()

    def _describe(self, target) -> str:
        s, names = self.snapshot, self._names
        kind = target[0]
        if kind == "edge":
            l, i, j = target[1:]
            grad = None if s.grad_weights is None else s.grad_weights[l][i, j]
            update = None if s.update_weights is None else s.update_weights[l][i, j]
            return (f"{names[l][i]} \u2192 {names[l + 1][j]}   weight {_fmt(s.weights[l][i, j])}"
                    f"   gradient {_fmt(grad)}   last update {_fmt(update)}   {EDIT_HINT}")
        if kind == "bias":
            l, j = target[1:]
            grad = None if s.grad_biases is None else s.grad_biases[l][j]
            update = None if s.update_biases is None else s.update_biases[l][j]
            return (f"bias of {names[l + 1][j]}   {_fmt(s.biases[l][j])}   gradient {_fmt(grad)}"
                    f"   last update {_fmt(update)}   {EDIT_HINT}")
        l, j = target[1:]
        text = names[l][j]
        if l == 0:
            text += f"   input: {self.snapshot_feature(j)}"
        else:
            text += f"   bias {_fmt(s.biases[l - 1][j])}"
        if s.dead_units[l][j]:
            text += "   dead: outputs 0 for every training example, so its weights stop learning"
        return text

    # ---- clicking: +/- and editing --------------------------------------------------------

    def _button_at(self, view_pos):
        for item in self.items(view_pos):
            if isinstance(item, ControlButton):
                return item
        return None

    def mousePressEvent(self, event):
        if event.button() != Qt.LeftButton or self._layout is None:
            super().mousePressEvent(event)
            return
        view_pos = event.position().toPoint()
        button = self._button_at(view_pos)
        if button is not None:
            if button.enabled:
                button.action()
            return
        target = self.hit_test(self.mapToScene(view_pos))
        if target is not None and target[0] in ("edge", "bias"):
            self.begin_edit(target, view_pos)
            return
        self.editor.cancel()
        super().mousePressEvent(event)

    def nudge(self, target, delta: float):
        """Change ("edge", l, i, j) or ("bias", l, j) by delta, as an edit."""
        if target[0] == "edge":
            l, i, j = target[1:]
            self.weight_edited.emit(l, i, j, float(self.snapshot.weights[l][i, j] + delta))
        else:
            l, j = target[1:]
            self.bias_edited.emit(l, j, float(self.snapshot.biases[l][j] + delta))

    def begin_edit(self, target, view_pos=None):
        """Open the in-place editor for ("edge", l, i, j) or ("bias", l, j)."""
        s, names = self.snapshot, self._names
        if target[0] == "edge":
            l, i, j = target[1:]
            title, value = f"weight {names[l][i]} \u2192 {names[l + 1][j]}", s.weights[l][i, j]
            anchor = self.edge_pick_point(l, i, j)
        else:
            l, j = target[1:]
            title, value = f"bias of {names[l + 1][j]}", s.biases[l][j]
            anchor = self.bias_position(l, j)
        if view_pos is None:
            view_pos = self.mapFromScene(anchor)
        self._editing = target
        self._set_hover(target)
        self.editor.open(title, float(value), view_pos)

    def _on_edit_accepted(self, value: float):
        target = self._editing
        if target is None:
            return
        if target[0] == "edge":
            self.weight_edited.emit(target[1], target[2], target[3], value)
        else:
            self.bias_edited.emit(target[1], target[2], value)

    def _on_edit_closed(self):
        self._editing = None
        self.setFocus()

    # ---- width scale, export, context menu ------------------------------------------------

    def set_fixed_scale(self, fixed: bool):
        """Edge widths: fixed (1 px is always the same |w|, so growth shows) or auto-scaled."""
        self.fixed_scale = bool(fixed)
        if self.snapshot is not None:
            self._restyle()

    def set_show_values(self, show: bool):
        """Write each weight on its edge (networks of up to VALUE_LABEL_LIMIT edges)."""
        self.show_values = bool(show)
        if self._edge_values is not None:
            self._edge_values.setVisible(self.show_values)

    def edge_value_texts(self) -> list:
        """The numbers written on the edges, in flat weight order; [] when none are shown."""
        if self._edge_values is None or not self._edge_values.isVisible():
            return []
        return self._edge_values.texts()

    def _on_legend_clicked(self):
        self.set_fixed_scale(not self.fixed_scale)

    def export_image(self, path: str):
        """Save what the view shows, legend included, as PNG (twice the screen's pixels) or SVG
        (vectors), by the suffix of `path`. Raises ValueError for another suffix and OSError if
        the file cannot be written."""
        self.edge_layer.setCacheMode(QGraphicsItem.NoCache)     # vectors, at full resolution
        try:
            export_widget(self.viewport(), path)
        finally:
            self.edge_layer.setCacheMode(QGraphicsItem.DeviceCoordinateCache)

    def contextMenuEvent(self, event):
        menu = QMenu(self)
        export = menu.addAction("Export view\u2026")
        fixed = QAction("Fixed edge width scale (growth shows)", menu, checkable=True)
        fixed.setChecked(self.fixed_scale)
        menu.addAction(fixed)
        values = QAction(f"Write weights on edges (up to {VALUE_LABEL_LIMIT} edges)", menu,
                         checkable=True)
        values.setChecked(self.show_values)
        menu.addAction(values)
        fit = menu.addAction("Fit to window")
        chosen = menu.exec(event.globalPos())
        if chosen is export:
            self._on_export_requested()
        elif chosen is fixed:
            self.set_fixed_scale(fixed.isChecked())
        elif chosen is values:
            self.set_show_values(values.isChecked())
        elif chosen is fit:
            self._fit()
            self._restyle()

    def _on_export_requested(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export view", "network.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            self.export_image(path)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self, "Export view", str(error))
