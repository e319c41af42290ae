"""File menu: sessions (open, save, save as), weight export and import, history as CSV, and
autosave with an offer to restore after an unclean exit (each instance its own locked file,
ui/shell/autosaves.py).

    install_file_actions(window)          # adds the actions to window.menus["file"]
    open_session_into(window, path)       # for `python app.py run.netsim`

The window provides `menus["file"]` (a QMenu) and `controller` (ui.controller's
TrainingController), whose methods do the work: `open_session(path)`, `save_session(path)`,
`export_weights(path)`, `import_weights(path)`, `export_history(path)`, `run_state()` (has
the run changed since the last autosave?), `pause()`, `play()` and `is_running` (training that
was running before a save pauses while the file is chosen and written, then goes on). Every
question and message goes through the module functions `ask_open_path`, `ask_save_path`,
`ask_restore_autosave` and `show_error`, which tests replace. Errors never lose the current
run.
"""
import contextlib
import time
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from netsim.errors import NetsimError
from netsim.io import EXPORT_FORMATS, IMPORT_FORMATS
from netsim.session import SUFFIX, session_summary
from ui.shell import notices
from ui.shell.autosaves import Autosaves

AUTOSAVE_INTERVAL_MS = 60_000
SESSION_FILTER = f"NetSim sessions (*{SUFFIX})"
CSV_FILTER = "CSV tables (*.csv)"


def _filters(formats) -> str:
    return ";;".join(f"{f.title} (*{f.suffix})" for f in formats.values())


EXPORT_FILTER = _filters(EXPORT_FORMATS)
IMPORT_FILTER = (f"Weight files ({' '.join('*' + s for s in IMPORT_FORMATS)});;"
                 + _filters(IMPORT_FORMATS))


# ---- questions and messages (tests replace these) -----------------------------------------

def ask_open_path(parent, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path or None


def ask_save_path(parent, title: str, filters: str, suggested: str = "") -> str | None:
    """A path to write, with the suffix of the chosen filter added if the user typed none."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return with_suffix(path, chosen) if path else None


def with_suffix(path: str, chosen_filter: str) -> str:
    """`path`, plus the first suffix of the filter the user chose if it has none:
    "net" with "ONNX model (*.onnx)" -> "net.onnx"."""
    if Path(path).suffix or "(*." not in chosen_filter:
        return path
    return path + chosen_filter.split("(*", 1)[1].split(")")[0].split()[0]


def ask_restore_autosave(parent, choices: list[str]) -> int | None:
    """Which of the runs saved automatically by instances that did not close normally to
    restore (choices: one line each, newest first): its index, or None for none."""
    if len(choices) == 1:
        answer = QMessageBox.question(
            parent, "Restore the last run?",
            f"NetSim did not close normally. Restore the run it saved automatically "
            f"({choices[0]})?", QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        return 0 if answer == QMessageBox.Yes else None
    choice, ok = QInputDialog.getItem(
        parent, "Restore a run?", "NetSim windows that did not close normally saved these "
        "runs. Restore one (the others are deleted), or Cancel to delete them all:",
        choices, 0, False)
    return choices.index(choice) if ok else None


def autosave_description(path: Path) -> str:
    """"14:03 · circle · step 450": when a run was saved automatically, its data and step."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime))
    try:
        summary = session_summary(path)
    except (NetsimError, OSError):
        return f"{when} · unreadable"
    return f"{when} · {summary['dataset']} · step {summary['step']:,}"


def show_error(parent, title: str, message: str):
    """A notice that does not block (a modal box would stall a `--screenshot` run that opens
    a bad session): the main window's `notify` (status bar and notice) if it has one."""
    notify = getattr(parent, "notify", None)
    if callable(notify):
        notify(title, message)
    else:
        notices.show_notice(parent, title, message)


# ---- the actions ------------------------------------------------------------------------

def default_autosave_folder() -> Path:
    """Where the autosave files go: the user's data directory for NetSim."""
    folder = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    return Path(folder or Path.home() / ".netsim")


class FileActions(QObject):
    """The File menu's session and weight actions for one window, and its autosave."""

    def __init__(self, window, autosave_folder: Path | None = None):
        super().__init__(window)
        self.window = window
        self.session_path: Path | None = None
        self.autosaves = Autosaves(autosave_folder or default_autosave_folder())
        self.autosave_path = self.autosaves.path
        self._autosaved = self.controller.run_state()   # nothing to autosave until it changes
        self.actions: dict[str, QAction] = {}
        menu = window.menus["file"]
        self._add(menu, "open", "&Open session…", QKeySequence.Open, self.open_session)
        self._add(menu, "save", "&Save session", QKeySequence.Save, self.save_session)
        self._add(menu, "save_as", "Save session &as…", QKeySequence("Ctrl+Shift+S"),
                  self.save_session_as)
        menu.addSeparator()
        self._add(menu, "export", "&Export weights…", QKeySequence("Ctrl+E"), self.export_weights)
        self._add(menu, "import", "&Import weights…", QKeySequence("Ctrl+Shift+I"),
                  self.import_weights)
        self._add(menu, "history", "Export &history as CSV…", None, self.export_history)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.remove_autosave)

    def _add(self, menu, key, text, shortcut, slot):
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.actions[key] = action

    @property
    def controller(self):
        return self.window.controller

    # sessions

    def open_session(self):
        path = ask_open_path(self.window, "Open session", SESSION_FILTER)
        if path:
            open_session_into(self.window, path)

    def save_session(self) -> bool:
        if self.session_path is None:
            return self.save_session_as()
        return self._save(self.session_path)

    def save_session_as(self) -> bool:
        with _paused(self.controller):
            path = ask_save_path(self.window, "Save session", SESSION_FILTER,
                                 str(self.session_path or ""))
            if not path:
                return False
            return self._save(Path(path))

    def _save(self, path: Path) -> bool:
        with _paused(self.controller):
            if not self._attempt("Cannot save the session", self.controller.save_session,
                                 path):
                return False
        self.session_path = Path(path)
        self._show_file(f"Saved {path.name}")
        return True

    # weights and history

    def export_weights(self) -> bool:
        with _paused(self.controller):
            path = ask_save_path(self.window, "Export weights", EXPORT_FILTER)
            return bool(path) and self._attempt("Cannot export the weights",
                                                self.controller.export_weights, path)

    def import_weights(self) -> bool:
        with _paused(self.controller):
            path = ask_open_path(self.window, "Import weights", IMPORT_FILTER)
            if not path or not self._attempt("Cannot import the weights",
                                             self.controller.import_weights, path):
                return False
            self._show_file(f"Imported the weights of {Path(path).name}")
            return True

    def export_history(self) -> bool:
        with _paused(self.controller):
            path = ask_save_path(self.window, "Export history as CSV", CSV_FILTER)
            return bool(path) and self._attempt("Cannot export the history",
                                                self.controller.export_history, path)

    def _attempt(self, title, function, *args) -> bool:
        try:
            function(*args)
        except (NetsimError, OSError) as exc:
            show_error(self.window, title, error_message(exc))
            return False
        return True

    def _show_file(self, message):
        status_bar = getattr(self.window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(message, 5000)

    # autosave

    def autosave(self) -> bool:
        """Save to the autosave file if the run changed since the last autosave."""
        state = self.controller.run_state()
        if state == self._autosaved:
            return False
        try:
            self.autosave_path.parent.mkdir(parents=True, exist_ok=True)
            self.controller.save_session(self.autosave_path)
        except (NetsimError, OSError):
            return False            # never interrupt the user for a background save
        self._autosaved = state
        return True

    def remove_autosave(self):
        """A clean exit: nothing to restore next time (and no other instance's file touched)."""
        self.autosave_timer.stop()
        self.autosaves.release()

    def offer_autosave_restore(self) -> bool:
        """Runs saved automatically by NetSim windows that ended without closing (their lock's
        process is gone) are offered, newest first; declined, they are deleted. A running
        window's autosave is never offered nor deleted."""
        orphans = self.autosaves.claim_orphans()
        if not orphans:
            return False
        chosen = ask_restore_autosave(self.window, [autosave_description(p) for p in orphans])
        restored = chosen is not None and open_session_into(self.window, orphans[chosen],
                                                            remember_path=False)
        self.autosaves.remove(orphans)      # restored, declined or unreadable: ask no more
        return restored


def install_file_actions(window, autosave_folder=None) -> FileActions:
    """Add the session and weight actions to window.menus["file"]; returns them (also kept as
    window.file_actions). The launcher calls `offer_autosave_restore()` once the window shows."""
    window.file_actions = FileActions(window, autosave_folder)
    return window.file_actions


def open_session_into(window, path, remember_path: bool = True) -> bool:
    """Load the session at `path` and make it the window's run; on any problem show why and
    keep the current run. True on success."""
    try:
        window.controller.open_session(path)
    except (NetsimError, OSError) as exc:
        show_error(window, "Cannot open the session", error_message(exc))
        return False
    actions = getattr(window, "file_actions", None)
    if actions is not None:
        actions.session_path = Path(path) if remember_path else None
    if remember_path:
        window.setWindowFilePath(str(path))
    return True


def error_message(exc: Exception) -> str:
    """What to tell a person about a failed read or write: the file and the reason."""
    if isinstance(exc, OSError) and not isinstance(exc, NetsimError):
        return f"{exc.filename or 'The file'}: {exc.strerror or exc}"
    return str(exc)


@contextlib.contextmanager
def _paused(controller):
    """Training stops while a file is chosen and written, so the file holds the run as it was
    when the user asked; it goes on afterwards if it was running."""
    running = controller.is_running
    controller.pause()
    try:
        yield
    finally:
        if running:
            controller.play()
