"""A process that opens files as NetSim's users do, under a memory cap, and says what happened.

    python tests/adversarial_worker.py CAP_BYTES [--app FOLDER]      (from the repository's root)

Reads one JSON request a line on stdin, {"how": ..., "path": ..., "config": {...}}, and
answers one JSON line on stdout: {"outcome": "loaded"} (and two training steps went through),
{"outcome": "refused", "stage": "read" or "run", "error": "FileFormatError", "message": ...}
for one of NetSim's own errors while reading the file or building and training from it, {"outcome": "exit", "code": n, "stderr": ...} from netsim-train, or
{"outcome": "unexpected", "traceback": ...} for anything else, a MemoryError at the cap among
them. With --app it opens them as the app does (offscreen): File > Open session and Import
weights, and a teacher's lesson file, with the app's dialogs answered by the request and its
messages recorded; a refusal must also keep the run as it was ("kept"). The address space is
capped with setrlimit before numpy is imported, so a file that
makes NetSim allocate beyond the cap fails here instead of taking the machine's memory.
"""
import contextlib
import io
import json
import os
import resource
import sys
import traceback


def cap_memory(n_bytes: int):
    resource.setrlimit(resource.RLIMIT_AS, (n_bytes, n_bytes))


def open_file(how: str, path: str, config: dict) -> dict:
    from netsim import Config, NetsimError, Trainer
    from netsim.cli import main
    from netsim.config_file import load_config_file
    from netsim.datasets import load_csv
    from netsim.io import import_weights
    from netsim.lessons import load_lesson
    from netsim.session import load_session

    if how.startswith("cli"):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main([f"--{how[4:]}", path, "--steps", "2", "--quiet"])
        return {"outcome": "exit", "code": code, "stderr": stderr.getvalue()}
    stage = "read"          # reading the file; then "run": building and training from it
    try:
        if how == "session":
            trainer = load_session(path)
        elif how == "weights":
            trainer = Trainer(Config.from_dict(config))
            import_weights(trainer, path)
        elif how == "lesson":
            lesson = load_lesson(path)
            stage = "run"
            trainer = Trainer(lesson.config)
        elif how == "config":
            settings = load_config_file(path)
            stage = "run"
            trainer = Trainer(settings)
        elif how == "csv":
            load_csv(path)
            stage = "run"
            trainer = Trainer(Config.from_dict({**config, "csv_path": path}))
        else:
            raise ValueError(f"unknown request {how!r}")
        stage = "run"
        trainer.step(2)
    except NetsimError as exc:
        return {"outcome": "refused", "stage": stage, "error": type(exc).__name__,
                "message": str(exc)}
    return {"outcome": "loaded"}


class App:
    """The main window as the app builds it, its questions answered by the request and its
    messages kept."""

    def __init__(self, folder: str):
        """folder: where the app may write (its autosave file, which it never writes here)."""
        from PySide6.QtWidgets import QApplication

        from netsim import Config
        from ui.controller import TrainingController
        from ui.panels.lessons_panel import install_lessons
        from ui.panels.sweep_panel import install_compare
        from ui.shell import file_actions
        from ui.shell.main_window import MainWindow

        self.qt = QApplication.instance() or QApplication([])
        self.window = MainWindow(TrainingController(Config()), None)
        file_actions.install_file_actions(self.window, autosave_folder=folder)
        self.window.file_actions.autosave_timer.stop()
        _pins, sweep_panel = install_compare(self.window)
        self.lessons = install_lessons(self.window, sweep_panel)
        self.errors, self.path = [], None
        file_actions.show_error = lambda parent, title, message: self.errors.append(message)
        file_actions.ask_open_path = lambda *args: self.path

    def open_file(self, how: str, path: str, config: dict) -> dict:
        from netsim import Config, Trainer
        from ui.shell.file_actions import open_session_into

        controller = self.window.controller
        controller.adopt(Trainer(Config.from_dict(config)))
        before = controller.run_state()
        self.errors.clear()
        self.path = path
        if how == "app:session":
            opened = open_session_into(self.window, path)
        elif how == "app:weights":
            opened = self.window.file_actions.import_weights()
        elif how == "app:lesson":
            opened = self.lessons.open_file(path)
            self.errors.append(self.lessons.status.text())
        else:
            raise ValueError(f"unknown request {how!r}")
        if opened:
            return {"outcome": "loaded"}
        return {"outcome": "refused", "stage": "app", "message": " ".join(self.errors),
                "kept": controller.run_state() == before}


def serve(requests, replies, app=None):
    for line in requests:
        request = json.loads(line)
        try:
            opener = app.open_file if app is not None and request["how"].startswith("app") \
                else open_file
            reply = opener(request["how"], request["path"], request.get("config", {}))
        except BaseException:           # what the test looks for: anything not ours
            reply = {"outcome": "unexpected", "traceback": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    cap_memory(int(sys.argv[1]))
    import netsim  # noqa: F401  (sets single-threaded BLAS before numpy loads)
    app = None
    if "--app" in sys.argv:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = App(sys.argv[sys.argv.index("--app") + 1])
    serve(sys.stdin, sys.stdout, app)
