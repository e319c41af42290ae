"""Save a widget as it looks on screen: PNG (pixels, twice the screen's size) or SVG (vectors,
through QtSvg's QSvgGenerator; the view's items and overlays paint into it as on screen)."""
import contextlib
from pathlib import Path

from PySide6.QtCore import QPoint, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

PNG_SCALE = 2.0


def export_widget(widget, path) -> None:
    """Write `widget` to `path`, PNG or SVG by its suffix. ValueError for another suffix,
    OSError when the file cannot be written; nothing is written in either case."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("png", "svg"):
        shown = f"\u201c.{suffix}\u201d" if suffix else "a name without a suffix"
        raise ValueError(f"cannot export as {shown}: choose a name ending in .png or .svg")
    if not path.parent.is_dir():
        raise OSError(f"could not write {path}: the folder {path.parent} does not exist")
    if suffix == "png":
        _export_png(widget, path)
    else:
        _export_svg(widget, path)


def _export_png(widget, path: Path):
    image = QImage(widget.size() * PNG_SCALE, QImage.Format_ARGB32)
    image.setDevicePixelRatio(PNG_SCALE)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    widget.render(painter, QPoint(0, 0))
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}: check that the folder is writable")


def _export_svg(widget, path: Path):
    size = widget.size()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    # the screen's resolution, not the generator's 72 dpi: text set in points keeps its size
    # against the drawing, and the file opens as large as the view was on screen
    generator.setResolution(round(widget.logicalDpiX()))
    generator.setTitle("NetSim network")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"could not write {path}: check that the folder is writable")
    widget.render(painter, QPoint(0, 0))
    painter.end()


@contextlib.contextmanager
def drawn_afresh(scene, edge_layer):
    """While exporting: every item of the scene drawn anew at the export's resolution (vectors
    in SVG), not from the pictures kept for the screen."""
    cached = [(item, item.cacheMode()) for item in scene.items()
              if item.cacheMode() != QGraphicsItem.NoCache]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.NoCache)
    edge_layer.vectors = True
    try:
        yield
    finally:
        edge_layer.vectors = False
        for item, mode in cached:
            item.setCacheMode(mode)
