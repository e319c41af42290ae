"""A NetworkView shown on screen with a trainer's snapshot, for the network view's tests."""
from netsim.snapshot import take_snapshot
from ui.network.network_view import NetworkView


def make_view(qtbot, trainer, resolution=12, size=(1100, 750)) -> NetworkView:
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.show_snapshot(take_snapshot(trainer, resolution))
    return view
