"""The launcher parses the command line and refuses, in one line, to start without a display."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.shell.launch import NO_DISPLAY_MESSAGE, build_arg_parser, display_available

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "env",
    [
        {"DISPLAY": ":0"},
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "minimal"},
        {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"},
        {"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-1"},
        {"QT_QPA_PLATFORM": "wayland;offscreen"},
    ],
)
def test_display_available_on_linux(env):
    assert display_available(env, "linux")


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"QT_QPA_PLATFORM": ""},
        {"QT_QPA_PLATFORM": "xcb"},
        {"QT_QPA_PLATFORM": "wayland-egl"},
        {"QT_QPA_PLATFORM": "wayland;xcb"},
        {"QT_QPA_PLATFORM": "xcb:nograb"},
        {"DISPLAY": "", "WAYLAND_DISPLAY": ""},
    ],
)
def test_no_display_on_linux(env):
    assert not display_available(env, "linux")


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_display_assumed_off_linux(platform):
    assert display_available({}, platform)


def test_parser_reads_session_and_options():
    args = build_arg_parser().parse_args(
        ["run.netsim", "--screenshot", "out.png", "--steps", "500", "--config", "cfg.json"]
    )
    assert (args.session, args.screenshot, args.steps, args.config) == (
        "run.netsim", "out.png", 500, "cfg.json"
    )


def test_parser_defaults():
    args = build_arg_parser().parse_args([])
    assert (args.session, args.screenshot, args.steps, args.config) == (None, None, 0, None)


@pytest.mark.parametrize("steps", ["-1", "many"])
def test_parser_rejects_bad_steps(steps, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_arg_parser().parse_args(["--steps", steps])
    assert exit_info.value.code == 2
    assert "--steps" in capsys.readouterr().err


def _env_without_display():
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def test_app_without_display_exits_2_with_one_line():
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=_env_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [NO_DISPLAY_MESSAGE]
    assert "QT_QPA_PLATFORM=offscreen" in result.stderr
    assert "Traceback" not in result.stderr


def test_display_check_comes_before_any_qt_import():
    probe = (
        "import sys; from ui.shell.launch import launch; code = launch([]); "
        "print(code, sorted(m for m in ('PySide6', 'pyqtgraph', 'ui.shell.main')"
        " if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=_env_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["2", "[]"]


def test_help_needs_no_display():
    result = subprocess.run(
        [sys.executable, "app.py", "--help"],
        cwd=ROOT,
        env=_env_without_display(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "--screenshot" in result.stdout


def test_missing_windowing_libraries_exit_2_naming_them_before_qt_loads():
    # the plugin check stands in for a system without libxcb-cursor0 (tests/
    # test_platform_libraries.py checks it against a plugin whose libraries are gone)
    probe = (
        "import sys; import ui.shell.launch as launch_module; "
        "launch_module.missing_platform_libraries = lambda: ['libxcb-cursor.so.0']; "
        "code = launch_module.launch([]); "
        "print(code, sorted(m for m in ('PySide6.QtGui', 'ui.shell.main') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT,
                            env=dict(_env_without_display(), DISPLAY=":99"),
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["2", "[]"]
    assert "libxcb-cursor.so.0" in result.stderr and "libxcb-cursor0" in result.stderr
    assert "Traceback" not in result.stderr
