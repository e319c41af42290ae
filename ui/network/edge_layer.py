"""Every edge of the network in one QGraphicsItem, drawn with a few batched drawLines calls.

Thousands of edge items cost Qt far more than they draw; one item that groups its lines by pen,
rendered the fast way round (ui/network/edge_raster.py), draws 7,424 edges in 10-20 ms
(bench/network_view.py). Edges are grouped by a quantized pen
(style, width step, colour step), so a frame makes a couple of hundred drawLines calls, not
8,000, and pens are made once and cached.

The style of an edge tells what one watches weights for:
  faint, dashed   |w| < NEAR_ZERO: the connection contributes (almost) nothing; or its unit
                  was switched off by dropout in the step shown
  red halo        |w| >= LARGE_WEIGHT: a weight growing large (saturation, divergence ahead)
"""
from dataclasses import dataclass

import numpy as np
import shiboken6
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from netsim.snapshot import NEAR_ZERO
from ui.network.edge_raster import EdgeRaster, runs_down
from ui.network.palette import lut_index

LARGE_WEIGHT = 4.0          # |w| from here on is highlighted: tanh/sigmoid units saturate soon
WIDTH_STEP = 0.5            # px: widths are quantized to this, so edges share pens
COLOR_STEPS = 24            # colour levels per sign
MIN_WIDTH = 0.6             # px: the thinnest drawn edge, so every edge stays visible
DENSE_MIN_WIDTH = 1.5       # px, past ANTIALIAS_LIMIT edges: unsmoothed; 1 px lines take Qt's
                            # pixel-by-pixel cosmetic path, 2-5x slower (measured here)
HALO_EXTRA = 5.0            # px added around large weights for their red halo
HALO_COLOR = QColor(235, 80, 80)   # opaque: translucent pens cost 5-10x in the raster engine
FAINT_STRENGTH = 0.45       # near-zero edges keep this much of their colour, the rest is white
FAINT_DASHES = [8.0, 4.0]   # dash, gap in pen widths: Qt's default 4, 2 made the 226 faint edges
                            # of a trained 8 x 32 net cost a fifth of all 7,424 (measured here)
ANTIALIAS_LIMIT = 2000      # edges: above this, antialiasing costs more than it shows
STYLE_FAINT, STYLE_NORMAL = 0, 1
ROUNDS = 4                  # interleaved drawing rounds per width (see edge_style)
LINE_BYTES = 4 * 8          # a QLineF in memory: x1, y1, x2, y2 as doubles


def min_width(n_edges: int) -> float:
    return MIN_WIDTH if n_edges <= ANTIALIAS_LIMIT else DENSE_MIN_WIDTH


def edge_widths(abs_weights: np.ndarray, scale: float, max_width: float,
                thinnest: float = MIN_WIDTH) -> np.ndarray:
    """Pixel width of each edge: proportional to |w|, max_width at |w| = scale, never thinner
    than `thinnest`, never wider than max_width (the legend says what a pixel means)."""
    width = max_width * abs_weights / scale if scale > 0 else np.zeros_like(abs_weights)
    return np.clip(width, thinnest, max(max_width, thinnest))


@dataclass(frozen=True)
class EdgeStyle:
    """How every edge is drawn this frame, computed from the flat weights (numpy only)."""
    order: np.ndarray       # edge indices, grouped by pen, drawing order (thin and faint first)
    bounds: np.ndarray      # group g is order[bounds[g]:bounds[g + 1]]
    keys: list              # (style, width_step, colour_row) of each group
    large: np.ndarray       # indices of edges drawn with a halo
    edge_keys: np.ndarray   # (n_edges,) the pen key of every edge: equal keys, equal picture


def edge_style(weights: np.ndarray, scale: float, max_width: float, lut_size: int,
               faint: np.ndarray | None = None) -> EdgeStyle:
    """faint: (n_edges,) bool, edges to draw faint and dashed whatever their weight (those of a
    unit dropout switched off)."""
    abs_w = np.abs(weights)
    thinnest = min_width(len(weights))
    widths = edge_widths(abs_w, scale, max_width, thinnest)
    width_step = np.rint(widths / WIDTH_STEP).astype(np.int64)
    t = weights / scale if scale > 0 else np.zeros_like(weights)
    colour_step = np.rint(np.clip(t, -1, 1) * COLOR_STEPS).astype(np.int64) + COLOR_STEPS
    quiet = abs_w < NEAR_ZERO if faint is None else (abs_w < NEAR_ZERO) | faint
    style = np.where(quiet, STYLE_FAINT, STYLE_NORMAL)
    # drawing order: faint before solid, thin before wide, weak colour before strong, so the
    # strongest weights lie on top; edges of equal look are split into ROUNDS interleaved
    # rounds that alternate which sign goes first, so neither colour covers the other
    magnitude = np.abs(colour_step - COLOR_STEPS)
    positive = (colour_step > COLOR_STEPS).astype(np.int64)
    rounds = np.arange(len(weights)) % ROUNDS
    sign_order = positive ^ (rounds % 2)
    key = (((style * 1000 + width_step) * (COLOR_STEPS + 1) + magnitude) * ROUNDS + rounds) * 2 \
        + sign_order
    order = np.argsort(key, kind="stable")
    ordered_keys = key[order]
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(ordered_keys)) + 1, [len(key)]])
    unique = ordered_keys[bounds[:-1]]
    # each group's (style, width step, colour row), decoded from its key in one pass
    rest, sign_bit = np.divmod(unique, 2)
    rest, group_round = np.divmod(rest, ROUNDS)
    rest, mag = np.divmod(rest, COLOR_STEPS + 1)
    group_style, group_width = np.divmod(rest, 1000)
    sign = np.where(sign_bit ^ (group_round % 2), 1, -1)
    rows = lut_index(sign * mag / COLOR_STEPS, lut_size)
    keys = list(zip(group_style.tolist(), group_width.tolist(), rows.tolist()))
    return EdgeStyle(order, bounds, keys, np.flatnonzero(abs_w >= LARGE_WEIGHT), key)


class EdgeLayer(QGraphicsItem):
    """All edges, drawn below the neurons. Hit-testing is the view's (layout.py).

    On screen the picture is an EdgeRaster: rendered in device pixels, the fast way round, and
    kept while nothing changes, so hovering, the editor and the legend repaint the view without
    redrawing 8,000 lines, and a frame whose pens did not change keeps it. The hovered edge is
    outlined by a separate small item so that the picture survives hovering. Exports set
    `vectors` and get the lines themselves, at the export's own resolution.
    """

    def __init__(self, segments: np.ndarray, bounds: QRectF):
        """segments: (n_edges, 4) x1, y1, x2, y2 in the order of the flattened weights."""
        super().__init__()
        self._segments = np.ascontiguousarray(segments, dtype=np.float64)
        self._ordered = self._segments.copy()   # in drawing order, as QLineF memory
        self._halo = self._segments[:0]  # the segments of large weights, likewise
        self._bounds = bounds
        self._raster = EdgeRaster()
        self._swap = len(segments) > 0 and runs_down(segments)
        self.vectors = False
        self._groups: list = []          # (QPen, first, count) into _ordered, in drawing order
        self._halo_edges: set = set()
        self._highlight = EdgeHighlight(self)
        self._highlighted = None         # flat index of the outlined edge
        self._drawn = None               # (edge keys, large, halo width) of the cached picture
        self._pens: dict = {}
        self._lut = None
        self._group_of_edge = np.zeros(len(segments), dtype=np.intp)
        self._halo_width = HALO_EXTRA
        self._pixel = 1.0                # scene units per screen pixel
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(-1)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_style(self, style: EdgeStyle, lut: np.ndarray, max_width: float, pixel: float):
        """pixel: scene units per screen pixel at the view's scale. Widths are given in screen
        pixels (what the legend promises) but pens are made in scene units, so that exports
        to PNG at twice the size, or to SVG, keep the proportions of the screen."""
        if self._lut is None or not np.array_equal(self._lut, lut) or pixel != self._pixel:
            self._pens.clear()
            self._lut = lut.copy()
            self._pixel = pixel
            self._drawn = None
        drawn = self._drawn
        if (drawn is not None and np.array_equal(drawn[0], style.edge_keys)
                and np.array_equal(drawn[1], style.large) and drawn[2] == max_width):
            return
        self._drawn = (style.edge_keys, style.large, max_width)
        np.take(self._segments, style.order, axis=0, out=self._ordered)
        bounds = style.bounds.tolist()
        self._groups = [(self._pen(key), a, b - a)
                        for key, a, b in zip(style.keys, bounds[:-1], bounds[1:])]
        self._group_of_edge[style.order] = np.repeat(np.arange(len(style.keys)),
                                                      np.diff(style.bounds))
        self._halo_edges = set(style.large.tolist())
        self._halo = np.ascontiguousarray(self._segments[style.large])
        self._halo_width = (max_width + HALO_EXTRA) * pixel
        self.set_highlight(self._highlighted)       # its pen may have changed
        self._raster.invalidate()
        self.update()

    @property
    def n_edges(self) -> int:
        return len(self._segments)

    def has_halo(self, k: int) -> bool:
        return k in self._halo_edges

    def pen_of(self, k: int) -> QPen:
        """The pen edge k (flat index) is drawn with."""
        return self._groups[int(self._group_of_edge[k])][0]

    def set_highlight(self, k: int | None):
        """Draw edge k (flat index) outlined on top of the others; None for none."""
        self._highlighted = k
        if k is None:
            self._highlight.show_line(None, None, self._pixel)
        else:
            self._highlight.show_line(QLineF(*self._segments[k].tolist()), self.pen_of(k),
                                      self._pixel)

    def _pen(self, key) -> QPen:
        pen = self._pens.get(key)
        if pen is None:
            style, width_step, row = key
            rgb = self._lut[row, :3].astype(float)
            if style == STYLE_FAINT:        # paler by mixing with white, not by transparency
                rgb = 255 - (255 - rgb) * FAINT_STRENGTH
            colour = QColor(*(int(c) for c in rgb))
            pen = QPen(colour, width_step * WIDTH_STEP * self._pixel)
            pen.setCapStyle(Qt.FlatCap)
            if style == STYLE_FAINT:
                pen.setDashPattern(FAINT_DASHES)
            self._pens[key] = pen
        return pen

    def paint(self, painter: QPainter, option, widget=None):
        if self.vectors or not self._raster.draw(painter, widget, self._bounds, self._swap,
                                                 self._draw_lines):
            self._draw_lines(painter)

    def _draw_lines(self, painter: QPainter):
        painter.setRenderHint(QPainter.Antialiasing, len(self._segments) <= ANTIALIAS_LIMIT)
        if len(self._halo):
            painter.setPen(QPen(HALO_COLOR, self._halo_width))
            _draw_segments(painter, self._halo.ctypes.data, 0, len(self._halo))
        address = self._ordered.ctypes.data
        for pen, first, count in self._groups:
            painter.setPen(pen)
            _draw_segments(painter, address, first, count)


def _draw_segments(painter: QPainter, address: int, first: int, count: int):
    """drawLines straight from memory: rows first .. first + count - 1 of the C-contiguous
    (n, 4) float64 array at `address`, laid out as QLineF is, so no list of 8,000 QLineF is
    made or converted."""
    painter.drawLines(shiboken6.wrapInstance(address + first * LINE_BYTES, QLineF), count)


class EdgeHighlight(QGraphicsItem):
    """The hovered or edited edge, drawn again on top with a dark outline."""

    def __init__(self, parent: EdgeLayer):
        super().__init__(parent)
        self._line = None
        self._pen = None
        self._pixel = 1.0
        self._rect = QRectF()
        self.setAcceptedMouseButtons(Qt.NoButton)

    def show_line(self, line: QLineF | None, pen: QPen | None, pixel: float):
        """pixel: scene units per screen pixel, for the outline's width."""
        self.prepareGeometryChange()
        self._line, self._pen, self._pixel = line, pen, pixel
        self._rect = QRectF() if line is None else QRectF(line.p1(), line.p2()).normalized()
        self.update()

    def boundingRect(self) -> QRectF:
        margin = (self._pen.widthF() if self._pen is not None else 0.0) + 3.0 * self._pixel
        return self._rect.adjusted(-margin, -margin, margin, margin)

    def paint(self, painter: QPainter, option, widget=None):
        if self._line is None:
            return
        painter.setRenderHint(QPainter.Antialiasing)
        outline = QPen(QColor(20, 20, 20), self._pen.widthF() + 3.0 * self._pixel)
        outline.setCapStyle(Qt.FlatCap)
        painter.setPen(outline)
        painter.drawLine(self._line)
        own = QPen(self._pen)
        own.setStyle(Qt.SolidLine)
        painter.setPen(own)
        painter.drawLine(self._line)
