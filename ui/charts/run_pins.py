"""Pinned runs: the loss and accuracy curves of earlier runs, kept and drawn beneath the live
curves, faded and labelled by what differs from the live run ("lr 0.3").

    pins = RunPins()
    pins.attach(window.charts.loss.plot, "train_loss"); ... "test_loss"
    pins.pin(label, controller.history_arrays(), config)
    controller.config_changed -> pins.relabel(config)
"""
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from netsim.config import FIELDS
from netsim.sweep import label_of
from ui import colors

PIN_ALPHA = 150                      # pinned curves are faded ...
PIN_WIDTH = 1.2
PIN_Z = -10                          # ... and drawn beneath the live ones
SERIES_STYLE = {"train_loss": Qt.DashLine, "train_accuracy": Qt.DashLine,
                "test_loss": Qt.SolidLine, "test_accuracy": Qt.SolidLine}
SERIES_SUFFIX = {"train_loss": "train", "test_loss": "test", "train_accuracy": "train",
                 "test_accuracy": "test", "batch_loss": "mini-batch"}


def run_colors(n: int) -> list[QColor]:
    """n distinct colours for runs, avoiding the live curves' black and blue."""
    classes = colors.palette().classes
    picks = [classes[(k + 2) % len(classes)] for k in range(n)]
    return [QColor(*rgb) for rgb in picks]


def describe_difference(pinned, live) -> str:
    """What the pinned run's settings have that the live run's do not: "lr 0.3, init zeros"."""
    names = pinned.differing_fields(live)
    if not names:
        return "same settings"
    return ", ".join(label_of(name, getattr(pinned, name)) if FIELDS[name].kind is not tuple
                     else f"{name} {list(getattr(pinned, name))}" for name in names)


class Pin:
    """One pinned run: its label, its curves' arrays and the settings it ran with."""

    def __init__(self, number: int, label: str, arrays: dict, config, color: QColor):
        self.number = number
        self.label = label
        self.arrays = arrays              # series name -> (steps, values)
        self.config = config
        self.color = color
        self.items: list[tuple[pg.PlotItem, str, pg.PlotDataItem]] = []

    def title(self, series: str) -> str:
        return f"pin {self.number}: {self.label} ({SERIES_SUFFIX.get(series, series)})"


class RunPins:
    """Pinned runs, drawn into every attached (PlotItem, series) pair."""

    def __init__(self):
        self.pins: list[Pin] = []
        self.targets: list[tuple[pg.PlotItem, str]] = []
        self._count = 0

    def attach(self, plot_item: pg.PlotItem, series_name: str):
        """Draw the series `series_name` of every pin (present and future) into plot_item."""
        self.targets.append((plot_item, series_name))
        for pin in self.pins:
            self._draw(pin, plot_item, series_name)

    def pin(self, label: str, history_arrays: dict, config=None) -> Pin:
        """Keep a run's curves. history_arrays: series name -> (steps, values) (copied)."""
        self._count += 1
        arrays = {name: (np.array(s, dtype=float), np.array(v, dtype=float))
                  for name, (s, v) in history_arrays.items()}
        pin = Pin(self._count, label, arrays, config, run_colors(self._count)[-1])
        self.pins.append(pin)
        for plot_item, series in self.targets:
            self._draw(pin, plot_item, series)
        return pin

    def _draw(self, pin: Pin, plot_item: pg.PlotItem, series: str):
        if series not in pin.arrays:
            return
        color = QColor(pin.color)
        color.setAlpha(PIN_ALPHA)
        pen = pg.mkPen(color, width=PIN_WIDTH, style=SERIES_STYLE.get(series, Qt.SolidLine))
        item = pg.PlotDataItem(*pin.arrays[series], pen=pen, name=pin.title(series))
        item.setDownsampling(auto=True, method="peak")
        item.setZValue(PIN_Z)
        plot_item.addItem(item)
        pin.items.append((plot_item, series, item))

    def relabel(self, live_config):
        """Label every pin with what differs between its settings and the live run's."""
        for pin in self.pins:
            if pin.config is None:
                continue
            pin.label = describe_difference(pin.config, live_config)
            for plot_item, series, item in pin.items:
                item.opts["name"] = pin.title(series)
                legend = plot_item.legend
                label = legend.getLabel(item) if legend is not None else None
                if label is not None:
                    label.setText(pin.title(series))

    def remove(self, pin: Pin):
        for plot_item, _series, item in pin.items:
            plot_item.removeItem(item)
        pin.items.clear()
        self.pins.remove(pin)

    def clear(self):
        """Forget every pin and take its curves off the charts."""
        for pin in list(self.pins):
            self.remove(pin)
        self._count = 0
