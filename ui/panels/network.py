"""Network settings, each of which builds a new network: hidden layers and their widths,
hidden activation and dropout (one for every layer here; one per layer from the diagram's
layer headers), initialisation and seed; the output layer and loss the task implies."""
import random

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (QDoubleSpinBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QWidget)

from netsim import ACTIVATIONS, INITIALIZERS, LOSSES
from netsim.config import FIELDS
from netsim.losses import TASK_LOSS
from ui.limits import MAX_HIDDEN_LAYERS, MAX_NEURONS
from ui.panels.widgets import registry_combo, select_data, set_quietly

NEW_LAYER_WIDTH = 4
WIDTHS_PER_ROW = 4
DROPOUT_TIP = ("Share of hidden units switched off at random in each training step "
               "(inverted dropout); 0: off. Evaluation never drops any.")
PER_LAYER = "Per layer"         # set from the layer headers in the diagram


def output_description(task: str) -> str:
    """"Output: sigmoid · loss: binary cross-entropy" for the task's implied output and loss."""
    loss = TASK_LOSS[task]
    return f"Output: {LOSSES[loss].output_activation} · loss: {LOSSES.title(loss).lower()}"


class NetworkPanel(QWidget):
    changes_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_count = QSpinBox()
        self.layer_count.setRange(0, MAX_HIDDEN_LAYERS)
        self.layer_count.setToolTip("Hidden layers between the inputs and the output")
        self.layer_count.valueChanged.connect(self._on_layers_edited)
        self.widths = [self._width_spin(k) for k in range(MAX_HIDDEN_LAYERS)]
        self.activation = registry_combo(ACTIVATIONS, "Activation of the hidden neurons")
        self.activation.currentIndexChanged.connect(self._on_activation_chosen)
        self.dropout = QDoubleSpinBox()
        self.dropout.setRange(FIELDS["dropout"].low, FIELDS["dropout"].high)
        self.dropout.setSingleStep(0.05)
        self.dropout.setDecimals(2)
        self.dropout.setKeyboardTracking(False)
        self.dropout.setToolTip(DROPOUT_TIP)
        self.dropout.valueChanged.connect(lambda v: self._request(dropout=v))
        self.init = registry_combo(INITIALIZERS, "How the initial weights are drawn")
        self.init.currentIndexChanged.connect(lambda: self._request(init=self.init.currentData()))
        self.seed = QSpinBox()
        self.seed.setRange(int(FIELDS["seed"].low), min(int(FIELDS["seed"].high), 2**31 - 1))
        self.seed.setKeyboardTracking(False)
        self.seed.valueChanged.connect(lambda v: self._request(seed=v))
        self.new_seed = QPushButton("New")
        self.new_seed.setToolTip("Start from other random initial weights")
        self.new_seed.clicked.connect(
            lambda: self.seed.setValue(random.randrange(self.seed.maximum())))
        self.output = QLabel()
        self.output.setWordWrap(True)
        self._lay_out()

    def _width_spin(self, k: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, MAX_NEURONS)
        spin.setToolTip(f"Neurons in hidden layer {k + 1}")
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._on_layers_edited)
        return spin

    def _lay_out(self):
        widths_row = QGridLayout()           # up to 8 widths, four to a row
        widths_row.setSpacing(2)
        for k, spin in enumerate(self.widths):
            widths_row.addWidget(spin, k // WIDTHS_PER_ROW, k % WIDTHS_PER_ROW)
        widths_row.setColumnStretch(WIDTHS_PER_ROW, 1)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.new_seed)
        form = QFormLayout(self)
        form.addRow("Hidden layers", self.layer_count)
        form.addRow("Neurons", widths_row)
        form.addRow("Activation", self.activation)
        form.addRow("Dropout", self.dropout)
        form.addRow("Initialization", self.init)
        form.addRow("Seed", seed_row)
        form.addRow(self.output)

    def _show_activation(self, activation):
        """One name for every layer, or the "per layer" line for a list of one each."""
        per_layer = self.activation.findData(None)
        blocker = QSignalBlocker(self.activation)       # showing, not choosing
        if isinstance(activation, tuple):
            if per_layer < 0:
                self.activation.addItem(PER_LAYER, None)
            select_data(self.activation, None)
            blocker.unblock()
            self.activation.setToolTip("Per hidden layer: " + ", ".join(
                ACTIVATIONS.title(name) for name in activation) + ". Click a layer's header "
                "in the diagram to change one; choose here to set every layer.")
            return
        if per_layer >= 0:
            self.activation.removeItem(per_layer)
        select_data(self.activation, activation)
        blocker.unblock()
        self.activation.setToolTip("Activation of the hidden neurons")

    def hidden_layers(self) -> tuple:
        return tuple(spin.value() for spin in self.widths[:self.layer_count.value()])

    def _on_layers_edited(self):
        self._show_width_spins(self.layer_count.value())
        self._request(layers=self.hidden_layers())

    def _show_width_spins(self, n: int):
        for k, spin in enumerate(self.widths):
            spin.setVisible(k < n)

    def _request(self, **changes):
        self.changes_requested.emit(changes)

    def _on_activation_chosen(self):
        name = self.activation.currentData()
        if name is not None:                      # not the "per layer" line
            self._request(activation=name)

    def show_config(self, config, dataset=None):
        layers = config.layers[:MAX_HIDDEN_LAYERS]
        set_quietly(self.layer_count, "setValue", len(layers))
        for k, spin in enumerate(self.widths):
            width = layers[k] if k < len(layers) else NEW_LAYER_WIDTH
            set_quietly(spin, "setValue", min(width, MAX_NEURONS))
        self._show_width_spins(len(layers))
        self._show_activation(config.activation)
        dropout = config.dropout
        set_quietly(self.dropout, "setValue", max(dropout) if isinstance(dropout, tuple)
                    else dropout)
        self.dropout.setPrefix("up to " if isinstance(dropout, tuple) else "")
        self.dropout.setToolTip(DROPOUT_TIP + (" Per layer: " + ", ".join(
            f"{rate:.0%}" for rate in dropout) if isinstance(dropout, tuple) else ""))
        select_data(self.init, config.init)
        set_quietly(self.seed, "setValue", min(config.seed, self.seed.maximum()))
        if dataset is not None:
            self.output.setText(output_description(dataset.task))


if __name__ == "__main__":
    from ui.panels.preview import preview
    preview(NetworkPanel)
