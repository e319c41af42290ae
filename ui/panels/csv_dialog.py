"""Asking for a CSV file: the file, then its target column (default: the last) and the task.

`ask_csv(parent)` returns the Config fields {"csv_path", "target_column", "csv_task"} or None
if the user cancelled. Reading the file properly is the engine's work (netsim.datasets.load_csv);
here only the header line is read, to offer its column names.
"""
import csv

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QLabel)

from netsim.config import CSV_TASKS
from netsim.datasets.csv_loader import AUTO_CLASSES

HEADER_BYTES = 65536


def header_columns(path: str) -> list[str]:
    """The column names of the file's first line; [] when it cannot be read."""
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as file:
            first = file.readline(HEADER_BYTES)
    except OSError:
        return []
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader([first], dialect))
    return [name.strip() for name in rows[0]] if rows else []


class CsvOptionsDialog(QDialog):
    def __init__(self, path: str, columns: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Open CSV")
        self.target = QComboBox()
        self.target.addItems(columns or ["(last column)"])
        self.target.setCurrentIndex(self.target.count() - 1)
        self.task = QComboBox()
        self.task.addItems(list(CSV_TASKS))
        self.task.setToolTip(f"auto: text labels, or up to {AUTO_CLASSES} distinct whole numbers "
                             f"(0/1, digits), are classes; any other numeric target is regression")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(path))
        form.addRow("Target column", self.target)
        form.addRow("Task", self.task)
        form.addRow(buttons)
        self._has_columns = bool(columns)

    def choice(self, path: str) -> dict:
        target = self.target.currentText() if self._has_columns else None
        return {"csv_path": path, "target_column": target, "csv_task": self.task.currentText()}


def ask_csv(parent) -> dict | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open CSV data", "",
                                          "CSV files (*.csv *.tsv *.txt);;All files (*)")
    if not path:
        return None
    dialog = CsvOptionsDialog(path, header_columns(path), parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.choice(path)
