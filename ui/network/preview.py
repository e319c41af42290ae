"""Open the network view alone, training live, for quick visual work and the docs' screenshots.

    python -m ui.network.preview                   # default net [4, 2] tanh on circle, training
    python -m ui.network.preview --large           # 8 x 32 hidden, all seven features
    python -m ui.network.preview --steps 300 --screenshot docs/network_view_default.png

Edits, +/- and the rest go to the trainer here as the main window's controller would do it.
"""
import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from netsim import Config, NetsimError, Trainer
from netsim.snapshot import take_snapshot
from ui.controller import PLANE_RESOLUTION as RESOLUTION     # the main window's maps
from ui.network.network_view import NetworkView

ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


def preview_config(large: bool) -> Config:
    if large:
        return Config(dataset="circle", layers=(32,) * 8, features=ALL_FEATURES)
    return Config(dataset="circle", layers=(4, 2))


class Preview:
    """A trainer and a view wired the way the main window wires them."""

    def __init__(self, config: Config, size=(1100, 780)):
        self.trainer = Trainer(config)
        self.view = NetworkView()
        self.view.setWindowTitle("NetSim network view")
        self.view.resize(*size)
        self.view.weight_edited.connect(self._on_weight_edited)
        self.view.bias_edited.connect(self._on_bias_edited)
        self.view.layers_changed.connect(self._on_layers_changed)

    def show(self):
        self.view.show()
        self.refresh()

    def refresh(self):
        self.view.show_snapshot(take_snapshot(self.trainer, RESOLUTION))

    def train(self, steps: int):
        try:
            self.trainer.step(steps)
        except NetsimError as error:
            print(error, file=sys.stderr)
        self.refresh()

    def _on_weight_edited(self, l, i, j, value):
        self.trainer.set_weight(l, i, j, value)
        self.refresh()

    def _on_bias_edited(self, l, j, value):
        self.trainer.set_bias(l, j, value)
        self.refresh()

    def _on_layers_changed(self, layers):
        self.trainer = Trainer(self.trainer.config.replace(layers=layers))
        self.refresh()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ui.network.preview")
    parser.add_argument("--large", action="store_true", help="8 hidden layers of 32 neurons")
    parser.add_argument("--steps", type=int, default=0, help="train this many steps first")
    parser.add_argument("--screenshot", metavar="PATH", help="save the view (.png/.svg) and quit")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    preview = Preview(preview_config(args.large))
    preview.train(args.steps)
    preview.show()
    if args.screenshot:
        app.processEvents()
        preview.refresh()
        preview.view.export_image(args.screenshot)
        return 0
    timer = QTimer()
    timer.timeout.connect(lambda: preview.train(5))
    timer.start(33)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
