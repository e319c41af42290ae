"""What the mouse does on the network diagram: hit-testing, hovering, editing, nudging.

NetworkInteraction is a mixin of NetworkView (ui/network/network_view.py). It finds what lies under a
point (bias knob, neuron or edge, geometrically through network_layout), answers where each
item sits and how it is drawn, highlights and describes the hovered item in the info label
and tooltip, runs the +/- buttons, and turns clicks, the in-place editor and Shift+wheel into
the view's weight_edited and bias_edited signals. It relies on the state NetworkView builds
(_layout, _biases, _neurons, _offsets, _names, editor, info, snapshot...).
"""
import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QToolTip

from ui.network.items import BIAS_SIZE, ControlButton, Neuron
from ui.network.weight_editor import format_value

NUDGE = 0.05                 # Shift + one wheel notch over an edge or bias changes it by this
EDGE_TOLERANCE_PX = 5.0      # how near the mouse must be to an edge to pick it
EDIT_HINT = "(click to edit, Shift+wheel to nudge)"


def _fmt(value) -> str:
    return "\u2014" if value is None else format_value(float(value))


class NetworkInteraction:
    """Hit-testing, hover and editing for NetworkView; not usable on its own."""

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

    def _wheel_nudge(self, event):
        """Shift + wheel over an edge or a bias: change its value by NUDGE per notch."""
        target = self.hit_test(self.mapToScene(event.position().toPoint()))
        if target is not None and target[0] in ("edge", "bias"):
            delta = event.angleDelta().y() or event.angleDelta().x()   # Shift may turn it
            self.nudge(target, NUDGE * np.sign(delta))

    def begin_edit(self, target, view_pos=None):
        """Open the in-place editor for ("edge", l, i, j) or ("bias", l, j)."""
        names, value = self._names, self._value_of(target)
        if target[0] == "edge":
            l, i, j = target[1:]
            title = f"weight {names[l][i]} \u2192 {names[l + 1][j]}"
            anchor = self.edge_pick_point(l, i, j)
        else:
            l, j = target[1:]
            title = f"bias of {names[l + 1][j]}"
            anchor = self.bias_position(l, j)
        if view_pos is None:
            view_pos = self.mapFromScene(anchor)
        self._editing = target
        self._set_hover(target)
        self.editor.open(title, float(value), view_pos)

    def _value_of(self, target) -> float:
        """The snapshot's value of ("edge", l, i, j) or ("bias", l, j)."""
        if target[0] == "edge":
            return float(self.snapshot.weights[target[1]][target[2], target[3]])
        return float(self.snapshot.biases[target[1]][target[2]])

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
