"""What the mouse does on the network diagram: hovering, clicking, editing and nudging.

Interaction is owned by NetworkView. It reads the view's diagram (what lies where) and
snapshot (the values), highlights and describes the hovered target in the info label and a
tooltip, runs the +/- buttons, and turns clicks, the in-place editor and Shift+wheel into the
view's weight_edited and bias_edited signals. The view hands it the mouse events it gets.
"""
import contextlib

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolTip

from ui.network.items import ControlButton, TextButton
from ui.network.weight_editor import format_value

NUDGE = 0.05                 # Shift + one wheel notch over an edge or bias changes it by this
EDIT_HINT = "(click to edit, Shift+wheel to nudge)"


def _fmt(value) -> str:
    return "\u2014" if value is None else format_value(float(value))


class Interaction:
    """Hover, clicks and edits on a NetworkView (`view`), through its editor and info label."""

    def __init__(self, view):
        self.view = view
        self.hovered = None          # the target under the mouse (see ui/network/diagram.py)
        self.editing = None          # the target the editor is open for
        self.hover_text = ""
        view.editor.accepted.connect(self._on_edit_accepted)
        view.editor.closed.connect(self._on_edit_closed)

    # ---- hovering -------------------------------------------------------------------------

    def hover(self, target):
        """Make `target` (or None) the hovered one: mark, info text, cursor, neuron_hovered."""
        if target == self.hovered:
            return
        previous, self.hovered = self.hovered, target
        diagram = self.view.diagram
        if previous is not None:
            diagram.mark(previous, False)
        if target is not None:
            diagram.mark(target, True)
        was_neuron = previous is not None and previous[0] == "neuron"
        is_neuron = target is not None and target[0] == "neuron"
        if is_neuron:
            self.view.neuron_hovered.emit(target[1], target[2])
        elif was_neuron:
            self.view.neuron_hovered.emit(-1, -1)
        self.view.viewport().setCursor(Qt.PointingHandCursor if target and target[0] != "neuron"
                                       else Qt.ArrowCursor)
        if target is None:
            self.hover_text = ""
            self.view.info.hide()
        else:
            self._show_info(self._describe(target))

    def forget(self):
        """The diagram is about to be rebuilt: nothing is hovered, the editor closes."""
        self.hover(None)
        self.view.editor.cancel()

    def refresh(self):
        """After a new frame: the hovered target's text and the editor follow the values."""
        if self.hovered is not None:
            self._show_info(self._describe(self.hovered))
        if self.editing is not None:                 # training may have moved the value
            self.view.editor.follow(self._value_of(self.editing))

    @contextlib.contextmanager
    def hidden(self):
        """The picture without what the mouse is over (no hover outline, no hover text), while
        the view is exported."""
        diagram, hovered, info = self.view.diagram, self.hovered, self.view.info
        info_shown = info.isVisible()
        if hovered is not None:
            diagram.mark(hovered, False)
        info.hide()
        try:
            yield
        finally:
            if hovered is not None:
                diagram.mark(hovered, True)
            info.setVisible(info_shown)

    def mouse_moved(self, event):
        view = self.view
        button = self._button_at(event.position().toPoint())
        if button is not None:
            self.hover(None)
            view.viewport().setCursor(Qt.PointingHandCursor if button.enabled else Qt.ArrowCursor)
            return
        self.hover(view.hit_test(view.mapToScene(event.position().toPoint())))
        if self.hovered is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.hover_text, view.viewport())
        else:
            QToolTip.hideText()

    def _show_info(self, text: str):
        self.hover_text = text
        self.view.info.setText(text)
        self.view.info.adjustSize()
        self.view.info.show()

    def _describe(self, target) -> str:
        s, diagram = self.view.snapshot, self.view.diagram
        names = diagram.names
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
            text += f"   input: {diagram.feature(j)}"
        else:
            text += f"   bias {_fmt(s.biases[l - 1][j])}"
        if s.dead_units[l][j]:
            text += "   dead: outputs 0 for every training example, so its weights stop learning"
        return text

    # ---- clicking: +/- and editing --------------------------------------------------------

    def _button_at(self, view_pos):
        for item in self.view.items(view_pos):
            if isinstance(item, (ControlButton, TextButton)):
                return item
        return None

    def pressed(self, event) -> bool:
        """A left click: a +/- button acts, an edge or a bias opens the editor, anything else
        closes it. True if the click was used here."""
        view = self.view
        view_pos = event.position().toPoint()
        button = self._button_at(view_pos)
        if button is not None:
            if button.enabled:
                button.action()
            return True
        target = view.hit_test(view.mapToScene(view_pos))
        if target is not None and target[0] in ("edge", "bias"):
            self.begin_edit(target, view_pos)
            return True
        view.editor.cancel()
        return False

    def nudge(self, target, delta: float):
        """Change ("edge", l, i, j) or ("bias", l, j) by delta, as an edit."""
        value = float(self._value_of(target) + delta)
        if target[0] == "edge":
            self.view.weight_edited.emit(*target[1:], value)
        else:
            self.view.bias_edited.emit(*target[1:], value)

    def wheel_nudge(self, event):
        """Shift + wheel over an edge or a bias: change its value by NUDGE per notch."""
        target = self.view.hit_test(self.view.mapToScene(event.position().toPoint()))
        if target is not None and target[0] in ("edge", "bias"):
            delta = event.angleDelta().y() or event.angleDelta().x()   # Shift may turn it
            self.nudge(target, NUDGE * np.sign(delta))

    def begin_edit(self, target, view_pos=None):
        """Open the in-place editor for ("edge", l, i, j) or ("bias", l, j)."""
        diagram = self.view.diagram
        names, value = diagram.names, self._value_of(target)
        if target[0] == "edge":
            l, i, j = target[1:]
            title = f"weight {names[l][i]} \u2192 {names[l + 1][j]}"
            anchor = diagram.edge_pick_point(l, i, j)
        else:
            l, j = target[1:]
            title = f"bias of {names[l + 1][j]}"
            anchor = diagram.bias_position(l, j)
        if view_pos is None:
            view_pos = self.view.mapFromScene(anchor)
        self.editing = target
        self.hover(target)
        self.view.editor.open(title, value, view_pos)

    def _value_of(self, target) -> float:
        """The snapshot's value of ("edge", l, i, j) or ("bias", l, j)."""
        snapshot = self.view.snapshot
        if target[0] == "edge":
            return float(snapshot.weights[target[1]][target[2], target[3]])
        return float(snapshot.biases[target[1]][target[2]])

    def _on_edit_accepted(self, value: float):
        target = self.editing
        if target is None:
            return
        if target[0] == "edge":
            self.view.weight_edited.emit(*target[1:], value)
        else:
            self.view.bias_edited.emit(*target[1:], value)

    def _on_edit_closed(self):
        self.editing = None
        self.view.setFocus()

