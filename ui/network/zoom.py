"""Fitting the network diagram to its window, zooming it, and following the window's size.

NetworkZoom is a mixin of NetworkView (ui/network/network_view.py): it scales the diagram to the
window above the legend strip, zooms about the mouse on the wheel (Shift + wheel nudges a value
instead, see ui/network/interaction.py), fits again on a double-click on empty space, keeps the
legend and the info label in place, and lays the diagram out anew when the window's shape
changes a lot.
"""
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsView

RELAYOUT_SIZE_CHANGE = 0.2   # relative change of the window's size that lays the diagram out anew


class NetworkZoom:
    """Fit, zoom and resize handling for NetworkView; not usable on its own."""

    def _fit(self):
        """Scale the diagram to the window (keeping its aspect) above the legend strip."""
        if self._layout is None:
            return
        self._zoomed = False
        width, height = self._layout.width, self._layout.height
        scale = self._fit_scale(self._layout)
        self.setSceneRect(QRectF(0, 0, width, height + self._legend_strip() / scale))
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(self.sceneRect().center())
        self._place_overlays()

    def _place_overlays(self):
        viewport = self.viewport()
        self.legend.move(max((viewport.width() - self.legend.width()) // 2, 0),
                         viewport.height() - self.legend.height() - 4)
        self.info.setMaximumWidth(max(viewport.width() - 12, 120))   # long hover texts wrap
        self.info.move(6, 6)

    def wheelEvent(self, event):
        """Zoom about the mouse; a double-click on empty space fits the window again. With
        Shift over an edge or a bias, the wheel nudges its value instead (NUDGE per notch)."""
        if self._layout is None:
            return
        if event.modifiers() & Qt.ShiftModifier:
            self._wheel_nudge(event)                # ui/network/interaction.py
            return
        factor = 1.0015 ** event.angleDelta().y()
        scale = self.transform().m11() * factor
        fitted = min(self.viewport().width() / self._layout.width,
                     self.viewport().height() / self._layout.height)
        if scale <= fitted:
            self._fit()
            self._restyle()
            return
        self._zoomed = True
        self.setSceneRect(QRectF(0, 0, self._layout.width, self._layout.height))
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.AnchorViewCenter)
        self._restyle()

    def mouseDoubleClickEvent(self, event):
        if self.hit_test(self.mapToScene(event.position().toPoint())) is None:
            self._fit()
            self._restyle()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._layout is not None and self.snapshot is not None:
            size, built = self.viewport().size(), self._laid_out_for
            if (abs(size.width() - built.width()) > RELAYOUT_SIZE_CHANGE * built.width()
                    or abs(size.height() - built.height()) > RELAYOUT_SIZE_CHANGE * built.height()):
                self._structure = None          # spread the columns for the new shape
                self.show_snapshot(self.snapshot)
                return
            if not self._zoomed:
                self._fit()
            self._place_overlays()
            self._restyle()
        else:
            self._place_overlays()

