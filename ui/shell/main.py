"""Starting the desktop application: `run(args)` with the arguments of ui.shell.launch's parser.

    run(args) -> exit status: 0 on success, 2 for a bad --config file.

An unexpected exception anywhere in the UI is caught by the hook installed here: it is logged
(with its traceback) to netsim.log in the user's data directory and shown as a short message;
the application goes on. Settings (window layout, palette) live in QSettings under the
organisation "NetSim"; the environment variable NETSIM_SETTINGS_FILE points them at an INI file
instead (tests use it so they never touch the user's settings).
"""
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from netsim import DivergenceError, NetsimError
from netsim.config_file import load_config_file
from ui.shell import notices
from ui.throttle import Throttle

ORGANISATION = APPLICATION = "NetSim"
SETTINGS_ENV = "NETSIM_SETTINGS_FILE"
SCREENSHOT_EVENT_ROUNDS = 5          # event-loop passes that lay out and paint the window
log = logging.getLogger("netsim")


def log_path() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    return Path(base or Path.home() / ".netsim") / "netsim.log"


def setup_logging() -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)    # a read-only home still gets a log
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def install_exception_hook(window_getter, log_file: Path):
    """Unexpected exceptions are logged and shown briefly; no traceback reaches the user."""
    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        notices.show_notice(window_getter(), "Unexpected error",
                            f"Something went wrong: {exc_type.__name__}: {exc}\n\n"
                            f"The details are in {log_file}. Your run is unchanged.")
    sys.excepthook = hook


def make_settings(remember: bool) -> QSettings | None:
    if not remember:
        return None
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


# Qt's offscreen platform says this on every window it shows; it means nothing to a user.
QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def _qt_message(mode, context, message):
    if message not in QUIET_QT_MESSAGES:
        print(message, file=sys.stderr)


def run(args) -> int:
    config = None
    if args.config:
        try:
            config = load_config_file(args.config)
        except (NetsimError, OSError) as exc:
            print(f"netsim: {exc}", file=sys.stderr)
            return 2
    if args.session and args.screenshot:
        # headless, a session that cannot be opened is an error, as a bad config is; with a
        # window the message shows there and the default run stays
        from ui.controller import read_session
        from ui.shell.file_actions import error_message
        try:
            read_session(args.session)
        except (NetsimError, OSError) as exc:
            print(f"netsim: {error_message(exc)}", file=sys.stderr)
            return 2
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    from ui.controller import TrainingController
    from ui.panels.lessons_panel import install_lessons
    from ui.panels.sweep_panel import install_compare
    from ui.shell.file_actions import install_file_actions, open_session_into
    from ui.shell.main_window import MainWindow
    try:
        controller = TrainingController(config)
    except NetsimError as exc:
        print(f"netsim: {exc}", file=sys.stderr)
        return 2
    window = MainWindow(controller, make_settings(remember=not args.screenshot))
    install_exception_hook(lambda: window, setup_logging())
    file_actions = install_file_actions(window)
    _pins, sweep_panel = install_compare(window)
    install_lessons(window, sweep_panel)
    if args.session:
        open_session_into(window, args.session)
    _train_headless(window, args.steps)
    if args.screenshot:
        return _screenshot(app, window, args.screenshot)
    window.show()
    if not args.session:
        file_actions.offer_autosave_restore()
    return app.exec()


def main() -> int:
    """Entry point of the `netsim` command (pyproject's scripts)."""
    from ui.shell.launch import launch
    return launch()


def _train_headless(window, steps: int):
    if not steps:
        return
    try:
        window.controller.train_now(steps)
    except DivergenceError as exc:
        print(f"netsim: {exc}", file=sys.stderr)
        window.statusBar().showMessage(str(exc))


def settle_for_picture(app, window):
    """Lay out and paint the window with the figures of this very step: every number that is
    rewritten at most a few times a second (a Throttle) is written now, or a picture taken
    right after training would show the legend or the counters of an earlier frame."""
    window.show()
    for _ in range(SCREENSHOT_EVENT_ROUNDS):
        app.processEvents()
    window.controller.publish()
    for throttle in window.findChildren(Throttle):
        throttle.flush()
    app.processEvents()


def _screenshot(app, window, path: str) -> int:
    settle_for_picture(app, window)
    if not window.grab().save(path):
        folder = Path(path).resolve().parent
        why = (f"the folder {folder} does not exist" if not folder.is_dir() else
               "check that the folder is writable and the name ends in .png or .jpg")
        print(f"netsim: cannot write the screenshot {path}: {why}", file=sys.stderr)
        return 1
    window.close()
    return 0
