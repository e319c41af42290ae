"""Edit one weight or bias in place: a small line edit at the clicked item.

Enter applies, Esc or clicking elsewhere cancels. Text that is not a finite number keeps the
editor open with a message saying why, and nothing changes.
"""
import math

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout

LARGEST_EDIT = 1e6     # larger values saturate every unit they feed: refuse them, saying why


def format_value(value: float) -> str:
    """How the view writes a weight or bias: 4 significant digits, no exponent for usual sizes."""
    return f"{value:.4g}"


def parse_value(text: str) -> float:
    """The number typed, or ValueError with a message a person can act on."""
    cleaned = text.strip().replace("\u2212", "-").replace(",", ".")
    if not cleaned:
        raise ValueError("Type a number, e.g. 0.5 or -1.2")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"\u201c{text.strip()}\u201d is not a number; "
                         f"type e.g. 0.5 or -1.2") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()} is not allowed: a weight must be a finite number")
    if abs(value) > LARGEST_EDIT:
        raise ValueError(f"{value:g} is too large: use a value between "
                         f"-{LARGEST_EDIT:g} and {LARGEST_EDIT:g}")
    return value


class _Line(QLineEdit):
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent):
        if event.key() == Qt.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class WeightEditor(QFrame):
    """A floating editor for one value. `accepted(value)` on a valid Enter; `closed` always."""

    accepted = Signal(float)
    closed = Signal()

    def __init__(self, parent):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setAutoFillBackground(True)
        self.title = QLabel(self)
        self.line = _Line(self)
        self.line.setFixedWidth(130)
        self.hint = QLabel("Enter applies \u00b7 Esc cancels", self)
        self.hint.setStyleSheet("color: #707070;")
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.setMaximumWidth(240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        for widget in (self.title, self.line, self.hint, self.message):
            layout.addWidget(widget)
        self.line.returnPressed.connect(self._on_return_pressed)
        self.line.escaped.connect(self.cancel)
        self.line.editingFinished.connect(self._on_editing_finished)
        self.hide()

    def open(self, title: str, value: float, at: QPoint):
        self.title.setText(title)
        self.line.setText(format_value(value))
        self.message.clear()
        self.message.hide()
        self.adjustSize()
        parent = self.parentWidget()
        x = min(max(at.x() + 8, 0), max(parent.width() - self.width(), 0))
        y = min(max(at.y() + 8, 0), max(parent.height() - self.height(), 0))
        self.move(x, y)
        self.show()
        self.raise_()
        self.line.setFocus()
        self.line.selectAll()

    def follow(self, value: float):
        """Show `value` (training moved it) unless the person has begun to type."""
        if self.isVisible() and not self.line.isModified():
            self.line.setText(format_value(value))
            self.line.selectAll()

    def cancel(self):
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def submit(self, text: str | None = None) -> bool:
        """Apply `text` (or what is typed): True if accepted; else the message says why."""
        if text is not None:
            self.line.setText(text)
        try:
            value = parse_value(self.line.text())
        except ValueError as error:
            self.message.setText(str(error))
            self.message.show()
            self.adjustSize()
            return False
        self.hide()
        self.accepted.emit(value)
        self.closed.emit()
        return True

    def _on_return_pressed(self):
        self.submit()

    def _on_editing_finished(self):
        # focus left the editor without Enter: treat like Esc, but keep an error on screen
        if self.isVisible() and not self.line.hasFocus() and not self.message.isVisible():
            self.cancel()
