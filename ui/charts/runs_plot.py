"""The plot where several runs' curves meet (the Compare panel's sweep, a sweep results file):
curves against steps on white with a light grid, and the chooser of the series it shows."""
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox

from ui.charts.chart import prepare_axes

SERIES = {"test_loss": "Test loss", "train_loss": "Train loss",
          "test_accuracy": "Test accuracy", "train_accuracy": "Train accuracy"}
"""History series a runs plot can show, with their titles."""


def runs_plot() -> tuple[pg.PlotWidget, pg.PlotItem]:
    widget = pg.PlotWidget(background="w")
    plot = widget.getPlotItem()
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLabel("bottom", "step")
    prepare_axes(plot)
    return widget, plot


def series_chooser(on_change) -> QComboBox:
    """A drop-down of SERIES (currentData() is the series name); on_change() when it changes."""
    chooser = QComboBox()
    for name, title in SERIES.items():
        chooser.addItem(title, name)
    chooser.currentIndexChanged.connect(lambda _index: on_change())
    return chooser
