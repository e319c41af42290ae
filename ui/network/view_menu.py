"""The network view's display options, image export and context menu.

NetworkMenu is a mixin of NetworkView (ui/network/network_view.py): the edge width scale (fixed or
auto-scaled, also toggled by clicking the legend), weights written on the edges, saving the
view as PNG or SVG (through ui/network/export.py), and the right-click menu that offers these
and "Fit to window".
"""
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QGraphicsItem, QMenu, QMessageBox

from ui.network.edge_values import VALUE_LABEL_LIMIT
from ui.network.export import export_widget


class NetworkMenu:
    """Width scale, edge values, export and context menu for NetworkView; not usable alone."""

    def set_fixed_scale(self, fixed: bool):
        """Edge widths: fixed (1 px is always the same |w|, so growth shows) or auto-scaled."""
        self.fixed_scale = bool(fixed)
        if self.snapshot is not None:
            self._restyle()

    def set_show_values(self, show: bool):
        """Write each weight on its edge (networks of up to VALUE_LABEL_LIMIT edges)."""
        self.show_values = bool(show)
        if self._edge_values is not None:
            self._edge_values.setVisible(self.show_values)

    def edge_value_texts(self) -> list:
        """The numbers written on the edges, in flat weight order; [] when none are shown."""
        if self._edge_values is None or not self._edge_values.isVisible():
            return []
        return self._edge_values.texts()

    def written_edge_values(self) -> dict:
        """{flat edge index: QPolygonF} of the numbers written on screen, in viewport pixels."""
        if self._edge_values is None or not self._edge_values.isVisible():
            return {}
        return self._edge_values.outlines(self.viewportTransform())

    def _on_legend_clicked(self):
        self.set_fixed_scale(not self.fixed_scale)

    def export_image(self, path: str):
        """Save what the view shows, legend included, as PNG (twice the screen's pixels) or SVG
        (vectors), by the suffix of `path`. Raises ValueError for another suffix and OSError if
        the file cannot be written."""
        # every item drawn afresh at the export's resolution (vectors in SVG), not from the
        # pictures kept for the screen
        cached = [(item, item.cacheMode()) for item in self.scene().items()
                  if item.cacheMode() != QGraphicsItem.NoCache]
        for item, _ in cached:
            item.setCacheMode(QGraphicsItem.NoCache)
        self.edge_layer.vectors = True
        # the picture, not what the mouse is over: no hover outline, no hover text
        hover, info_shown = self._hover, self.info.isVisible()
        if hover is not None:
            self._mark(hover, False)
        self.info.hide()
        try:
            export_widget(self.viewport(), path)
        finally:
            self.edge_layer.vectors = False
            for item, mode in cached:
                item.setCacheMode(mode)
            if hover is not None:
                self._mark(hover, True)
            self.info.setVisible(info_shown)

    def contextMenuEvent(self, event):
        menu = QMenu(self)
        export = menu.addAction("Export view\u2026")
        fixed = QAction("Fixed edge width scale (growth shows)", menu, checkable=True)
        fixed.setChecked(self.fixed_scale)
        menu.addAction(fixed)
        values = QAction(f"Write weights on edges (up to {VALUE_LABEL_LIMIT} edges)", menu,
                         checkable=True)
        values.setChecked(self.show_values)
        menu.addAction(values)
        fit = menu.addAction("Fit to window")
        chosen = menu.exec(event.globalPos())
        if chosen is export:
            self._on_export_requested()
        elif chosen is fixed:
            self.set_fixed_scale(fixed.isChecked())
        elif chosen is values:
            self.set_show_values(values.isChecked())
        elif chosen is fit:
            self._fit()
            self._restyle()

    def _on_export_requested(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export view", "network.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            self.export_image(path)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self, "Export view", str(error))
