"""The edges' picture on screen: rendered once per look into an image of device pixels.

Qt's raster engine fills a line scanline by scanline, and a scanline costs about the same
whether it crosses one pixel or twenty. Between two columns of neurons the edges are mostly
steep: an edge from the top of a 32-neuron column to the bottom of the next crosses 700
scanlines but only 80 pixel columns. Rendered with x and y swapped, the same edge crosses 80
scanlines, and the picture costs 2 to 3 times less (the 7,424 edges of the largest network:
about 10-16 ms instead of 25-40, measured here); swapping the image back costs about 2 ms.
A network whose edges run more across than down (wide gaps, short columns) is drawn unswapped.

The image is kept while the edges' look, the view's transform and the visible area stay the
same, so hovering, editing and the legend repaint without drawing a line.
"""
import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QImage, QPainter, QTransform

from ui.network.painter_state import world_transform

SWAP_AXES = QTransform(0, 1, 1, 0, 0, 0)      # (x, y) -> (y, x)
FORMAT = QImage.Format_ARGB32_Premultiplied   # 4 bytes a pixel: rows need no padding


def runs_down(segments: np.ndarray) -> bool:
    """Whether these segments (x1, y1, x2, y2 rows) cross more rows than columns in all."""
    return float(np.abs(segments[:, 3] - segments[:, 1]).sum()) > \
        float(np.abs(segments[:, 2] - segments[:, 0]).sum())


class EdgeRaster:
    """A cached picture of a set of lines in device pixels.

    `draw(painter, widget, bounds, swap, render)` blits the picture of `bounds` (item
    coordinates) as `painter` would draw it on `widget`, calling `render(painter)` to paint the
    lines again only when the look changed (`invalidate`) or the view moved. Returns False,
    drawing nothing, when the painter is rotated or sheared; the caller then draws vectors.
    """

    def __init__(self):
        self._key = None
        self._image = None        # what is blitted, and the array that holds its pixels
        self._pixels = None
        self._scratch = None      # what the lines are painted into, reused while its size holds

    def invalidate(self):
        self._key = None

    def draw(self, painter: QPainter, widget, bounds: QRectF, swap: bool, render) -> bool:
        world = world_transform(painter)
        if widget is None or world.type().value > QTransform.TxScale.value:
            return False
        ratio = widget.devicePixelRatioF()
        to_device = world * QTransform.fromScale(ratio, ratio)      # item -> device pixels
        screen = QRect(0, 0, round(widget.width() * ratio), round(widget.height() * ratio))
        visible = to_device.mapRect(bounds).toAlignedRect().intersected(screen)
        if visible.isEmpty():
            return True
        key = (to_device.m11(), to_device.m22(), to_device.dx(), to_device.dy(),
               visible.getRect(), ratio, swap)
        if key != self._key:
            self._render(to_device * QTransform.fromTranslate(-visible.x(), -visible.y()),
                         visible.width(), visible.height(), swap, render)
            self._image.setDevicePixelRatio(ratio)
            self._key = key
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPointF(visible.x() / ratio, visible.y() / ratio), self._image)
        painter.restore()
        return True

    def _render(self, to_image: QTransform, width: int, height: int, swap: bool, render):
        """Paint the lines through `to_image` into self._image, width x height pixels."""
        shape = (width, height) if swap else (height, width)       # (rows, columns) rendered
        if self._scratch is None or (self._scratch.height(), self._scratch.width()) != shape:
            self._scratch = QImage(shape[1], shape[0], FORMAT)
        self._scratch.fill(0)
        # the scratch image may be the one last blitted, which carries the screen's pixel
        # ratio; painted at that ratio the lines would come out scaled by it a second time
        self._scratch.setDevicePixelRatio(1.0)
        painter = QPainter(self._scratch)
        painter.setTransform(to_image * SWAP_AXES if swap else to_image)
        render(painter)
        painter.end()
        if not swap:
            self._pixels, self._image = None, self._scratch
            return
        rendered = np.frombuffer(self._scratch.constBits(), np.uint32,
                                 count=width * height).reshape(shape)
        if self._pixels is None or self._pixels.shape != (height, width):
            self._pixels = np.empty((height, width), np.uint32)
        np.copyto(self._pixels, rendered.T)
        self._image = QImage(self._pixels.data, width, height, 4 * width, FORMAT)
