"""Each weight written on its edge, for networks small enough to read them all (the default
net has 18 edges): the numbers, not only the thickness, can be read off the diagram.

Labels sit at each edge's point farthest from the other edges (layout.py's pick_point),
turned to run along their edge, so that where edges crowd it is still plain which number is
whose; they keep their pixel size whatever the zoom. Where two labels would overlap, the larger
weight's label is written and the other left to the hover text; no label covers a neuron, and
near-zero weights, drawn faint, are left to the hover text too.
"""
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem

from netsim.snapshot import NEAR_ZERO
from ui.network.painter_state import world_transform
from ui.network.weight_editor import format_value

VALUE_LABEL_LIMIT = 64          # edges: beyond this the numbers would cover the diagram
ALONG = (0.5, 0.38, 0.62, 0.3, 0.7)   # where else on its edge a label may go, in turn
BACKGROUND = QColor(255, 255, 255, 215)
TEXT = QColor(35, 35, 35)


class EdgeValues(QGraphicsItem):
    def __init__(self, points: list, segments, bounds: QRectF, obstacles: list):
        """points: (x, y) scene point of each edge's label, in flat weight order; segments:
        (x1, y1, x2, y2) of each edge, in the same order, along which a label may move when its
        point is taken; obstacles: scene rectangles no label may cover (the neurons and bias
        knobs)."""
        super().__init__()
        self._points = [[QPointF(float(x), float(y))] +
                        [QPointF(x1 + t * (x2 - x1), y1 + t * (y2 - y1)) for t in ALONG]
                        for (x, y), (x1, y1, x2, y2) in zip(points, segments.tolist())]
        self._directions = [(x2 - x1, y2 - y1) for x1, y1, x2, y2 in segments.tolist()]
        self._obstacles = obstacles
        self._texts = [""] * len(points)
        self._order = list(range(len(points)))     # largest |w| first: those win a place
        self._laid_out = None                       # (transform, layout) last worked out
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
            # near-zero weights are drawn faint: a number floating by an edge one can hardly
            # see is not written (hovering shows it)
            self._order = sorted((k for k in range(len(values)) if abs(values[k]) >= NEAR_ZERO),
                                 key=lambda k: -abs(values[k]))
            self._laid_out = None
            self.update()

    def texts(self) -> list:
        return list(self._texts)

    def layout(self, transform: QTransform) -> dict:
        """{edge: (x, y, angle, width, height)} of the labels written when drawn through
        `transform`: centre in device pixels, angle in degrees, box size. Largest |w| first,
        each at the first of its points where it covers no neuron and no label placed before
        it. Kept until the texts or the transform change: the view repaints every item at
        every frame. Plain numbers, not Qt objects, are kept from one paint to the next."""
        key = (transform.m11(), transform.m22(), transform.dx(), transform.dy())
        if self._laid_out is not None and self._laid_out[0] == key:
            return self._laid_out[1]
        placed = [QPolygonF(transform.mapRect(rect)) for rect in self._obstacles]
        labels = {}
        height = self._metrics.height()
        for k in self._order:
            width = self._metrics.horizontalAdvance(self._texts[k]) + 6
            dx, dy = self._directions[k]
            angle = math.degrees(math.atan2(dy * transform.m22(), dx * transform.m11()))
            for point in self._points[k]:
                centre = transform.map(point)
                label = (centre.x(), centre.y(), angle, width, height)
                outline = _to_device(label).map(QPolygonF(_box(label)))
                if not any(outline.intersects(other) for other in placed):
                    placed.append(outline)
                    labels[k] = label
                    break
        self._laid_out = (key, labels)
        return labels

    def outlines(self, transform: QTransform) -> dict:
        """{edge: QPolygonF} where the written labels lie in device pixels."""
        return {k: _to_device(label).map(QPolygonF(_box(label)))
                for k, label in self.layout(transform).items()}

    def paint(self, painter: QPainter, option, widget=None):
        labels = self.layout(world_transform(painter))
        painter.save()
        painter.setFont(self._font)
        for k, label in labels.items():
            box = _box(label)
            x, y, angle = label[:3]
            painter.resetTransform()                   # device pixels: readable at any zoom
            painter.translate(x, y)
            painter.rotate(angle)
            painter.setPen(Qt.NoPen)
            painter.setBrush(BACKGROUND)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QPen(TEXT))
            painter.drawText(box, Qt.AlignCenter, self._texts[k])
        painter.restore()


def _to_device(label) -> QTransform:
    """Label coordinates (centred on the label, along its edge) to device pixels."""
    x, y, angle = label[:3]
    transform = QTransform.fromTranslate(x, y)
    transform.rotate(angle)          # not chained: rotate() returns a reference into the
    return transform                 # temporary that fromTranslate() made


def _box(label) -> QRectF:
    width, height = label[3:]
    return QRectF(-width / 2, -height / 2, width, height)
