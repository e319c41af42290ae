"""Fixtures of the main window's tests: a window whose messages are collected, not shown,
and whose settings live in a temporary file."""
import pytest
from PySide6.QtCore import QSettings

from netsim import Config
from ui import colors
from ui.controller import TrainingController
from ui.shell import notices
from ui.shell.main_window import MainWindow


@pytest.fixture
def shown_notices(monkeypatch):
    """(title, text) of every notice the UI would have shown."""
    seen = []
    monkeypatch.setattr(notices, "show_notice",
                        lambda parent, title, text, warning=True: seen.append((title, text)))
    return seen


@pytest.fixture(autouse=True)
def default_palette():
    yield
    colors.set_palette("playground")


@pytest.fixture
def make_window(qtbot, tmp_path, shown_notices):
    def make(config: Config | None = None, settings_file="settings.ini") -> MainWindow:
        settings = QSettings(str(tmp_path / settings_file), QSettings.IniFormat)
        window = MainWindow(TrainingController(config), settings)
        qtbot.addWidget(window)
        return window
    return make


@pytest.fixture
def window(make_window):
    return make_window()
