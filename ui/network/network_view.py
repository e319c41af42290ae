"""The network diagram: every neuron, every weight, every bias; hover to read, click to edit.

It draws the Snapshot it is given and emits what the user asked for; it never calls the
trainer. Items are built once per architecture (sizes and names) into a Diagram
(ui/network/diagram.py); a frame only restyles them: all edges live in one EdgeLayer, neurons
get new thumbnails, bias knobs new colours.

This module holds NetworkView itself: its signals, building the diagram for the window and
drawing each snapshot. It owns three helpers and hands them its events: Interaction
(interaction.py) the mouse: hovering, editing, nudging, the +/- buttons; Zoom (zoom.py)
fitting to the window, zooming and resizing; ViewMenu (view_menu.py) the right-click menu.
"""
import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QLabel

from netsim.snapshot import NEAR_ZERO
from ui.network.captions import (add_controls, add_names, add_summaries, layer_header,
                                 name_style, names_width_px, summary_text)
from ui.network.diagram import Diagram
from ui.network.edge_layer import LARGE_WEIGHT, EdgeLayer, edge_style
from ui.network.edge_values import VALUE_LABEL_LIMIT, EdgeValues
from ui.network.export import drawn_afresh, export_widget
from ui.network.interaction import Interaction
from ui.network.items import BiasLayer, Neuron, NeuronLayer, stacked_image
from ui.network.layout import NEURON_PITCH, NEURON_SIZE, column_height, layout_network
from ui.network.legend import NetworkLegend
from ui.network.neuron_maps import layer_levels, normalised, rgba_images
from ui.network.norm_watch import NormWatch
from ui.network.palette import lut_color, lut_colors, weight_lut
from ui.network.view_menu import ViewMenu
from ui.network.weight_editor import WeightEditor
from ui.network.zoom import MAX_ZOOM, Zoom
from ui.neuron_names import neuron_names
from ui.throttle import Throttle

FIXED_SCALE = LARGE_WEIGHT   # fixed width scale: a weight at the "large" mark is the widest
CONTROLS_HALF_WIDTH_PX = 60  # half the "N hidden layers" caption centred over the inputs
CONTROLS_PX = 100            # above the columns: headers (up to two lines), captions, +/- buttons
SUMMARIES_PX = 68            # below the columns: "dead" labels and three-line summaries


def dropout_marks(snapshot, share: bool) -> list | None:
    """Per layer of neurons, (width,) how switched off each neuron is drawn: 1 for the units
    dropout dropped for the last step's first example (or, with `share`, the share of the
    batch that dropped each); 0 for inputs, outputs and layers without dropout. None when the
    last step dropped nothing."""
    per_hidden = snapshot.dropped_units if not share else (
        None if snapshot.kept_units is None else
        [None if kept is None else 1.0 - kept for kept in snapshot.kept_units])
    if per_hidden is None:
        return None
    widths = snapshot.sizes
    return [np.zeros(widths[0])] + [np.zeros(n) if m is None else np.asarray(m, dtype=float)
                                    for n, m in zip(widths[1:-1], per_hidden)] + \
        [np.zeros(widths[-1])]


class NetworkView(QGraphicsView):
    """The diagram of a network; its helpers handle the mouse, the zoom and the menu."""

    weight_edited = Signal(int, int, int, float)   # layer l, from i, to j, new value
    bias_edited = Signal(int, int, float)          # weights index l (bias of neuron j of layer l+1)
    layers_changed = Signal(tuple)                 # the new tuple of hidden widths
    neuron_hovered = Signal(int, int)              # layer (0 = inputs .. L = outputs), index;
                                                   # (-1, -1) when the mouse leaves it
    activation_chosen = Signal(object)             # the new activation: a name for every
                                                   # hidden layer, or a tuple of one each

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
        self.diagram: Diagram | None = None     # built at the first snapshot
        self.fixed_scale = False
        self.show_values = True      # weights written on the edges of small networks
        self.dropout_share = False   # dropout marks: the batch's share, not the first example
        self.running = False         # while training runs the marks of one step are noise
        self._value_writer = Throttle(self, self._write_values)   # numbers on the edges
        self._legend_writer = Throttle(self, self._write_legend)  # and in the legend
        self._structure = None
        self._norm_watch = NormWatch()
        self.legend = NetworkLegend(self.viewport())
        self.legend.mode_toggled.connect(lambda: self.set_fixed_scale(not self.fixed_scale))
        self.info = QLabel(self.viewport())
        self.info.setStyleSheet("QLabel { background: rgba(255,255,255,230); color: #202020;"
                                " border: 1px solid #c8c8c8; border-radius: 4px;"
                                " padding: 3px 6px; }")
        self.info.setWordWrap(True)
        self.info.hide()
        self.verdicts = QLabel(self.viewport())   # plain sentences about sick layers
        self.verdicts.setStyleSheet("QLabel { background: rgba(255,245,235,235); color: #8a2a00;"
                                    " border: 1px solid #e0b090; border-radius: 4px;"
                                    " padding: 3px 6px; }")
        self.verdicts.hide()
        self.editor = WeightEditor(self.viewport())
        self.interaction = Interaction(self)
        self.zoom = Zoom(self)
        self.menu = ViewMenu(self)

    # ---- drawing a snapshot ---------------------------------------------------------------

    def show_snapshot(self, snapshot) -> None:
        """Draw this Snapshot; items are rebuilt only when the architecture or names change."""
        structure = (tuple(snapshot.sizes), tuple(snapshot.feature_names),
                     tuple(snapshot.class_names), snapshot.task,
                     snapshot.config.per_layer("activation"), snapshot.config.per_layer("dropout"))
        if structure != self._structure:
            self._build(structure)
        self.snapshot = snapshot
        self.restyle()

    def relayout(self):
        """Lay the diagram out anew for the window's present shape."""
        self._structure = None
        self.show_snapshot(self.snapshot)

    def _build(self, structure):
        scene = self.scene()
        self.interaction.forget()
        scene.clear()
        self._value_writer.reset()              # the old labels went with the scene
        self._structure = structure
        sizes = structure[0]
        names = neuron_names(*structure[:4])
        layout, name_styles = self._plan_layout(sizes, names)
        scene.setSceneRect(QRectF(0, 0, layout.width, layout.height))
        segments = np.vstack(layout.segments)
        edge_layer = EdgeLayer(segments, scene.sceneRect())
        neuron_layer = NeuronLayer(layout.centres, scene.sceneRect())
        bias_layer = BiasLayer(layout.centres[1:], scene.sceneRect())
        for item in (edge_layer, neuron_layer, bias_layer):
            scene.addItem(item)
        edge_values = None
        if layout.n_edges <= VALUE_LABEL_LIMIT:
            points = [layout.pick_point(l, i, j) for l, n in enumerate(sizes[:-1])
                      for i in range(n) for j in range(sizes[l + 1])]
            # no label may cover a neuron or a bias knob
            obstacles = [n.rect for layer in neuron_layer.neurons for n in layer] + \
                [knob.rect for layer in bias_layer.knobs for knob in layer]
            edge_values = EdgeValues(points, segments, scene.sceneRect(), obstacles)
            edge_values.setVisible(self.show_values)
            scene.addItem(edge_values)
        self.diagram = Diagram(layout, names, structure[1], self.viewport().size(), edge_layer,
                               neuron_layer, bias_layer, edge_values)
        add_names(scene, layout, names, name_styles, self.diagram.feature)
        self.diagram.summaries = add_summaries(scene, layout)
        gap_px = (layout.column_x[1] - layout.column_x[0]) * self.zoom.fit_scale(layout)
        headers = [layer_header(a, d, gap_px) for a, d in zip(structure[4], structure[5])]
        add_controls(scene, layout, tuple(sizes[1:-1]), gap_px, self._ask_layers, headers,
                     self.menu.choose_activation)
        self._map_pixels = [None] * len(sizes)
        self._norm_watch = NormWatch()
        self.zoom.fit()

    def _plan_layout(self, sizes, names):
        """(layout, name styles): a layout that fills the window, with room for the names,
        whose size is in pixels: the scale decides how many scene units they take, and the
        layout decides the scale. The styles are (point size, stride) of the inputs' names
        and of the outputs'."""
        viewport = self.viewport().size()
        room = viewport.height() - self.zoom.legend_strip() - CONTROLS_PX - SUMMARIES_PX
        scale = min(max(room, 1) / column_height(sizes), MAX_ZOOM)
        styles = [name_style(column, NEURON_PITCH * scale) for column in (names[0], names[-1])]
        left_px = max(names_width_px(names[0], styles[0]), CONTROLS_HALF_WIDTH_PX)
        right_px = names_width_px(names[-1], styles[1])
        half = NEURON_SIZE / 2
        for _ in range(3):
            layout = layout_network(sizes, viewport.width() / scale, half + left_px / scale,
                                    half + right_px / scale, CONTROLS_PX / scale,
                                    SUMMARIES_PX / scale)
            fitted = self.zoom.fit_scale(layout)
            if fitted >= scale * 0.98:
                break
            scale = fitted
        return layout, styles

    def _ask_layers(self, hidden: tuple):
        self.layers_changed.emit(tuple(int(w) for w in hidden))

    def restyle(self):
        """Per frame: pens of the edges, thumbnails, bias colours, marks and summaries."""
        snapshot, diagram, lut = self.snapshot, self.diagram, weight_lut()
        # the trainer keeps weights finite; a non-finite one must not break the drawing
        weights = np.nan_to_num(np.concatenate([w.ravel() for w in snapshot.weights]))
        largest = float(np.abs(weights).max()) if weights.size else 0.0
        biases = [np.nan_to_num(np.asarray(b, dtype=float)) for b in snapshot.biases]
        if not self.fixed_scale:
            largest = max(largest, max((float(np.abs(b).max()) for b in biases), default=0.0))
        scale = FIXED_SCALE if self.fixed_scale else (largest if largest > 0 else 1.0)
        max_width = self._max_edge_width()
        marks = None if self.running else dropout_marks(snapshot, self.dropout_share)
        diagram.edge_layer.set_style(
            edge_style(weights, scale, max_width, len(lut),
                       None if marks is None else self._dropped_edges(marks)),
            lut, max_width, self.pixel())
        if diagram.edge_values is not None:
            self._value_writer.submit(weights)
        diagram.bias_layer.set_colours(lut_colors(lut, np.concatenate(biases) / scale))
        self._draw_neurons(snapshot, lut)
        for l, dead in enumerate(snapshot.dead_units):
            shares = marks[l] if marks is not None else np.zeros(len(dead))
            for neuron, is_dead, share in zip(diagram.neurons[l], np.asarray(dead).tolist(),
                                              shares.tolist()):
                neuron.set_dead(bool(is_dead))
                neuron.set_dimmed(share)
        self._write_verdicts(snapshot.verdicts)
        diagram.neuron_layer.update()
        self._write_summaries(snapshot)
        self._legend_writer.submit((scale, max_width, self.fixed_scale, lut))
        self.interaction.refresh()

    def _dropped_edges(self, marks: list) -> np.ndarray | None:
        """(n_edges,) bool: the edges into and out of units fully switched off, drawn dashed
        (only the first example's mask switches a unit fully off)."""
        if self.dropout_share:
            return None
        sizes = self.diagram.layout.sizes
        faint = [np.logical_or.outer(marks[l] >= 1.0, marks[l + 1] >= 1.0).ravel()
                 for l in range(len(sizes) - 1)]
        return np.concatenate(faint)

    def _write_verdicts(self, verdicts):
        self.verdicts.setText("\n".join(verdicts))
        self.verdicts.setVisible(bool(verdicts))
        self.verdicts.adjustSize()
        self.zoom.place_overlays()

    def choose_layer_activation(self, k: int, name: str, every: bool = False):
        """Ask for activation `name` in hidden layer k, or in every hidden layer."""
        if every:
            self.activation_chosen.emit(name)
            return
        names = list(self.snapshot.config.per_layer("activation"))
        names[k] = name
        self.activation_chosen.emit(names[0] if len(set(names)) == 1 else tuple(names))

    def show_running(self, running: bool):
        """Training runs (dropout marks would flicker: shown only while it stands still)."""
        self.running = bool(running)
        if self.snapshot is not None:
            self.restyle()

    def set_dropout_share(self, share: bool):
        """Dropout marks: the share of the batch that dropped each unit, or the first example."""
        self.dropout_share = bool(share)
        if self.snapshot is not None:
            self.restyle()

    def pixel(self) -> float:
        """Scene units per screen pixel at the present zoom."""
        return 1.0 / max(self.transform().m11(), 1e-6)

    def _write_legend(self, state):
        scale, max_width, fixed, lut = state
        self.legend.set_state(scale, max_width, fixed, lut, LARGE_WEIGHT, NEAR_ZERO)
        self.zoom.place_overlays()

    def _write_values(self, weights):
        if self.diagram.edge_values is not None:
            self.diagram.edge_values.set_values(weights)

    def _draw_neurons(self, snapshot, lut):
        plane, neurons = snapshot.plane, self.diagram.neurons
        if plane is None:
            # no plane to draw on: each neuron a disc coloured by its bias (inputs neutral)
            for l, layer in enumerate(neurons):
                for j, neuron in enumerate(layer):
                    value = 0.0 if l == 0 else float(snapshot.biases[l - 1][j])
                    neuron.set_disc(lut_color(lut, np.tanh(value)))
            return
        for l, layer in enumerate(neurons):
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
        gaps = np.diff(self.diagram.layout.column_x) * self.transform().m11()
        for label, summary, rise, gap in zip(self.diagram.summaries, snapshot.layers, rises,
                                             gaps):
            label.set_text(*summary_text(summary, rise, gap))

    def _max_edge_width(self) -> float:
        """Widest edge in pixels: wide enough to read on a small net, thin enough on a dense one."""
        pitch_px = NEURON_PITCH * self.transform().m11()
        return float(np.clip(pitch_px * 0.14, 2.0, 9.0))

    # ---- display options and export -------------------------------------------------------

    def set_fixed_scale(self, fixed: bool):
        """Edge widths: fixed (1 px is always the same |w|, so growth shows) or auto-scaled."""
        self.fixed_scale = bool(fixed)
        if self.snapshot is not None:
            self.restyle()

    def set_show_values(self, show: bool):
        """Write each weight on its edge (networks of up to VALUE_LABEL_LIMIT edges)."""
        self.show_values = bool(show)
        if self.diagram is not None and self.diagram.edge_values is not None:
            self.diagram.edge_values.setVisible(self.show_values)

    def edge_value_texts(self) -> list:
        """The numbers written on the edges, in flat weight order; [] when none are shown."""
        values = self._shown_edge_values()
        return [] if values is None else values.texts()

    def written_edge_values(self) -> dict:
        """{flat edge index: QPolygonF} of the numbers written on screen, in viewport pixels."""
        values = self._shown_edge_values()
        return {} if values is None else values.outlines(self.viewportTransform())

    def _shown_edge_values(self) -> EdgeValues | None:
        values = None if self.diagram is None else self.diagram.edge_values
        return values if values is not None and values.isVisible() else None

    def fit_to_window(self):
        if self.diagram is None:
            return
        self.zoom.fit()
        self.restyle()

    def export_image(self, path: str):
        """Save what the view shows, legend included, as PNG (twice the screen's pixels) or SVG
        (vectors), by the suffix of `path`: the picture, not what the mouse is over. Raises
        ValueError for another suffix and OSError if the file cannot be written."""
        with drawn_afresh(self.scene(), self.diagram.edge_layer), self.interaction.hidden():
            export_widget(self.viewport(), path)

    # ---- where things are (the diagram's answers, for tests and the legend) ----------------

    def hit_test(self, scene_pos: QPointF):
        """What is under a scene point: ("bias", l, j), ("neuron", l, j), ("edge", l, i, j) or
        None."""
        return None if self.diagram is None else self.diagram.hit_test(scene_pos, self.pixel())

    def edge_pick_point(self, l: int, i: int, j: int) -> QPointF:
        """Scene point near the middle of edge weights[l][i, j] where only that edge is hit."""
        return self.diagram.edge_pick_point(l, i, j)

    def bias_position(self, l: int, j: int) -> QPointF:
        """Scene point of the bias knob of neuron j of layer l + 1."""
        return self.diagram.bias_position(l, j)

    def neuron_position(self, l: int, j: int) -> QPointF:
        return self.diagram.neuron_position(l, j)

    def neuron_item(self, l: int, j: int) -> Neuron:
        return self.diagram.neuron(l, j)

    def edge_pen(self, l: int, i: int, j: int):
        """The pen edge weights[l][i, j] is drawn with now."""
        return self.edge_layer.pen_of(self.diagram.flat_edge(l, i, j))

    def edge_is_haloed(self, l: int, i: int, j: int) -> bool:
        """True if edge weights[l][i, j] is highlighted as a large weight."""
        return self.edge_layer.has_halo(self.diagram.flat_edge(l, i, j))

    @property
    def edge_layer(self) -> EdgeLayer:
        return self.diagram.edge_layer

    def summary_text(self, l: int) -> str:
        return self.diagram.summaries[l].text

    # ---- the mouse (Interaction), the wheel and the window's size (Zoom), the menu ---------

    @property
    def hover_text(self) -> str:
        return self.interaction.hover_text

    def hover_at(self, scene_pos: QPointF):
        """Hover the point as the mouse would: highlight, info text, tooltip, signals."""
        self.interaction.hover(self.hit_test(scene_pos))

    def begin_edit(self, target, view_pos=None):
        """Open the in-place editor for ("edge", l, i, j) or ("bias", l, j)."""
        self.interaction.begin_edit(target, view_pos)

    def nudge(self, target, delta: float):
        """Change ("edge", l, i, j) or ("bias", l, j) by delta, as an edit."""
        self.interaction.nudge(target, delta)

    def mouseMoveEvent(self, event):
        super().mouseMoveEvent(event)
        if self.diagram is not None:
            self.interaction.mouse_moved(event)

    def leaveEvent(self, event):
        super().leaveEvent(event)
        if self.diagram is not None:
            self.interaction.hover(None)

    def mousePressEvent(self, event):
        if event.button() == Qt.LeftButton and self.diagram is not None \
                and self.interaction.pressed(event):
            return
        super().mousePressEvent(event)

    def wheelEvent(self, event):
        """Zoom about the mouse (a double-click on empty space fits the window again). With
        Shift over an edge or a bias, the wheel nudges its value instead."""
        if self.diagram is None:
            return
        if event.modifiers() & Qt.ShiftModifier:
            self.interaction.wheel_nudge(event)
        else:
            self.zoom.wheel(event)

    def mouseDoubleClickEvent(self, event):
        if self.hit_test(self.mapToScene(event.position().toPoint())) is None:
            self.fit_to_window()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.diagram is not None and self.snapshot is not None:
            self.zoom.resized()
        else:
            self.zoom.place_overlays()

    def contextMenuEvent(self, event):
        self.menu.open(event.globalPos())
