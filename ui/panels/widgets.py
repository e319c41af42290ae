"""Small helpers shared by the panels."""
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox



def registry_combo(registry, tooltip: str = "") -> QComboBox:
    """A drop-down of a registry's names (item data) shown by their titles."""
    combo = QComboBox()
    for name in registry:
        combo.addItem(registry.title(name), name)
    combo.setToolTip(tooltip)
    narrow(combo)
    return combo


def narrow(combo: QComboBox):
    """Let a drop-down be narrower than its longest item, so the panels fit a side column."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)


def select_data(combo: QComboBox, value):
    """Show the item whose data is `value`, without emitting."""
    with QSignalBlocker(combo):
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)


def set_quietly(widget, setter: str, value):
    with QSignalBlocker(widget):
        getattr(widget, setter)(value)
