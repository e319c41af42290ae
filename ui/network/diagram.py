"""The items of one built diagram and where each sits.

NetworkView builds a Diagram when the architecture or the names change, and restyles its items
every frame; its helpers ask it what lies under a point (geometrically, through layout.py, not
per item, so 8,000 edges cost nothing to hover), where an item sits, and to mark one hovered.

Targets name what a point can hit: ("edge", l, i, j) is weights[l][i, j]; ("bias", l, j) the
bias of neuron j of layer l + 1; ("neuron", l, j) neuron j of layer l (0 = inputs).
"""
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QSize

from ui.network.edge_layer import EdgeLayer
from ui.network.edge_values import EdgeValues
from ui.network.items import BIAS_SIZE, BiasLayer, LabelItem, Neuron, NeuronLayer
from ui.network.layout import NetworkLayout

EDGE_TOLERANCE_PX = 5.0      # how near the mouse must be to an edge to pick it


@dataclass
class Diagram:
    layout: NetworkLayout
    names: list                  # names[l][j]: what neuron j of layer l is called on screen
    feature_names: tuple         # the full name of each input (names[0] may be shortened)
    laid_out_for: QSize          # the window size the layout was planned for
    edge_layer: EdgeLayer        # every edge, in flat order: weights[0] row by row, then [1]...
    neuron_layer: NeuronLayer
    bias_layer: BiasLayer
    edge_values: EdgeValues | None   # the weights written on the edges of small networks
    summaries: list[LabelItem] = field(default_factory=list)   # under each weight layer
    offsets: np.ndarray = field(init=False)   # flat edge index of weights[l][0, 0]

    def __post_init__(self):
        self.offsets = np.concatenate([[0], np.cumsum([len(s) for s in self.layout.segments])])

    @property
    def neurons(self) -> list:
        return self.neuron_layer.neurons

    @property
    def biases(self) -> list:
        return self.bias_layer.knobs

    def flat_edge(self, l: int, i: int, j: int) -> int:
        """Index of edge weights[l][i, j] in the edge layer."""
        return int(self.offsets[l]) + i * self.layout.sizes[l + 1] + j

    def hit_test(self, scene_pos: QPointF, pixel: float):
        """The target under a scene point, or None; `pixel` is scene units per screen pixel.
        Bias knobs sit on their neuron's corner, so they are tested first."""
        x, y = scene_pos.x(), scene_pos.y()
        reach = BIAS_SIZE / 2 + 2 * pixel
        for l, knobs in enumerate(self.biases):
            for j, knob in enumerate(knobs):
                if abs(knob.x() - x) <= reach and abs(knob.y() - y) <= reach:
                    return ("bias", l, j)
        neuron = self.layout.neuron_at(x, y)
        if neuron is not None:
            return ("neuron", *neuron)
        edge = self.layout.nearest_edge(x, y, EDGE_TOLERANCE_PX * pixel)
        return None if edge is None else ("edge", *edge)

    def mark(self, target, on: bool):
        """Draw the target hovered (on) or not."""
        kind = target[0]
        if kind == "edge":
            self.edge_layer.set_highlight(self.flat_edge(*target[1:]) if on else None)
        elif kind == "bias":
            self.biases[target[1]][target[2]].set_hovered(on)
        else:
            self.neurons[target[1]][target[2]].set_hovered(on)

    def edge_pick_point(self, l: int, i: int, j: int) -> QPointF:
        """A point near the middle of the edge where only that edge is hit."""
        return QPointF(*self.layout.pick_point(l, i, j))

    def bias_position(self, l: int, j: int) -> QPointF:
        return self.biases[l][j].pos()

    def neuron_position(self, l: int, j: int) -> QPointF:
        return self.neurons[l][j].pos()

    def neuron(self, l: int, j: int) -> Neuron:
        return self.neurons[l][j]

    def feature(self, j: int) -> str:
        """The full name of input j ("" for an input without one)."""
        return self.feature_names[j] if j < len(self.feature_names) else ""
