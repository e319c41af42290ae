"""Open the network view alone, training live, for quick visual work and the docs' screenshots.

    python -m ui.network.preview                   # default net [4, 2] tanh on circle, training
    python -m ui.network.preview --large           # 8 x 32 hidden, all seven features
    python -m ui.network.preview --steps 300 --screenshot docs/network_view_default.png

A TrainingController runs it, wired to the view as the main window wires them: edits and +/-
go to the controller, and it trains 5 steps a frame.
"""
import argparse
import sys

from PySide6.QtWidgets import QApplication

from netsim import Config, DivergenceError
from ui.controller import TrainingController
from ui.network.network_view import NetworkView

ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
STEPS_PER_FRAME = 5


def preview_config(large: bool) -> Config:
    if large:
        return Config(dataset="circle", layers=(32,) * 8, features=ALL_FEATURES)
    return Config(dataset="circle", layers=(4, 2))


class Preview:
    """A controller and a view wired the way the main window wires them."""

    def __init__(self, config: Config, size=(1100, 780)):
        self.view = NetworkView()
        self.view.setWindowTitle("NetSim network view")
        self.view.resize(*size)
        self.controller = TrainingController(config, parent=self.view)
        self.controller.set_speed(STEPS_PER_FRAME)
        self.controller.snapshot_ready.connect(self.view.show_snapshot)
        self.controller.error.connect(lambda text: print(text, file=sys.stderr))
        self.controller.diverged.connect(lambda text: print(text, file=sys.stderr))
        self.view.weight_edited.connect(self.controller.set_weight)
        self.view.bias_edited.connect(self.controller.set_bias)
        self.view.layers_changed.connect(lambda layers: self.controller.update_config(
            layers=layers))

    def show(self):
        self.view.show()
        self.controller.publish()

    def train(self, steps: int):
        try:
            self.controller.train_now(steps)
        except DivergenceError as error:
            print(error, file=sys.stderr)


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
        preview.controller.publish()
        preview.view.export_image(args.screenshot)
        return 0
    preview.controller.play()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
