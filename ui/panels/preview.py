"""Open one settings panel alone, for quick visual work: `python -m ui.panels.training`."""
from PySide6.QtWidgets import QApplication

from netsim import Config


def preview(panel_class) -> int:
    """Show a panel filled with the default settings; print every change it requests."""
    app = QApplication.instance() or QApplication([])
    panel = panel_class()
    panel.show_config(Config())
    panel.changes_requested.connect(print)
    panel.show()
    return app.exec()
