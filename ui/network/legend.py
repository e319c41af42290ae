"""The legend of the network view: what an edge's colour and pixel width mean right now.

An overlay in screen pixels (not in the scene), because edges are drawn with screen-pixel
widths: "1 px = 0.42" is then literally true whatever the zoom. Clicking it switches the width
scale between auto (the largest weight is the widest edge) and fixed (so growth shows). It
flows onto more lines when the view is narrow.
"""
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPaintEngine,
                           QPen, QPixmap)
from PySide6.QtWidgets import QWidget

from ui.network.palette import lut_color

PADDING = 6
BAR_WIDTH = 140          # px of the colour bar when there is room
MIN_BAR_WIDTH = 70
SAMPLE_LENGTH = 28       # px of each width sample
ROW_GAP = 4
WIDEST_NUMBER = 0.000888   # plans the flow for numbers this long ("0.000888")
INK = QColor(40, 40, 40)


class NetworkLegend(QWidget):
    mode_toggled = Signal()

    def __init__(self, parent):
        super().__init__(parent)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip("Click to switch the edge width scale between auto and fixed")
        self.scale = 1.0            # |w| drawn at full colour and full width
        self.max_width = 6.0        # px of the widest edge
        self.fixed = False
        self.large_weight = 4.0
        self.near_zero = 0.01
        self.available = 600        # px the view can give the legend
        self._lut = None
        self._cache = None           # QPixmap of the legend as last drawn
        self._shown = None           # what that picture shows (set_state)
        self._font = QFont()
        self._font.setPointSizeF(8.5)
        self._metrics = QFontMetricsF(self._font)
        self._rows = []              # (kind, detail) of each line, from _flow
        self._joined = True          # both explanations on one line

    def set_state(self, scale: float, max_width: float, fixed: bool, lut, large_weight: float,
                  near_zero: float):
        # what the picture shows: a new scale that prints the same numbers draws nothing new
        shown = (tuple(self.lines(scale, scale / max_width if max_width else 0.0)),
                 tuple(f"{scale * f:.3g}" for f in (0.25, 0.5, 1.0)), max_width, fixed,
                 large_weight, near_zero, bytes(memoryview(lut)) if lut is not None else None)
        self.scale, self.max_width, self.fixed = scale, max_width, fixed
        self.large_weight, self.near_zero, self._lut = large_weight, near_zero, lut
        if shown == self._shown:
            return
        self._shown = shown
        self._cache = None
        self.update()

    def fit_width(self, available: int) -> int:
        """Flow the legend into `available` pixels; returns its height. The flow is planned
        for the longest numbers, so the height does not change from frame to frame."""
        self.available = max(int(available), 160)
        self._flow()
        self._cache = None
        return self.height()

    def lines(self, scale: float | None = None, per_px: float | None = None) -> list:
        """The legend's words: the colour bar's ends, then the explanations (tests read these)."""
        scale = self.scale if scale is None else scale
        if per_px is None:
            per_px = self.scale / self.max_width if self.max_width else 0.0
        mode = "fixed scale" if self.fixed else "auto: widest = largest |w|"
        return [f"\u2212{scale:.3g}", f"+{scale:.3g}",
                f"width \u221d |w|: 1 px = {per_px:.3g} ({mode}; click to switch)",
                f"\u2504 |w| < {self.near_zero:g}   red halo |w| \u2265 {self.large_weight:g}"]

    def _samples_width(self) -> float:
        return sum(SAMPLE_LENGTH + 12 + self._metrics.horizontalAdvance(f"{self.scale * f:.3g}")
                   for f in (0.25, 0.5, 1.0))

    def _flow(self):
        """Decide the lines: bar and samples side by side if they fit, texts joined if they fit."""
        low, high, width_text, marks_text = self.lines(WIDEST_NUMBER, WIDEST_NUMBER)
        room = self.available - 2 * PADDING
        ends = self._metrics.horizontalAdvance(low) + self._metrics.horizontalAdvance(high) + 8
        bar = max(MIN_BAR_WIDTH, min(BAR_WIDTH, room - ends))
        samples = self._samples_width()
        if ends + bar + 18 + samples <= room:
            self._rows = [("bar+samples", bar)]
        else:
            self._rows = [("bar", bar), ("samples", None)]
        joined = f"{width_text}   {marks_text}"
        self._joined = self._metrics.horizontalAdvance(joined) + 8 <= room
        self._rows += [("text", 2)] if self._joined else [("text", 2), ("text", 3)]
        widest = max(ends + bar + (18 + samples if self._rows[0][0] == "bar+samples" else 0),
                     samples)
        widest = max(widest, self._metrics.horizontalAdvance(joined) + 8 if self._joined else
                     max(self._metrics.horizontalAdvance(width_text),
                         self._metrics.horizontalAdvance(marks_text)) + 8)
        height = sum(self._row_height(kind) for kind, _ in self._rows) + 2 * PADDING
        self.resize(int(min(widest, room)) + 2 * PADDING + 2, int(height))

    def _row_height(self, kind) -> float:
        return (16.0 if kind != "text" else self._metrics.height()) + ROW_GAP

    def mousePressEvent(self, event):
        if event.button() == Qt.LeftButton:
            self.mode_toggled.emit()

    def paintEvent(self, event):
        """Draws a cached picture: the legend repaints with every frame of the view behind it
        but changes only when the scale does. Exports (SVG) get vectors, not the picture."""
        if self._lut is None:
            return
        painter = QPainter(self)
        if painter.paintEngine().type() != QPaintEngine.Raster:
            self._draw(painter)
            painter.end()
            return
        if self._cache is None or self._cache.size() != self.size():
            self._cache = QPixmap(self.size())
            self._cache.fill(Qt.transparent)
            cache_painter = QPainter(self._cache)
            self._draw(cache_painter)
            cache_painter.end()
        painter.drawPixmap(0, 0, self._cache)
        painter.end()

    def _draw(self, painter: QPainter):
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(QColor(210, 210, 210)))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setFont(self._font)
        words = self.lines()
        texts = {2: f"{words[2]}   {words[3]}" if self._joined else words[2], 3: words[3]}
        room = self.width() - 2 * PADDING
        y = float(PADDING)
        for kind, detail in self._rows:
            middle = y + 8.0
            if kind == "text":
                painter.setPen(INK)
                text = self._metrics.elidedText(texts[detail], Qt.ElideRight, room)
                painter.drawText(QPointF(PADDING, y + self._metrics.ascent()), text)
            else:
                x = float(PADDING)
                if kind in ("bar", "bar+samples"):
                    x = self._draw_bar(painter, x, middle, detail)
                if kind in ("samples", "bar+samples"):
                    self._draw_samples(painter, x + (18 if kind == "bar+samples" else 0), middle)
            y += self._row_height(kind)

    def _draw_bar(self, painter, x, middle, bar_width) -> float:
        low, high = self.lines()[:2]
        baseline = middle + self._metrics.ascent() / 2 - 1
        painter.setPen(INK)
        painter.drawText(QPointF(x, baseline), low)
        x += self._metrics.horizontalAdvance(low) + 4
        gradient = QLinearGradient(x, 0, x + bar_width, 0)
        for stop in range(11):
            gradient.setColorAt(stop / 10, lut_color(self._lut, stop / 5 - 1))
        painter.fillRect(QRectF(x, middle - 4, bar_width, 8), gradient)
        x += bar_width + 4
        painter.drawText(QPointF(x, baseline), high)
        return x + self._metrics.horizontalAdvance(high)

    def _draw_samples(self, painter, x, middle):
        """What a width means: three sample strokes with their |w|."""
        baseline = middle + self._metrics.ascent() / 2 - 1
        for fraction in (0.25, 0.5, 1.0):
            pen = QPen(lut_color(self._lut, fraction), max(self.max_width * fraction, 0.6))
            pen.setCapStyle(Qt.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, middle), QPointF(x + SAMPLE_LENGTH, middle))
            painter.setPen(INK)
            label = f"{self.scale * fraction:.3g}"
            painter.drawText(QPointF(x + SAMPLE_LENGTH + 4, baseline), label)
            x += SAMPLE_LENGTH + 12 + self._metrics.horizontalAdvance(label)
