"""The items of the network diagram besides the edges: neurons, bias knobs, +/- buttons, labels.

Neurons and bias knobs are plain state painted by one item per kind (NeuronLayer, BiasLayer):
264 small items cost more in Qt's bookkeeping than they take to draw. Everything is built once
per architecture; a frame only hands over new images and colours. Nothing here handles the
mouse: the view hit-tests by geometry, one place for all.
"""
import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEngine,
                           QPen, QPolygonF)
from PySide6.QtWidgets import QGraphicsItem

from ui.network.layout import NEURON_SIZE
from ui.network.painter_state import world_transform
from ui.network.palette import lut_color

BIAS_SIZE = 11.0
BORDER = QColor(90, 90, 90)
BORDER_PEN = QPen(BORDER, 1.0)
HOVER_PEN = QPen(QColor(20, 20, 20), 2.5)
DEAD_OVERLAY = QColor(90, 90, 90)
DEAD_FILL = QColor(215, 215, 215, 170)
DEAD_PEN = QPen(QColor(60, 60, 60), 2.0)
DEAD_FONT = QFont()
DEAD_FONT.setPointSizeF(7.0)
DEAD_WORD_SCALE = 0.75       # "dead" is written under a neuron drawn at least this large
CURVE_BACKGROUND = QColor(248, 248, 248)
UNSET_BIAS = QColor(230, 230, 230)      # a knob before the first snapshot colours it
AXIS_PEN = QPen(QColor(190, 190, 190), 0)
DROPPED_ALPHA = 200          # a neuron dropout switched off shows this much white over it


def stacked_image(pixels: np.ndarray) -> tuple:
    """(QImage, [QRectF]) for maps pixels (n, h, w, 4) uint8 stacked top to bottom in one
    image (one QImage per layer, not per neuron, per frame). The QImage views the buffer:
    the caller keeps `pixels` alive as long as the image is drawn."""
    n, h, w = pixels.shape[:3]
    image = QImage(pixels.data, w, n * h, 4 * w, QImage.Format_RGBA8888)
    return image, [QRectF(0, k * h, w, h) for k in range(n)]


class Neuron:
    """One neuron's look: a thumbnail of its output over the input plane (a curve for 1-D
    data, a disc when there is no plane), and whether it is dead or hovered. Plain state: the
    NeuronLayer paints every neuron in one pass (hundreds of items cost more than they draw)."""

    def __init__(self, layer: "NeuronLayer", centre):
        self._layer = layer
        half = NEURON_SIZE / 2
        self.rect = QRectF(float(centre[0]) - half, float(centre[1]) - half,
                           NEURON_SIZE, NEURON_SIZE)
        self._image = None           # QImage holding this neuron's map (shared by its layer)
        self._source = None          # QRectF of this neuron's map within _image
        self._curve = None           # QPolygonF in scene coordinates, for 1-D data
        self._curve_colour = None
        self._disc = None            # QColor when there is no plane
        self.dead = False
        self.hovered = False
        self.dimmed = 0.0            # 1: dropped by dropout in the step shown; a share between

    def pos(self) -> QPointF:
        return self.rect.center()

    def image(self) -> QImage | None:
        """The neuron's map as drawn (a copy), or None if it shows a curve or a disc."""
        return None if self._image is None else self._image.copy(self._source.toRect())

    def curve(self) -> QPolygonF | None:
        return self._curve

    def disc(self) -> QColor | None:
        return self._disc

    def set_image(self, image: QImage, source: QRectF):
        """Show the part `source` of `image` (a layer's maps stacked in one image)."""
        self._image, self._source = image, source
        self._curve = self._disc = None

    def set_curve(self, t: np.ndarray, lut: np.ndarray):
        """t: (res,) output over the line, normalised to [-1, 1]."""
        inner = self.rect.adjusted(3, 3, -3, -3)
        xs = inner.left() + inner.width() * np.linspace(0.0, 1.0, len(t))
        ys = inner.center().y() - t * inner.height() / 2
        self._curve = QPolygonF([QPointF(x, y) for x, y in zip(xs.tolist(), ys.tolist())])
        self._curve_colour = lut_color(lut, float(t.mean())).darker(140)
        self._image = self._disc = None

    def set_disc(self, colour: QColor):
        self._disc = colour
        self._image = self._curve = None

    def set_dead(self, dead: bool):
        self.dead = dead

    def set_dimmed(self, share: float):
        """Show the neuron switched off by dropout: 1 fully (the step's first example), a
        share between 0 and 1 for the share of the batch that dropped it."""
        self.dimmed = float(share)

    def set_hovered(self, hovered: bool):
        if hovered != self.hovered:
            self.hovered = hovered
            self._layer.update()

    def paint(self, painter: QPainter, crop: bool = False):
        """crop: hand the painter this neuron's own image, not a part of its layer's (the SVG
        engine embeds the whole source image, ignoring the source rectangle)."""
        rect = self.rect
        if self._image is not None and crop:
            painter.drawImage(rect, self.image())
        elif self._image is not None:
            painter.drawImage(rect, self._image, self._source)
        elif self._curve is not None:
            painter.fillRect(rect, CURVE_BACKGROUND)
            painter.setPen(AXIS_PEN)
            y = rect.center().y()
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(QPen(self._curve_colour, 2.0))
            painter.drawPolyline(self._curve)
        elif self._disc is not None:
            painter.setPen(BORDER_PEN)
            painter.setBrush(self._disc)
            painter.drawEllipse(rect.adjusted(4, 4, -4, -4))
            painter.setBrush(Qt.NoBrush)
        if self.dimmed > 0:
            painter.fillRect(rect, QColor(255, 255, 255, int(DROPPED_ALPHA * self.dimmed)))
        if self.dead:
            painter.fillRect(rect, DEAD_FILL)
            painter.fillRect(rect, QBrush(DEAD_OVERLAY, Qt.BDiagPattern))
            painter.setPen(DEAD_PEN)
            painter.drawLine(rect.topLeft(), rect.bottomRight())
            painter.drawLine(rect.topRight(), rect.bottomLeft())
            if world_transform(painter).m22() >= DEAD_WORD_SCALE:     # else a smudge
                painter.setFont(DEAD_FONT)
                painter.drawText(QRectF(rect.left() - 10, rect.bottom(), rect.width() + 20, 12),
                                 Qt.AlignCenter, "dead")


class NeuronLayer(QGraphicsItem):
    """Every neuron of the network, painted in one pass; borders are drawn in one call."""

    def __init__(self, centres: list, bounds: QRectF):
        """centres[l]: (sizes[l], 2) neuron centres of layer l."""
        super().__init__()
        self.neurons = [[Neuron(self, c) for c in layer] for layer in centres]
        self._all = [n for layer in self.neurons for n in layer]
        self._borders = [n.rect for n in self._all]
        self._bounds = bounds
        self.setAcceptedMouseButtons(Qt.NoButton)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None):
        painter.setRenderHint(QPainter.Antialiasing, len(self._all) < 100)
        crop = painter.paintEngine().type() != QPaintEngine.Raster
        for neuron in self._all:
            neuron.paint(painter, crop)
        painter.setBrush(Qt.NoBrush)
        painter.setPen(BORDER_PEN)
        painter.drawRects(self._borders)
        hovered = [n.rect for n in self._all if n.hovered]
        if hovered:
            painter.setPen(HOVER_PEN)
            painter.drawRects(hovered)


class BiasKnob:
    """The bias of one neuron: a small square at its lower left, coloured by the bias."""

    def __init__(self, layer: "BiasLayer", centre):
        self._layer = layer
        half = NEURON_SIZE / 2
        x = float(centre[0]) - half - BIAS_SIZE / 2 - 1
        y = float(centre[1]) + half - BIAS_SIZE / 2
        self.rect = QRectF(x - BIAS_SIZE / 2, y - BIAS_SIZE / 2, BIAS_SIZE, BIAS_SIZE)
        self.hovered = False

    def pos(self) -> QPointF:
        return self.rect.center()

    def x(self) -> float:
        return self.rect.center().x()

    def y(self) -> float:
        return self.rect.center().y()

    def set_hovered(self, hovered: bool):
        if hovered != self.hovered:
            self.hovered = hovered
            self._layer.update()


class BiasLayer(QGraphicsItem):
    """Every bias knob, painted in one pass above the neurons."""

    def __init__(self, centres: list, bounds: QRectF):
        """centres[l]: neuron centres of layer l + 1 (inputs have no bias)."""
        super().__init__()
        self.knobs = [[BiasKnob(self, c) for c in layer] for layer in centres]
        self._all = [k for layer in self.knobs for k in layer]
        self._rects = [k.rect for k in self._all]
        self._colours = [UNSET_BIAS] * len(self._all)
        self._bounds = bounds
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.setZValue(1)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_colours(self, colours: list):
        """One QColor per knob, layer by layer: the bias of every neuron past the inputs."""
        self._colours = colours
        self.update()

    def paint(self, painter: QPainter, option, widget=None):
        for rect, colour in zip(self._rects, self._colours):
            painter.fillRect(rect, colour)
        painter.setBrush(Qt.NoBrush)
        painter.setPen(BORDER_PEN)
        painter.drawRects(self._rects)
        hovered = [k.rect for k in self._all if k.hovered]
        if hovered:
            painter.setPen(HOVER_PEN)
            painter.drawRects(hovered)


class ControlButton(QGraphicsItem):
    """A small round + or - button; the view calls `action` when it is clicked and enabled."""

    SIZE = 20.0

    def __init__(self, symbol: str, action, tooltip: str, offset: QPointF = QPointF(0.0, 0.0)):
        """action: called without arguments; offset: pixels from the anchor to the centre."""
        super().__init__()
        self.symbol = symbol
        self.action = action
        self.enabled = True
        self.setToolTip(tooltip)
        self._rect = QRectF(-self.SIZE / 2, -self.SIZE / 2, self.SIZE, self.SIZE).translated(offset)
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations)     # stays clickable when small
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)     # repainted every frame

    def boundingRect(self) -> QRectF:
        return self._rect

    def set_enabled(self, enabled: bool):
        if enabled != self.enabled:
            self.enabled = enabled
            self.update()

    def paint(self, painter: QPainter, option, widget=None):
        painter.setRenderHint(QPainter.Antialiasing)
        colour = QColor(60, 60, 60) if self.enabled else QColor(190, 190, 190)
        painter.setPen(QPen(colour, 1.2))
        painter.setBrush(QColor(250, 250, 250))
        painter.drawEllipse(self._rect.adjusted(1, 1, -1, -1))
        painter.setPen(QPen(colour, 2.0))
        c = self._rect.center()
        painter.drawLine(c + QPointF(-5, 0), c + QPointF(5, 0))
        if self.symbol == "+":
            painter.drawLine(c + QPointF(0, -5), c + QPointF(0, 5))


class LabelItem(QGraphicsItem):
    """Text anchored at a scene point that keeps its screen size when the view is scaled, so
    names stay readable on a large network. `align` places the text left of, right of, or
    centred on the anchor; lines after the first go below."""

    def __init__(self, text: str = "", align=Qt.AlignLeft, point_size: float = 9.0,
                 colour: QColor = QColor(40, 40, 40), bold: bool = False,
                 offset: QPointF = QPointF(0.0, 0.0)):
        """offset: pixels from the anchor to the text's reference point."""
        super().__init__()
        self._offset = offset
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)     # most texts stay the same
        self._font = self.font_of(point_size, bold)
        self._align = align
        self._colour = colour
        self._text = None
        self._rect = QRectF()
        self.set_text(text)

    @staticmethod
    def font_of(point_size: float, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(point_size)
        font.setBold(bold)
        return font

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str, colour: QColor | None = None):
        if text == self._text and (colour is None or colour == self._colour):
            return
        self.prepareGeometryChange()
        self._text = text
        if colour is not None:
            self._colour = colour
        metrics = QFontMetricsF(self._font)
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines) + 2
        height = metrics.height() * len(lines)
        if self._align == Qt.AlignRight:
            left = -width
        elif self._align == Qt.AlignHCenter:
            left = -width / 2
        else:
            left = 0.0
        self._rect = QRectF(left, -metrics.height() / 2, width, height).translated(self._offset)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None):
        painter.setFont(self._font)
        painter.setPen(self._colour)
        painter.drawText(self._rect, int(self._align) | int(Qt.AlignTop), self._text)


class TextButton(LabelItem):
    """A caption that acts when clicked (the view calls `action`): a hidden layer's header,
    which offers that layer's activation."""

    def __init__(self, text: str, action, tooltip: str, point_size: float = 8.5,
                 offset: QPointF = QPointF(0.0, 0.0)):
        super().__init__(text, Qt.AlignHCenter, point_size, QColor(60, 60, 60), offset=offset)
        self._font.setUnderline(True)            # it can be clicked, as a link can
        self.action = action
        self.enabled = True
        self.setToolTip(tooltip)
        self.setCursor(Qt.PointingHandCursor)
