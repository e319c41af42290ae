"""Where every neuron and edge of the network diagram sits, and which edge a point is on.

Pure geometry in scene units (numpy only), so the drawing code and the hit test agree by
construction. Layer 0 (the inputs) is the leftmost column; each column is centred vertically.
Edge k of weight layer l is `weights[l].ravel()[k]`, i.e. k = i * sizes[l + 1] + j.
"""
from dataclasses import dataclass

import numpy as np

NEURON_SIZE = 40.0          # side of a neuron's thumbnail
NEURON_PITCH = 56.0         # vertical distance between neuron centres
MIN_COLUMN_GAP = 120.0      # horizontal distance between layer centres, at least
MAX_COLUMN_GAP = 480.0      # and at most: farther apart, the eye loses which edge goes where
SIDE_MARGIN = 120.0         # left of the inputs and right of the outputs, for their names
TOP_MARGIN = 90.0           # above the tallest column, for the +/- controls
BOTTOM_MARGIN = 70.0        # below it, for the per-layer summaries


@dataclass(frozen=True)
class NetworkLayout:
    sizes: tuple
    column_x: np.ndarray        # (L + 1,) x of each layer's centre line
    centres: list               # centres[l]: (sizes[l], 2) neuron centres of layer l
    segments: list              # segments[l]: (sizes[l] * sizes[l+1], 4) x1, y1, x2, y2 per edge
    height: float               # of the whole diagram, from y = 0 downwards
    width: float
    columns_top: float          # y of the top of the tallest column
    columns_bottom: float       # y of the bottom of the tallest column

    @property
    def n_edges(self) -> int:
        return sum(len(s) for s in self.segments)

    def column_top(self, l: int) -> float:
        return float(self.centres[l][0, 1]) - NEURON_SIZE / 2

    def column_bottom(self, l: int) -> float:
        return float(self.centres[l][-1, 1]) + NEURON_SIZE / 2

    def nearest_edge(self, x: float, y: float, tolerance: float):
        """(l, i, j) of the edge closest to (x, y) within `tolerance`, or None.

        Points inside a neuron's box belong to the neuron, not to the edges leaving it."""
        best, best_distance = None, tolerance
        for l, seg in enumerate(self.segments):
            x1, x2 = seg[0, 0], seg[0, 2]          # every edge of a layer spans the same columns
            if not x1 + NEURON_SIZE / 2 <= x <= x2 - NEURON_SIZE / 2:
                continue
            distance = _distances_to_segments(seg, x, y)
            k = int(np.argmin(distance))
            if distance[k] <= best_distance:
                best, best_distance = (l, *divmod(k, self.sizes[l + 1])), distance[k]
        return best

    def pick_point(self, l: int, i: int, j: int):
        """A point on edge weights[l][i, j], near its middle, as far from every other edge as
        can be found (crossing edges share their midpoints in a symmetric layout)."""
        seg = self.segments[l]
        k = i * self.sizes[l + 1] + j
        x1, y1, x2, y2 = seg[k]
        others = np.delete(seg, k, axis=0)
        if not len(others):
            return (x1 + x2) / 2, (y1 + y2) / 2
        ts = np.linspace(0.25, 0.75, 51)
        clearance = [_distances_to_segments(others, x1 + t * (x2 - x1), y1 + t * (y2 - y1)).min()
                     for t in ts]
        t = ts[int(np.argmax(clearance))]
        return x1 + t * (x2 - x1), y1 + t * (y2 - y1)

    def neuron_at(self, x: float, y: float):
        """(l, j) of the neuron whose box contains (x, y), or None."""
        half = NEURON_SIZE / 2
        l = int(np.argmin(np.abs(self.column_x - x)))
        if abs(self.column_x[l] - x) > half:
            return None
        dy = np.abs(self.centres[l][:, 1] - y)
        j = int(np.argmin(dy))
        return (l, j) if dy[j] <= half else None


def _distances_to_segments(seg: np.ndarray, x: float, y: float) -> np.ndarray:
    """(n,) distance from (x, y) to each segment of seg (n, 4)."""
    px, py = seg[:, 0], seg[:, 1]
    dx, dy = seg[:, 2] - px, seg[:, 3] - py
    t = np.clip(((x - px) * dx + (y - py) * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0.0, 1.0)
    return np.hypot(px + t * dx - x, py + t * dy - y)


def column_height(sizes) -> float:
    """Height of the tallest column, from the top of its first neuron to the bottom of its last."""
    return (max(sizes) - 1) * NEURON_PITCH + NEURON_SIZE


def layout_network(sizes, width: float | None = None, left: float = SIDE_MARGIN,
                   right: float = SIDE_MARGIN, top: float = TOP_MARGIN,
                   bottom: float = BOTTOM_MARGIN) -> NetworkLayout:
    """Positions for a network of `sizes` (inputs, hidden..., outputs).

    `width`: the scene width the window can show at the scale the diagram will get; columns
    spread to fill it (between MIN_ and MAX_COLUMN_GAP apart) instead of huddling in the middle.
    `left`, `right`, `top`, `bottom`: room for names, controls and summaries around the columns
    (the view sizes these from pixels, since text keeps its size when the diagram scales)."""
    sizes = tuple(int(s) for s in sizes)
    tallest = column_height(sizes)
    height = top + tallest + bottom
    gaps = max(len(sizes) - 1, 1)
    wanted = MIN_COLUMN_GAP if width is None else (width - left - right) / gaps
    gap = min(max(MIN_COLUMN_GAP, wanted), MAX_COLUMN_GAP)
    column_x = left + gap * np.arange(len(sizes), dtype=float)
    middle = top + tallest / 2
    centres = []
    for n in sizes:
        ys = middle + (np.arange(n, dtype=float) - (n - 1) / 2) * NEURON_PITCH
        centres.append(np.column_stack([np.full(n, column_x[len(centres)]), ys]))
    segments = []
    for a, b in zip(centres[:-1], centres[1:]):
        starts = np.repeat(a, len(b), axis=0) + [NEURON_SIZE / 2, 0.0]
        ends = np.tile(b, (len(a), 1)) - [NEURON_SIZE / 2, 0.0]
        segments.append(np.hstack([starts, ends]))
    width = column_x[-1] + right
    return NetworkLayout(sizes, column_x, centres, segments, height, width, top, top + tallest)
