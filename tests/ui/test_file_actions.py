"""The File menu's session and weight actions, against a small stand-in for the main window:
shortcuts, dialogs (replaced), errors shown and the current run kept, autosave."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from netsim import Config, Trainer
from netsim.io import export_weights
from netsim.session import load_session, save_session
from ui import controller as controller_module
from ui.controller import TrainingController
from ui.shell import file_actions
from ui.shell.file_actions import install_file_actions, open_session_into


class FakeController:
    """The controller interface file_actions relies on: the real controller's file methods,
    over a trainer the test sets, with play and pause only noted."""

    def __init__(self, trainer):
        self.trainer = trainer
        self.is_running = False
        self.log = []

    @property
    def _trainer(self):              # what the real controller's methods read
        return self.trainer

    open_session = TrainingController.open_session
    save_session = TrainingController.save_session
    export_weights = TrainingController.export_weights
    import_weights = TrainingController.import_weights
    export_history = TrainingController.export_history
    run_state = TrainingController.run_state

    def adopt(self, trainer):
        self.log.append("adopt")
        self.trainer = trainer

    def pause(self):
        self.log.append("pause")
        self.is_running = False

    def play(self):
        self.log.append("play")
        self.is_running = True

    def publish(self):
        self.log.append("publish")


class FakeWindow(QMainWindow):
    def __init__(self, trainer):
        super().__init__()
        self.menus = {"file": self.menuBar().addMenu("&File")}
        self.controller = FakeController(trainer)


def small_trainer(seed=0, steps=10):
    trainer = Trainer(Config(dataset="circle", layers=[3], seed=seed, optimizer="adam"))
    trainer.step(steps)
    return trainer


@pytest.fixture
def dialogs(monkeypatch):
    """Replaces every question and message; tests set .open/.save/.restore answers."""
    class Dialogs:
        open = save = None
        restore = None              # the index of the autosave to restore, None for none
        errors = []
    d = Dialogs()
    d.errors = []
    monkeypatch.setattr(file_actions, "ask_open_path", lambda *a: d.open)
    monkeypatch.setattr(file_actions, "ask_save_path", lambda *a: d.save)
    d.offered = []
    monkeypatch.setattr(file_actions, "ask_restore_autosave",
                        lambda parent, choices: d.offered.append(choices) or d.restore)
    monkeypatch.setattr(file_actions, "show_error", lambda parent, title, msg:
                        d.errors.append((title, msg)))
    return d


@pytest.fixture
def window(qtbot, tmp_path, dialogs):
    w = FakeWindow(small_trainer())
    qtbot.addWidget(w)
    install_file_actions(w, autosave_folder=tmp_path / "appdata")
    return w


def parameters(trainer):
    return [p.copy() for p in trainer.network.parameters]


def test_file_menu_has_every_action_with_its_shortcut(window):
    actions = window.file_actions.actions
    menu_texts = [a.text() for a in window.menus["file"].actions() if not a.isSeparator()]
    assert menu_texts == ["&Open session…", "&Save session", "Save session &as…",
                          "&Export weights…", "&Import weights…", "Export &history as CSV…"]
    assert actions["open"].shortcut() == QKeySequence("Ctrl+O")
    assert actions["save"].shortcut() == QKeySequence("Ctrl+S")
    assert actions["save_as"].shortcut() == QKeySequence("Ctrl+Shift+S")
    assert actions["export"].shortcut() == QKeySequence("Ctrl+E")
    assert actions["import"].shortcut() == QKeySequence("Ctrl+Shift+I")


def test_save_asks_for_a_path_once_then_saves_there(window, dialogs, tmp_path):
    dialogs.save = str(tmp_path / "run.netsim")
    window.file_actions.actions["save"].trigger()
    assert load_session(tmp_path / "run.netsim").step_count == 10
    window.controller.trainer.step(5)
    dialogs.save = None                                  # no second question
    window.file_actions.actions["save"].trigger()
    assert load_session(tmp_path / "run.netsim").step_count == 15


def test_saving_pauses_training_and_resumes_it(window, dialogs, tmp_path):
    window.controller.is_running = True
    dialogs.save = str(tmp_path / "run.netsim")
    window.file_actions.actions["save_as"].trigger()
    assert window.controller.log[0] == "pause" and window.controller.log[-1] == "play"
    assert window.controller.is_running


def test_open_session_adopts_the_saved_run(window, dialogs, tmp_path):
    other = small_trainer(seed=3, steps=40)
    dialogs.open = str(save_session(other, tmp_path / "other.netsim"))
    window.file_actions.actions["open"].trigger()
    adopted = window.controller.trainer
    assert adopted.step_count == 40
    np.testing.assert_array_equal(adopted.network.weights[0], other.network.weights[0])
    assert window.file_actions.session_path == tmp_path / "other.netsim"
    assert dialogs.errors == []


def test_bad_session_shows_why_and_keeps_the_current_run(window, dialogs, tmp_path):
    bad = tmp_path / "bad.netsim"
    bad.write_bytes(b"not a session")
    current = window.controller.trainer
    dialogs.open = str(bad)
    window.file_actions.actions["open"].trigger()
    assert window.controller.trainer is current and "adopt" not in window.controller.log
    (title, message), = dialogs.errors
    assert title == "Cannot open the session" and "bad.netsim" in message


def test_open_session_into_is_what_the_launcher_calls(qtbot, tmp_path, dialogs):
    window = FakeWindow(small_trainer())
    qtbot.addWidget(window)
    path = save_session(small_trainer(seed=2, steps=20), tmp_path / "run.netsim")
    assert open_session_into(window, path)
    assert window.controller.trainer.step_count == 20
    assert window.windowFilePath() == str(path)


def test_export_then_import_weights_through_the_menu(window, dialogs, tmp_path):
    source_weights = parameters(window.controller.trainer)
    dialogs.save = str(tmp_path / "net.safetensors")
    window.file_actions.actions["export"].trigger()
    window.controller.trainer = small_trainer(seed=5)
    dialogs.open = str(tmp_path / "net.safetensors")
    window.file_actions.actions["import"].trigger()
    for got, want in zip(window.controller.trainer.network.parameters, source_weights):
        np.testing.assert_array_equal(got, want)
    assert window.controller.log[-1] == "publish" and dialogs.errors == []


def test_mismatched_weights_show_the_layer_and_keep_the_weights(window, dialogs, tmp_path):
    other = Trainer(Config(dataset="circle", layers=[5]))
    dialogs.open = str(export_weights(other, tmp_path / "wide.npz"))
    before = parameters(window.controller.trainer)
    window.file_actions.actions["import"].trigger()
    (title, message), = dialogs.errors
    assert "layer 1: expected weights of shape (2, 3), the file has (2, 5)" in message
    for got, want in zip(window.controller.trainer.network.parameters, before):
        np.testing.assert_array_equal(got, want)


def test_history_csv_through_the_menu(window, dialogs, tmp_path):
    dialogs.save = str(tmp_path / "history.csv")
    window.file_actions.actions["history"].trigger()
    assert (tmp_path / "history.csv").read_text().startswith("step,")


def test_write_error_is_shown_not_raised(window, dialogs, tmp_path):
    dialogs.save = str(tmp_path / "no such folder" / "net.npz")
    window.file_actions.actions["export"].trigger()
    (title, message), = dialogs.errors
    assert title == "Cannot export the weights" and "No such file" in message


def test_autosave_runs_every_minute_and_writes_only_when_the_run_changed(window):
    actions = window.file_actions
    assert actions.autosave_timer.interval() == 60_000 and actions.autosave_timer.isActive()
    assert not actions.autosave() and not actions.autosave_path.exists()
    window.controller.trainer.step(3)
    assert actions.autosave()
    assert load_session(actions.autosave_path).step_count == 13
    assert not actions.autosave()                      # nothing new since
    window.controller.trainer.set_weight(0, 0, 0, 1.25)
    assert actions.autosave()
    assert load_session(actions.autosave_path).network.weights[0][0, 0] == 1.25


def test_autosave_failure_is_silent(window, tmp_path):
    blocker = tmp_path / "file, not a folder"
    blocker.write_text("")
    window.file_actions.autosave_path = blocker / "autosave.netsim"
    window.controller.trainer.step(1)
    assert not window.file_actions.autosave()


def test_clean_exit_removes_the_autosave(window):
    window.controller.trainer.step(1)
    assert window.file_actions.autosave()
    window.file_actions.remove_autosave()
    assert not window.file_actions.autosave_path.exists()


def test_after_an_unclean_exit_restoring_is_offered(qtbot, tmp_path, dialogs):
    autosave = tmp_path / "autosave.netsim"
    save_session(small_trainer(seed=4, steps=33), autosave)
    window = FakeWindow(small_trainer())
    qtbot.addWidget(window)
    actions = install_file_actions(window, autosave_folder=tmp_path)
    dialogs.restore = 0
    assert actions.offer_autosave_restore()
    assert window.controller.trainer.step_count == 33
    assert actions.session_path is None               # Ctrl+S asks where to save


def test_declining_the_restore_removes_the_autosave(qtbot, tmp_path, dialogs):
    autosave = tmp_path / "autosave.netsim"
    save_session(small_trainer(), autosave)
    window = FakeWindow(small_trainer(seed=1))
    qtbot.addWidget(window)
    actions = install_file_actions(window, autosave_folder=tmp_path)
    dialogs.restore = None
    assert not actions.offer_autosave_restore()
    assert not autosave.exists() and "adopt" not in window.controller.log


def test_export_filter_lists_every_format():
    for suffix in (".npz", ".json", ".safetensors", ".onnx", ".py"):
        assert f"(*{suffix})" in file_actions.EXPORT_FILTER


@pytest.mark.parametrize("typed, chosen, expected", [
    ("net", "ONNX model (*.onnx)", "net.onnx"),
    ("net.npz", "ONNX model (*.onnx)", "net.npz"),
    ("run", "NetSim sessions (*.netsim)", "run.netsim"),
    ("net", "Weight files (*.npz *.json *.safetensors)", "net.npz"),
])
def test_a_name_typed_without_suffix_gets_the_chosen_filters(typed, chosen, expected):
    assert file_actions.with_suffix(typed, chosen) == expected


def test_with_the_real_controller_saving_pauses_and_training_goes_on(qtbot, tmp_path, dialogs,
                                                                     monkeypatch):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menus = {"file": window.menuBar().addMenu("&File")}
    window.controller = TrainingController(Config(dataset="circle", layers=[3]))
    actions = install_file_actions(window, autosave_folder=tmp_path)
    saved_at = []

    def save_and_note(trainer, path, real_save=controller_module.save_session):
        saved_at.append((trainer.step_count, window.controller.is_running))
        return real_save(trainer, path)
    monkeypatch.setattr(controller_module, "save_session", save_and_note)
    window.controller.play()
    qtbot.waitUntil(lambda: window.controller.trainer.step_count > 20)
    dialogs.save = str(tmp_path / "run.netsim")
    actions.actions["save_as"].trigger()
    (step, running_while_saving), = saved_at
    assert not running_while_saving and window.controller.is_running
    window.controller.pause()
    assert load_session(tmp_path / "run.netsim").step_count == step
    dialogs.open = str(tmp_path / "run.netsim")
    actions.actions["open"].trigger()
    assert window.controller.trainer.step_count == step and dialogs.errors == []


def test_in_the_real_main_window_the_file_menu_keeps_quit_last(qtbot, tmp_path, dialogs):
    from ui.shell.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    actions = install_file_actions(window, autosave_folder=tmp_path)
    menu = window.menus["file"]
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[-1] == "&Quit" and "&Export weights…" in texts
    dialogs.save = str(tmp_path / "run.netsim")
    window.controller.step()
    actions.actions["save"].trigger()
    assert load_session(tmp_path / "run.netsim").step_count == 1


def test_errors_in_the_real_main_window_are_non_blocking_notices(qtbot, tmp_path, monkeypatch):
    from ui.shell.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    shown = []
    monkeypatch.setattr(window, "notify", lambda title, text: shown.append((title, text)))
    bad = tmp_path / "bad.netsim"
    bad.write_text("nonsense")
    assert not open_session_into(window, bad)
    assert shown and shown[0][0] == "Cannot open the session"


def test_a_session_of_a_network_larger_than_the_app_shows_is_refused_and_the_run_stays(
        qtbot, tmp_path, monkeypatch):
    from netsim import Config, Trainer
    from ui.shell.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    shown = []
    monkeypatch.setattr(window, "notify", lambda title, text: shown.append((title, text)))
    big = save_session(Trainer(Config(layers=(64,))), tmp_path / "big.netsim")
    before = window.controller.trainer
    assert not open_session_into(window, big)
    assert window.controller.trainer is before
    assert "netsim-train" in shown[0][1]


def orphan_autosave(folder, trainer):
    """An autosave file whose instance crashed: its lock names a process that has ended."""
    script = ("import sys, os; from PySide6.QtCore import QLockFile\n"
              "lock = QLockFile(sys.argv[1] + '.lock'); lock.tryLock(0); os._exit(0)\n")
    path = folder / f"autosave-{len(list(folder.iterdir()))}-deadbeef.netsim"
    save_session(trainer, path)
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert Path(str(path) + ".lock").exists()
    return path


def test_each_instance_autosaves_to_its_own_file_under_its_own_lock(qtbot, tmp_path, dialogs):
    windows = [FakeWindow(small_trainer(seed=s)) for s in (0, 1)]
    actions = []
    for window in windows:
        qtbot.addWidget(window)
        actions.append(install_file_actions(window, autosave_folder=tmp_path))
    for window in windows:
        window.controller.trainer.step(2)
    assert all(a.autosave() for a in actions)
    first, second = (a.autosave_path for a in actions)
    assert first != second and first.exists() and second.exists()
    assert not actions[1].offer_autosave_restore()   # the other window lives: not offered
    assert first.exists() and not dialogs.offered
    actions[1].remove_autosave()                       # a clean exit removes its own only
    assert first.exists() and not second.exists()


def test_only_runs_of_ended_instances_are_offered_with_their_time_data_and_step(
        qtbot, tmp_path, dialogs):
    live = FakeWindow(small_trainer(seed=2))
    qtbot.addWidget(live)
    live_actions = install_file_actions(live, autosave_folder=tmp_path)
    live.controller.trainer.step(1)
    live_actions.autosave()
    older = orphan_autosave(tmp_path, small_trainer(seed=4, steps=33))
    newer = orphan_autosave(tmp_path, small_trainer(seed=5, steps=44))
    os.utime(older, (1e9, 1e9))
    window = FakeWindow(small_trainer())
    qtbot.addWidget(window)
    actions = install_file_actions(window, autosave_folder=tmp_path)
    dialogs.restore = 1                                   # the older of the two
    assert actions.offer_autosave_restore()
    (choices,) = dialogs.offered
    assert [c.split(" · ", 1)[1] for c in choices] == ["circle · step 44", "circle · step 33"]
    assert window.controller.trainer.step_count == 33
    assert not older.exists() and not newer.exists()      # both offered, then gone
    assert live_actions.autosave_path.exists()            # the live window's kept


def test_declining_deletes_the_ended_instances_runs_not_a_live_ones(qtbot, tmp_path, dialogs):
    live = FakeWindow(small_trainer(seed=2))
    qtbot.addWidget(live)
    live_actions = install_file_actions(live, autosave_folder=tmp_path)
    live.controller.trainer.step(1)
    live_actions.autosave()
    orphan = orphan_autosave(tmp_path, small_trainer(seed=4))
    window = FakeWindow(small_trainer())
    qtbot.addWidget(window)
    dialogs.restore = None
    assert not install_file_actions(window, autosave_folder=tmp_path).offer_autosave_restore()
    assert not orphan.exists() and live_actions.autosave_path.exists()
