"""The learning-rate schedule's settings, part of the Training panel: the schedule, the
parameters it reads (netsim/schedules.py says which), and the warm-up; all applied live."""
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QSpinBox

from netsim.config import FIELDS, field_label
from netsim.schedules import SCHEDULES, WARM_UP_FIELDS
from ui.panels.widgets import registry_combo, select_data, set_quietly

SCHEDULE_PARAMETERS = ("step_size", "gamma", "T_max", "eta_min", *WARM_UP_FIELDS)


def _spin(name: str):
    """A box for Config field `name` over its whole range, in its type."""
    spec = FIELDS[name]
    if spec.kind is int:
        box = QSpinBox()
        box.setRange(int(spec.low), min(int(spec.high), 2**31 - 1))
    else:
        box = QDoubleSpinBox()
        box.setDecimals(4)
        box.setRange(spec.low, spec.high)
        box.setSingleStep(0.05)
    box.setKeyboardTracking(False)
    box.setToolTip(field_label(name))
    return box


class ScheduleBox(QObject):
    """The schedule's rows of a form (the Training panel's): `add_rows(form)` puts them in."""
    changes_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.schedule = registry_combo(SCHEDULES, "How the learning rate changes from epoch to "
                                                  "epoch (torch.optim.lr_scheduler's rules)")
        self.schedule.currentIndexChanged.connect(
            lambda: self._request(schedule=self.schedule.currentData()))
        self.boxes = {name: _spin(name) for name in SCHEDULE_PARAMETERS}
        for name, box in self.boxes.items():
            box.valueChanged.connect(lambda value, name=name: self._request(**{name: value}))
        self.form = None

    def add_rows(self, form: QFormLayout):
        self.form = form
        form.addRow(field_label("schedule"), self.schedule)
        for name, box in self.boxes.items():
            form.addRow(field_label(name), box)

    def _request(self, **changes):
        self.changes_requested.emit(changes)

    def show_config(self, config):
        select_data(self.schedule, config.schedule)
        self.schedule.setToolTip(SCHEDULES[config.schedule].formula)
        used = set(SCHEDULES[config.schedule].fields) | {"total_iters"}
        if config.total_iters:
            used.add("start_factor")
        for name, box in self.boxes.items():
            set_quietly(box, "setValue", getattr(config, name))
            if self.form is not None:
                self.form.setRowVisible(box, name in used)
