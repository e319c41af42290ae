"""Data settings, each of which rebuilds the data and the network (batch size applies live):
data set (synthetic, bundled real data, or the user's CSV), noise, training share, batch size,
classes of the blobs, input features of the 2-D problems, and regenerate (new data seed)."""
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QHBoxLayout,
                               QLabel, QPushButton, QSlider, QSpinBox, QWidget)

from netsim.config import FIELDS
from netsim.datasets import CSV, DATASETS, FEATURES
from ui.panels import csv_dialog
from ui.panels.widgets import narrow, select_data, set_quietly

OPEN_CSV = "open-csv"                  # item data of the "Open CSV…" entry


def _percent_slider(field: str) -> QSlider:
    slider = QSlider(Qt.Horizontal)
    slider.setRange(round(FIELDS[field].low * 100), round(FIELDS[field].high * 100))
    slider.setTracking(False)          # one change (one rebuild) when the handle is released
    return slider


class DataPanel(QWidget):
    changes_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.config = None
        self.dataset = QComboBox()
        self._fill_datasets()
        narrow(self.dataset)
        self.dataset.activated.connect(self._on_dataset_picked)
        self.noise, self.noise_label = _percent_slider("noise"), QLabel()
        self.noise.sliderMoved.connect(lambda v: self.noise_label.setText(f"{v} %"))
        self.noise.valueChanged.connect(lambda v: self._request(noise=v / 100))
        self.train, self.train_label = _percent_slider("train_fraction"), QLabel()
        self.train.sliderMoved.connect(lambda v: self.train_label.setText(f"{v} %"))
        self.train.valueChanged.connect(lambda v: self._request(train_fraction=v / 100))
        self.batch = QSpinBox()
        self.batch.setRange(int(FIELDS["batch_size"].low), int(FIELDS["batch_size"].high))
        self.batch.setKeyboardTracking(False)
        self.batch.setToolTip("Examples per step (applies now)")
        self.batch.valueChanged.connect(lambda v: self._request(batch_size=v))
        self.classes = QSpinBox()
        self.classes.setRange(int(FIELDS["classes"].low), int(FIELDS["classes"].high))
        self.classes.valueChanged.connect(lambda v: self._request(classes=v))
        self.features = {name: QCheckBox(f.label) for name, f in FEATURES.items()}
        for box in self.features.values():
            box.toggled.connect(self._on_features_toggled)
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setToolTip("New random points and a new train/test split")
        self.regenerate.clicked.connect(
            lambda: self._request(data_seed=(self.config.data_seed + 1) % 2**32))
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555")
        self._lay_out()

    def _fill_datasets(self):
        kinds = ("synthetic", "bundled")
        for kind in kinds:
            if self.dataset.count():
                self.dataset.insertSeparator(self.dataset.count())
            for name, info in DATASETS.items():
                if info.kind == kind:
                    self.dataset.addItem(info.title, name)
                    self.dataset.setItemData(self.dataset.count() - 1, info.description,
                                             Qt.ToolTipRole)
        self.dataset.insertSeparator(self.dataset.count())
        self.dataset.addItem("Open CSV…", OPEN_CSV)

    def _lay_out(self):
        form = QFormLayout(self)
        form.addRow("Data", self.dataset)
        form.addRow(self.description)
        for title, slider, value in (("Noise", self.noise, self.noise_label),
                                     ("Training data", self.train, self.train_label)):
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            value.setMinimumWidth(40)
            row.addWidget(value)
            form.addRow(title, row)
            if slider is self.noise:
                self._noise_row = row
        form.addRow("Batch size", self.batch)
        form.addRow("Classes", self.classes)
        self.features_grid = QGridLayout()
        for k, box in enumerate(self.features.values()):
            self.features_grid.addWidget(box, k // 2, k % 2)
        form.addRow("Features", self.features_grid)
        form.addRow(self.regenerate)
        self.form = form

    def _on_dataset_picked(self, index: int):
        name = self.dataset.itemData(index)
        if name == OPEN_CSV:
            self.open_csv()
        elif name != CSV:
            self._request(dataset=name)

    def open_csv(self):
        """Ask for a CSV file, its target column and task, and request it as the data."""
        choice = csv_dialog.ask_csv(self)
        if choice is None:
            self.show_config(self.config)      # back to the data set in use
            return
        self._request(dataset=CSV, **choice)

    def _on_features_toggled(self):
        chosen = tuple(name for name, box in self.features.items()
                       if box.isChecked() and box.isEnabled())
        self._request(features=chosen)

    def _request(self, **changes):
        self.changes_requested.emit(changes)

    def show_config(self, config, dataset=None):
        self.config = config
        self._show_dataset_choice(config)
        info = DATASETS.get(config.dataset)
        set_quietly(self.noise, "setValue", round(config.noise * 100))
        self.noise_label.setText(f"{round(config.noise * 100)} %")
        set_quietly(self.train, "setValue", round(config.train_fraction * 100))
        self.train_label.setText(f"{round(config.train_fraction * 100)} %")
        set_quietly(self.batch, "setValue", config.batch_size)
        set_quietly(self.classes, "setValue", config.classes)
        synthetic = info is not None and info.kind == "synthetic"
        # rows that mean nothing for this data are hidden, not just greyed out
        self.form.setRowVisible(self._noise_row, synthetic)
        self.form.setRowVisible(self.classes, config.dataset == "blobs")
        self.form.setRowVisible(self.features_grid, synthetic)
        usable = info.features if synthetic else ()
        for name, box in self.features.items():
            # a feature this data cannot use (x2 of 1-D data) shows unticked, not ticked and grey
            set_quietly(box, "setChecked", name in config.features and name in usable)
            box.setEnabled(name in usable)
        self.description.setText(info.description if info else f"Your data: {config.csv_path}")

    def _show_dataset_choice(self, config):
        csv_index = self.dataset.findData(CSV)
        if csv_index >= 0:
            self.dataset.removeItem(csv_index)
        if config.dataset == CSV:
            self.dataset.insertItem(self.dataset.count() - 1, Path(config.csv_path).name, CSV)
        select_data(self.dataset, config.dataset)


if __name__ == "__main__":
    from ui.panels.preview import preview
    preview(DataPanel)
