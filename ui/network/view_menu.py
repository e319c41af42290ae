"""The network view's right-click menu: export the view, the edge width scale, weights written
on the edges, and "Fit to window". ViewMenu is owned by NetworkView and calls its public
methods (set_fixed_scale, set_show_values, fit_to_window, export_image)."""
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ui.network.edge_values import VALUE_LABEL_LIMIT


class ViewMenu:
    """The context menu of a NetworkView (`view`) and its export dialog."""

    def __init__(self, view):
        self.view = view

    def open(self, global_pos):
        view = self.view
        menu = QMenu(view)
        export = menu.addAction("Export view\u2026")
        fixed = QAction("Fixed edge width scale (growth shows)", menu, checkable=True)
        fixed.setChecked(view.fixed_scale)
        menu.addAction(fixed)
        values = QAction(f"Write weights on edges (up to {VALUE_LABEL_LIMIT} edges)", menu,
                         checkable=True)
        values.setChecked(view.show_values)
        menu.addAction(values)
        fit = menu.addAction("Fit to window")
        chosen = menu.exec(global_pos)
        if chosen is export:
            self.ask_export()
        elif chosen is fixed:
            view.set_fixed_scale(fixed.isChecked())
        elif chosen is values:
            view.set_show_values(values.isChecked())
        elif chosen is fit:
            view.fit_to_window()

    def ask_export(self):
        path, _ = QFileDialog.getSaveFileName(self.view, "Export view", "network.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            self.view.export_image(path)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self.view, "Export view", str(error))
