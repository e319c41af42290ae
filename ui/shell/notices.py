"""Messages to the person at the screen that never block the event loop.

`show_notice` opens a non-modal message box and returns at once (training and tests go on);
tests replace it to collect what would have been shown.
"""
from PySide6.QtWidgets import QMessageBox

_open: list[QMessageBox] = []        # keeps the boxes alive until closed


def show_notice(parent, title: str, text: str, warning: bool = True) -> QMessageBox:
    box = QMessageBox(QMessageBox.Warning if warning else QMessageBox.Information, title, text,
                      QMessageBox.Ok, parent)
    box.setModal(False)
    box.finished.connect(lambda _result: _open.remove(box) if box in _open else None)
    _open.append(box)
    box.show()
    return box
