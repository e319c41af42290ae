"""Training settings, all applied live: optimizer, learning rate and its schedule,
regularization and its rate."""
import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QHBoxLayout, QSlider, QWidget

from netsim import OPTIMIZERS, REGULARIZERS
from netsim.config import FIELDS
from ui.panels.schedule_box import ScheduleBox
from ui.panels.widgets import registry_combo, select_data, set_quietly

LR_RANGE = (1e-5, 10.0)                 # the slider's span; the spin box takes what the
LR_SPIN_RANGE = (1e-5, FIELDS["learning_rate"].high)    # engine accepts, up to 100
LR_SLIDER_STEPS = 600                   # slider positions over the logarithmic span
REG_RATE_RANGE = (FIELDS["reg_rate"].low, FIELDS["reg_rate"].high)


def lr_to_position(lr: float) -> int:
    low, high = (math.log10(v) for v in LR_RANGE)
    t = (math.log10(min(max(lr, LR_RANGE[0]), LR_RANGE[1])) - low) / (high - low)
    return round(t * LR_SLIDER_STEPS)


def position_to_lr(position: int) -> float:
    low, high = (math.log10(v) for v in LR_RANGE)
    value = 10 ** (low + (high - low) * position / LR_SLIDER_STEPS)
    return float(f"{value:.2g}")         # slider values are round numbers: 0.03, not 0.0301995


class TrainingPanel(QWidget):
    changes_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.optimizer = registry_combo(OPTIMIZERS, "How the gradient updates the weights")
        self.optimizer.currentIndexChanged.connect(
            lambda: self._request(optimizer=self.optimizer.currentData()))
        self.lr_slider = QSlider(Qt.Horizontal)
        self.lr_slider.setRange(0, LR_SLIDER_STEPS)
        self.lr_slider.setToolTip("Learning rate, logarithmic from 0.00001 to 10")
        self.lr_slider.valueChanged.connect(self._on_lr_slider)
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(5)
        self.lr_spin.setRange(*LR_SPIN_RANGE)
        self.lr_spin.setSingleStep(0.001)
        self.lr_spin.setKeyboardTracking(False)
        self.lr_spin.valueChanged.connect(lambda v: self._request(learning_rate=v))
        self.regularization = registry_combo(REGULARIZERS,
                                             "Penalty on large weights (never on biases)")
        self.regularization.currentIndexChanged.connect(
            lambda: self._request(regularization=self.regularization.currentData()))
        self.reg_rate = QDoubleSpinBox()
        self.reg_rate.setDecimals(4)
        self.reg_rate.setRange(*REG_RATE_RANGE)
        self.reg_rate.setSingleStep(0.001)
        self.reg_rate.setKeyboardTracking(False)
        self.reg_rate.valueChanged.connect(lambda v: self._request(reg_rate=v))
        self.schedule = ScheduleBox(self)
        self.schedule.changes_requested.connect(self.changes_requested)
        self._lay_out()

    def _lay_out(self):
        lr_row = QHBoxLayout()
        lr_row.addWidget(self.lr_slider, 1)
        lr_row.addWidget(self.lr_spin)
        form = QFormLayout(self)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", lr_row)
        form.addRow("Regularization", self.regularization)
        form.addRow("Regularization rate", self.reg_rate)
        self.schedule.add_rows(form)

    def _on_lr_slider(self, position: int):
        lr = position_to_lr(position)
        set_quietly(self.lr_spin, "setValue", lr)
        self._request(learning_rate=lr)

    def _request(self, **changes):
        self.changes_requested.emit(changes)

    def show_config(self, config, dataset=None):
        select_data(self.optimizer, config.optimizer)
        select_data(self.regularization, config.regularization)
        set_quietly(self.lr_spin, "setValue", config.learning_rate)
        set_quietly(self.lr_slider, "setValue", lr_to_position(config.learning_rate))
        set_quietly(self.reg_rate, "setValue", config.reg_rate)
        self.reg_rate.setEnabled(config.regularization != "none")
        self.schedule.show_config(config)


if __name__ == "__main__":
    from ui.panels.preview import preview
    preview(TrainingPanel)
