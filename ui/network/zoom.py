"""Fitting the network diagram to its window, zooming it, and following the window's size.

Zoom is owned by NetworkView: it scales the diagram to the window above the legend strip, zooms
about the mouse on the wheel, fits again on a double-click on empty space, keeps the legend and
the info label in place, and has the diagram laid out anew when the window's shape changes a
lot. It works on the view's Qt transform and reads the view's diagram and legend.
"""
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsView

RELAYOUT_SIZE_CHANGE = 0.2   # relative change of the window's size that lays the diagram out anew
MAX_ZOOM = 1.3               # a small network is not blown up beyond this


class Zoom:
    """The scale of a NetworkView (`view`) and where its overlays sit."""

    def __init__(self, view):
        self.view = view
        self.zoomed = False          # the user zoomed in: resizing keeps their zoom

    def fit_scale(self, layout) -> float:
        """The scale at which `layout` fills the window above the legend strip."""
        viewport = self.view.viewport().size()
        return min(viewport.width() / layout.width,
                   max(viewport.height() - self.legend_strip(), 1) / layout.height, MAX_ZOOM)

    def legend_strip(self) -> int:
        """Pixels kept free at the bottom of the window for the legend, flowed to its width."""
        return self.view.legend.fit_width(self.view.viewport().width() - 12) + 8

    def fit(self):
        """Scale the diagram to the window (keeping its aspect) above the legend strip."""
        view, layout = self.view, self.view.diagram.layout
        self.zoomed = False
        scale = self.fit_scale(layout)
        view.setSceneRect(QRectF(0, 0, layout.width, layout.height + self.legend_strip() / scale))
        view.setTransform(QTransform.fromScale(scale, scale))
        view.centerOn(view.sceneRect().center())
        self.place_overlays()

    def place_overlays(self):
        viewport, legend, info = self.view.viewport(), self.view.legend, self.view.info
        legend.move(max((viewport.width() - legend.width()) // 2, 0),
                    viewport.height() - legend.height() - 4)
        info.setMaximumWidth(max(viewport.width() - 12, 120))   # long hover texts wrap
        info.move(6, 6)
        verdicts = self.view.verdicts                  # above the legend, at the left
        verdicts.move(6, max(viewport.height() - legend.height() - verdicts.height() - 10, 6))

    def wheel(self, event):
        """Zoom about the mouse; zoomed out as far as the window, the diagram fits it again."""
        view, layout = self.view, self.view.diagram.layout
        factor = 1.0015 ** event.angleDelta().y()
        scale = view.transform().m11() * factor
        fitted = min(view.viewport().width() / layout.width,
                     view.viewport().height() / layout.height)
        if scale <= fitted:
            self.fit()
            view.restyle()
            return
        self.zoomed = True
        view.setSceneRect(QRectF(0, 0, layout.width, layout.height))
        view.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        view.scale(factor, factor)
        view.setTransformationAnchor(QGraphicsView.AnchorViewCenter)
        view.restyle()

    def resized(self):
        """The window changed size: a new layout for a new shape, else fit (unless zoomed)."""
        view = self.view
        size, built = view.viewport().size(), view.diagram.laid_out_for
        if (abs(size.width() - built.width()) > RELAYOUT_SIZE_CHANGE * built.width()
                or abs(size.height() - built.height()) > RELAYOUT_SIZE_CHANGE * built.height()):
            view.relayout()                 # spread the columns for the new shape
            return
        if not self.zoomed:
            self.fit()
        self.place_overlays()
        view.restyle()
