"""Each weight written on its edge, for networks small enough to read them all (the default
net has 18 edges): the numbers, not only the thickness, can be read off the diagram.

Labels sit at each edge's point farthest from the other edges (network_layout.pick_point) and
keep their pixel size whatever the zoom. Where two labels would overlap, the larger weight's
label is written and the other left to the hover text; no label covers a neuron.
"""
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from ui.weight_editor import format_value

VALUE_LABEL_LIMIT = 64          # edges: beyond this the numbers would cover the diagram
BACKGROUND = QColor(255, 255, 255, 215)
TEXT = QColor(35, 35, 35)


class EdgeValues(QGraphicsItem):
    def __init__(self, points: list, bounds: QRectF, obstacles: list):
        """points: (x, y) scene point of each edge's label, in flat weight order;
        obstacles: scene rectangles no label may cover (the neurons)."""
        super().__init__()
        self._points = [QPointF(float(x), float(y)) for x, y in points]
        self._obstacles = obstacles
        self._texts = [""] * len(points)
        self._order = list(range(len(points)))     # largest |w| first: those win a place
        self._bounds = bounds
        self._font = QFont()
        self._font.setPointSizeF(7.5)
        self._metrics = QFontMetricsF(self._font)
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.setZValue(-0.5)         # above the edges, below neurons and bias knobs

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_values(self, values):
        values = [float(v) for v in values]
        texts = [format_value(v) for v in values]
        if texts != self._texts:
            self._texts = texts
            self._order = sorted(range(len(values)), key=lambda k: -abs(values[k]))
            self.update()

    def texts(self) -> list:
        return list(self._texts)

    def paint(self, painter: QPainter, option, widget=None):
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()             # write in device pixels: readable at any zoom
        painter.setFont(self._font)
        height = self._metrics.height()
        placed = [transform.mapRect(rect) for rect in self._obstacles]
        for k in self._order:
            text = self._texts[k]
            centre = transform.map(self._points[k])
            width = self._metrics.horizontalAdvance(text) + 6
            box = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
            if any(box.intersects(other) for other in placed):
                continue
            placed.append(box)
            painter.setPen(Qt.NoPen)
            painter.setBrush(BACKGROUND)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QPen(TEXT))
            painter.drawText(box, Qt.AlignCenter, text)
        painter.restore()
