"""Command line and display check shared by `python app.py` and the `netsim` script.

Nothing here imports Qt: the display check must run before any QApplication exists,
because Qt aborts the process (it does not raise) when it cannot open a display.
"""

import argparse
import os
import sys
from collections.abc import Mapping

# netsim first, before pyqtgraph imports numpy: it sets single-threaded BLAS.
from netsim.cli import non_negative_int
from ui.shell.platform_libraries import missing_libraries_message, missing_platform_libraries

NO_DISPLAY_MESSAGE = (
    "netsim: no display found. Run with QT_QPA_PLATFORM=offscreen "
    "(e.g. with --screenshot out.png), or train headless with `netsim-train --help`."
)


def build_arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netsim",
        description="Build a multilayer perceptron and watch every weight learn.",
    )
    parser.add_argument(
        "session",
        nargs="?",
        metavar="SESSION.netsim",
        help="session file to open (network, data, training state and settings)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="render the window to this PNG file and exit (works with QT_QPA_PLATFORM=offscreen)",
    )
    parser.add_argument(
        "--steps",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="run N training steps before showing the window or taking the screenshot (default 0)",
    )
    parser.add_argument(
        "--config",
        metavar="cfg.json",
        help="start from this configuration file (JSON) instead of the defaults",
    )
    return parser


def _platform_needs_display(qpa_platform: str) -> bool:
    # QT_QPA_PLATFORM may list fallbacks ("wayland;xcb") and carry options ("xcb:option=1").
    # Unset or empty means Qt's default, which on Linux is xcb or wayland.
    names = [entry.split(":", 1)[0].strip() for entry in qpa_platform.split(";")]
    return all(name == "xcb" or name.startswith("wayland") for name in names if name)


def display_available(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt can open its platform plugin: a non-windowing plugin, a display, or not Linux."""
    if not _platform_needs_display(env.get("QT_QPA_PLATFORM", "")):
        return True
    if not platform.startswith("linux"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def launch(argv: list[str] | None = None) -> int:
    """Parse the command line, check for a display and the libraries Qt's windowing plugin
    loads, then start the user interface."""
    args = build_arg_parser().parse_args(argv)
    if args.screenshot and not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"     # a screenshot needs no screen
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    missing = missing_platform_libraries()
    if missing:
        print(missing_libraries_message(missing), file=sys.stderr)
        return 2
    from ui.shell import main as ui_main

    return ui_main.run(args)
