"""The network view's menus: the right-click menu (export the view, the edge width scale,
weights written on the edges, dropout marks, "Fit to window") and a hidden layer's header
menu (its activation, or one for every hidden layer). ViewMenu is owned by NetworkView and
calls its public methods (set_fixed_scale, set_show_values, set_dropout_share,
fit_to_window, export_image, choose_layer_activation)."""
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from netsim import ACTIVATIONS

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
        share = QAction("Dropout: shade each unit by the share of the batch that dropped it",
                        menu, checkable=True)
        share.setChecked(view.dropout_share)
        menu.addAction(share)
        fit = menu.addAction("Fit to window")
        chosen = menu.exec(global_pos)
        if chosen is export:
            self.ask_export()
        elif chosen is fixed:
            view.set_fixed_scale(fixed.isChecked())
        elif chosen is values:
            view.set_show_values(values.isChecked())
        elif chosen is share:
            view.set_dropout_share(share.isChecked())
        elif chosen is fit:
            view.fit_to_window()

    def choose_activation(self, k: int):
        """The header menu of hidden layer k: an activation for it, or for every layer."""
        view = self.view
        current = view.snapshot.config.per_layer("activation")
        menu = QMenu(view)
        menu.addSection(f"Hidden layer {k + 1}")
        chosen = {}
        for name in ACTIVATIONS:
            action = menu.addAction(ACTIVATIONS.title(name))
            action.setCheckable(True)
            action.setChecked(current[k] == name)
            chosen[action] = (name, False)
        every = menu.addMenu("Every hidden layer")
        for name in ACTIVATIONS:
            chosen[every.addAction(ACTIVATIONS.title(name))] = (name, True)
        picked = menu.exec(QCursor.pos())
        if picked in chosen:
            view.choose_layer_activation(k, *chosen[picked])

    def ask_export(self):
        path, _ = QFileDialog.getSaveFileName(self.view, "Export view", "network.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            self.view.export_image(path)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self.view, "Export view", str(error))
