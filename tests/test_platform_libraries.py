"""What Qt's windowing plugins need from the system: every library installed, every library
listed with its package, and a clear message (not Qt's abort) when one is missing."""
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from ui.shell.platform_libraries import (BASE_SONAMES, PACKAGES, missing_libraries_message,
                                   missing_platform_libraries, package_names, package_of,
                                   platform_candidates, qt_plugin_dir)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="Qt's platform plugins load system libraries on Linux")

# the plugins NetSim's window loads on an X11 or Wayland desktop
PLUGINS = ("platforms/libqxcb.so", "platforms/libqwayland.so", "xcbglintegrations/*.so",
           "imageformats/libqsvg.so", "iconengines/libqsvgicon.so",
           "wayland-shell-integration/libxdg-shell.so",
           "wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
           "wayland-decoration-client/*.so")


def plugin_files() -> list[Path]:
    folder = qt_plugin_dir()
    assert folder is not None, "PySide6 ships no Qt/plugins folder"
    files = [path for pattern in PLUGINS for path in sorted(folder.glob(pattern))]
    assert any(path.name == "libqxcb.so" for path in files)
    return files


def needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of a 64-bit little-endian ELF file: the libraries it loads."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, f"{path}: not ELF64 LE"
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + k * shentsize)
                for k in range(shnum)]
    names = []
    for _name, kind, _flags, _addr, offset, size, link, *_rest in sections:
        if kind != 6:                                   # SHT_DYNAMIC
            continue
        strings = sections[link][4]                     # .dynstr's file offset
        for tag, value in struct.iter_unpack("<qQ", data[offset:offset + size]):
            if tag == 1:                                # DT_NEEDED
                end = data.index(b"\0", strings + value)
                names.append(data[strings + value:end].decode())
    return names


def system_needs() -> dict[str, set[str]]:
    """Library -> the files that need it, over the plugins and the Qt libraries they pull from
    the wheel, for every library the wheel does not carry."""
    qt_lib = qt_plugin_dir().parent / "lib"
    needs: dict[str, set[str]] = {}
    queue, seen = list(plugin_files()), set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        for soname in needed(path):
            bundled = qt_lib / soname
            if bundled.exists():
                queue.append(bundled)
            elif not BASE_SONAMES.match(soname):
                needs.setdefault(soname, set()).add(path.name)
    return needs


def test_every_system_library_the_plugins_need_has_its_package_listed():
    unlisted = {soname: sorted(users) for soname, users in system_needs().items()
                if package_of(soname) is None}
    assert not unlisted, (f"add these to ui/platform_libraries.PACKAGES (a new PySide6 needs "
                          f"them): {unlisted}")


@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd lists what cannot be found")
def test_every_library_the_plugins_need_is_installed():
    missing = {}
    for path in plugin_files():
        listing = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            if "not found" in line:
                soname = line.split("=>")[0].strip()
                missing.setdefault(soname, set()).add(path.name)
    packages = package_names("apt-get", sorted(missing))
    assert not missing, (f"missing {sorted(missing)} (needed by "
                         f"{sorted(set().union(*missing.values()))}): run `make system-deps` "
                         f"as root, or apt-get install {' '.join(packages)}")


def test_the_installed_platform_loads():
    assert missing_platform_libraries({"DISPLAY": ":0"}) == []


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc to build a plugin")
def test_a_plugin_whose_library_is_gone_is_named_with_every_missing_library(tmp_path):
    stubs, plugins = tmp_path / "stubs", tmp_path / "plugins" / "platforms"
    stubs.mkdir()
    plugins.mkdir(parents=True)
    source = tmp_path / "empty.c"
    source.write_text("int netsim_probe(void) { return 0; }\n")
    absent = ["libnetsim-absent-a.so.0", "libnetsim-absent-b.so.1"]
    for soname in absent:
        subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(stubs / soname),
                        f"-Wl,-soname,{soname}", str(source)], check=True)
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(plugins / "libqxcb.so"), str(source),
                    "-Wl,--no-as-needed", f"-L{stubs}",
                    *(f"-l:{soname}" for soname in absent)], check=True)
    shutil.rmtree(stubs)                 # as if the libraries were removed from the system
    missing = missing_platform_libraries({"DISPLAY": ":0"}, plugins.parent)
    assert missing == absent


def test_offscreen_and_other_plugins_are_not_checked(tmp_path):
    assert missing_platform_libraries({"QT_QPA_PLATFORM": "offscreen"}, tmp_path) == []


@pytest.mark.parametrize("env, expected", [
    ({}, ["xcb"]),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, ["wayland", "xcb"]),
    ({"XDG_SESSION_TYPE": "wayland"}, ["xcb"]),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, ["wayland", "xcb"]),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, ["xcb"]),
])
def test_platforms_are_tried_in_qt_order(env, expected):
    assert platform_candidates(env) == expected


def test_the_message_names_the_library_and_the_command_that_installs_it(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda command: "/usr/bin/apt-get"
                        if command == "apt-get" else None)
    message = missing_libraries_message(["libxcb-cursor.so.0", "libxcb-icccm.so.4"])
    assert "libxcb-cursor.so.0 libxcb-icccm.so.4" in message
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in message
    assert "dnf" not in message


def test_without_a_known_installer_the_message_gives_each_distribution_its_command(
        monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda command: None)
    message = missing_libraries_message(["libxcb-keysyms.so.1"])
    assert "sudo apt-get install libxcb-keysyms1" in message
    assert "sudo dnf install xcb-util-keysyms" in message
    assert "sudo pacman -S xcb-util-keysyms" in message


def test_the_install_script_lists_the_test_tools_only_for_tests():
    script = Path(__file__).resolve().parents[1] / "ui" / "shell" / "platform_libraries.py"
    run = subprocess.run([sys.executable, str(script), "apt"], capture_output=True, text=True,
                         check=True).stdout.split()
    test = subprocess.run([sys.executable, str(script), "apt", "--test"], capture_output=True,
                          text=True, check=True).stdout.split()
    assert "libxcb-cursor0" in run and "xvfb" not in run
    assert set(run) < set(test) and {"xvfb", "xdotool", "x11-apps"} <= set(test)
    assert len(PACKAGES) >= 20


@pytest.mark.parametrize("manager, command", [("apt", "sudo apt-get install"),
                                              ("dnf", "sudo dnf install"),
                                              ("pacman", "sudo pacman -S")])
def test_the_readme_lists_what_the_install_step_installs(manager, command):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    start = readme.index(command)
    listed = readme[start + len(command):readme.index("```", start)].replace("\\", " ").split()
    expected = {getattr(package, manager).split("|")[-1] for package in PACKAGES
                if not package.for_tests}
    assert set(listed) == expected
