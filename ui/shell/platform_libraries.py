"""The system libraries Qt's Linux platform plugins load, the packages that hold them, and a
check, before any QApplication exists, that the plugin Qt will pick can load.

Qt aborts the process (it does not raise) when no platform plugin loads, with a message that
names neither the missing library nor its package. `missing_platform_libraries()` loads the
plugin file the way Qt will (one dlopen: about a millisecond when all is well, since Qt loads
the same libraries a moment later anyway) and, only when that fails, asks `ldd` for every
library that is not found.

The package table is the one list of what NetSim needs from a Linux system:
scripts/install-system-deps.sh installs its Debian names (`python3 ui/shell/platform_libraries.py
apt [--test]`), the launcher names its packages when something is missing, and
tests/test_platform_libraries.py checks that every library the installed plugins need is
listed here. Nothing here imports Qt.
"""
import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SystemPackage:
    """One system package, named as apt, dnf and pacman know it, and the libraries it holds.
    An apt name with "|" lists alternatives, newest first (Debian 13 renamed some)."""
    apt: str
    dnf: str
    pacman: str
    sonames: tuple[str, ...] = ()
    for_tests: bool = False           # needed by the real-window tests only, not to run


PACKAGES = (
    # the xcb platform plugin (platforms/libqxcb.so and libQt6XcbQpa.so.6): X11 desktops
    SystemPackage("libx11-6", "libX11", "libx11", ("libX11.so.6",)),
    SystemPackage("libx11-xcb1", "libX11-xcb", "libx11", ("libX11-xcb.so.1",)),
    SystemPackage("libxcb1", "libxcb", "libxcb", ("libxcb.so.1",)),
    SystemPackage("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor", ("libxcb-cursor.so.0",)),
    SystemPackage("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", ("libxcb-icccm.so.4",)),
    SystemPackage("libxcb-image0", "xcb-util-image", "xcb-util-image", ("libxcb-image.so.0",)),
    SystemPackage("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms",
                  ("libxcb-keysyms.so.1",)),
    SystemPackage("libxcb-randr0", "libxcb", "libxcb", ("libxcb-randr.so.0",)),
    SystemPackage("libxcb-render0", "libxcb", "libxcb", ("libxcb-render.so.0",)),
    SystemPackage("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil",
                  ("libxcb-render-util.so.0",)),
    SystemPackage("libxcb-shape0", "libxcb", "libxcb", ("libxcb-shape.so.0",)),
    SystemPackage("libxcb-shm0", "libxcb", "libxcb", ("libxcb-shm.so.0",)),
    SystemPackage("libxcb-sync1", "libxcb", "libxcb", ("libxcb-sync.so.1",)),
    SystemPackage("libxcb-util1", "xcb-util", "xcb-util", ("libxcb-util.so.1",)),
    SystemPackage("libxcb-xfixes0", "libxcb", "libxcb", ("libxcb-xfixes.so.0",)),
    SystemPackage("libxcb-xkb1", "libxcb", "libxcb", ("libxcb-xkb.so.1",)),
    SystemPackage("libxcb-glx0", "libxcb", "libxcb", ("libxcb-glx.so.0",)),
    SystemPackage("libxkbcommon0", "libxkbcommon", "libxkbcommon", ("libxkbcommon.so.0",)),
    SystemPackage("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11",
                  ("libxkbcommon-x11.so.0",)),
    # the wayland platform plugin (platforms/libqwayland.so) and its shell and EGL plugins
    SystemPackage("libwayland-client0", "libwayland-client", "wayland",
                  ("libwayland-client.so.0",)),
    SystemPackage("libwayland-cursor0", "libwayland-cursor", "wayland",
                  ("libwayland-cursor.so.0",)),
    SystemPackage("libwayland-egl1", "libwayland-egl", "wayland", ("libwayland-egl.so.1",)),
    # what QtGui itself loads on every platform: OpenGL, fonts, D-Bus, GLib
    SystemPackage("libgl1", "libglvnd-glx", "libglvnd", ("libGL.so.1", "libGLX.so.0")),
    SystemPackage("libegl1", "libglvnd-egl", "libglvnd", ("libEGL.so.1",)),
    SystemPackage("libopengl0", "libglvnd-opengl", "libglvnd", ("libOpenGL.so.0",)),
    SystemPackage("libfontconfig1", "fontconfig", "fontconfig", ("libfontconfig.so.1",)),
    SystemPackage("libfreetype6", "freetype", "freetype2", ("libfreetype.so.6",)),
    SystemPackage("libdbus-1-3", "dbus-libs", "dbus", ("libdbus-1.so.3",)),
    SystemPackage("libglib2.0-0t64|libglib2.0-0", "glib2", "glib2",
                  ("libglib-2.0.so.0", "libgthread-2.0.so.0")),
    SystemPackage("zlib1g", "zlib", "zlib", ("libz.so.1",)),
    SystemPackage("libzstd1", "libzstd", "zstd", ("libzstd.so.1",)),
    SystemPackage("fonts-dejavu-core", "dejavu-sans-fonts", "ttf-dejavu"),
    # the real-window tests: an X server, input, and a screen grab through the server
    SystemPackage("xvfb", "xorg-x11-server-Xvfb", "xorg-server-xvfb", for_tests=True),
    SystemPackage("xdotool", "xdotool", "xdotool", for_tests=True),
    SystemPackage("x11-apps", "xorg-x11-apps", "xorg-xwd", for_tests=True),
)

# Libraries every Linux system has (the C and C++ runtimes): never reported as a package.
BASE_SONAMES = re.compile(r"^(libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+|ld-linux"
                          r"[-\w]*)\.so")

# The plugin file of each platform name QT_QPA_PLATFORM can hold, under Qt/plugins/platforms.
PLATFORM_PLUGINS = {"xcb": "libqxcb.so", "wayland": "libqwayland.so"}

INSTALLERS = (            # (command, how it installs), in the order they are looked for
    ("apt-get", "sudo apt-get install"),
    ("dnf", "sudo dnf install"),
    ("pacman", "sudo pacman -S"),
)


def package_of(soname: str) -> SystemPackage | None:
    for package in PACKAGES:
        if soname in package.sonames:
            return package
    return None


def package_names(manager: str, sonames: list[str]) -> list[str]:
    """The `manager`'s ("apt-get", "dnf", "pacman") package names holding these libraries,
    without repeats; a library no package here holds is named as it is."""
    field = {"apt-get": "apt", "dnf": "dnf", "pacman": "pacman"}[manager]
    names = []
    for soname in sonames:
        package = package_of(soname)
        name = soname if package is None else getattr(package, field).split("|")[-1]
        if name not in names:
            names.append(name)
    return names


def qt_plugin_dir() -> Path | None:
    """PySide6's Qt/plugins folder, found without importing Qt; None if PySide6 has none."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "Qt" / "plugins"
    return folder if folder.is_dir() else None


def platform_candidates(env: Mapping[str, str]) -> list[str]:
    """The windowing platforms Qt will try, in order, as it picks them: QT_QPA_PLATFORM's list
    ("wayland;xcb"), else wayland first in a Wayland session, then xcb."""
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen.strip():
        names = [entry.split(":", 1)[0].strip() for entry in chosen.split(";")]
        return [name for name in names if name]
    wayland_session = (env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"))
    return ["wayland", "xcb"] if wayland_session else ["xcb"]


def _plugin_file(plugin_dir: Path, platform: str) -> Path | None:
    base = "wayland" if platform.startswith("wayland") else platform
    name = PLATFORM_PLUGINS.get(base)
    if name is None:
        return None
    path = plugin_dir / "platforms" / name
    return path if path.is_file() else None


def _unresolved(path: Path, load_error: str) -> list[str]:
    """Every library `path` needs that cannot be found, as ldd reports them; the one the
    loader named when ldd is not there."""
    found = []
    if shutil.which("ldd"):
        try:
            listing = subprocess.run(["ldd", str(path)], capture_output=True, text=True,
                                     timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        for line in listing.splitlines():
            if "not found" in line:
                soname = line.split("=>")[0].strip()
                if soname not in found:
                    found.append(soname)
    if not found:
        named = re.match(r"\s*([^\s:]+\.so[\w.]*)\s*:", load_error)
        found.append(named.group(1) if named else load_error)
    return found


def missing_platform_libraries(env: Mapping[str, str] = os.environ,
                               plugin_dir: Path | None = None) -> list[str]:
    """The libraries that keep every platform Qt would try from loading; empty when one of
    them loads (or when this is not Linux, or PySide6 ships no plugin to check)."""
    if not sys.platform.startswith("linux"):
        return []
    plugin_dir = plugin_dir or qt_plugin_dir()
    if plugin_dir is None:
        return []
    missing: list[str] = []
    for platform in platform_candidates(env):
        path = _plugin_file(plugin_dir, platform)
        if path is None:
            return []               # offscreen, vnc, a plugin of another build: Qt's to judge
        try:
            ctypes.CDLL(str(path), mode=os.RTLD_LAZY)
            return []
        except OSError as exc:
            for soname in _unresolved(path, str(exc)):
                if soname not in missing:
                    missing.append(soname)
    return missing


def _installer() -> str | None:
    for command, _how in INSTALLERS:
        if shutil.which(command):
            return command
    return None


def missing_libraries_message(missing: list[str]) -> str:
    """What a person reads when Qt's windowing plugin cannot load: the libraries, and the
    command that installs them on this system (or on each of the usual ones)."""
    lines = ["netsim: Qt cannot open a window: these system libraries are missing:",
             "  " + " ".join(missing), "Install them with:"]
    installer = _installer()
    for command, how in INSTALLERS:
        if installer is None or installer == command:
            lines.append(f"  {how} {' '.join(package_names(command, missing))}")
    lines.append("(or run `make install` from NetSim's folder as root, which installs them "
                 "on Debian and Ubuntu)")
    return "\n".join(lines)


def _print_packages(argv: list[str]) -> int:
    """`python3 ui/shell/platform_libraries.py apt [--test]`: the apt names to install, one a line
    (alternatives joined by "|"), for scripts/install-system-deps.sh."""
    if not argv or argv[0] not in ("apt", "dnf", "pacman"):
        print("usage: platform_libraries.py apt|dnf|pacman [--test]", file=sys.stderr)
        return 2
    with_tests = "--test" in argv[1:]
    names = []
    for package in PACKAGES:
        if with_tests or not package.for_tests:
            name = getattr(package, argv[0])
            if name not in names:
                names.append(name)
    print("\n".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(_print_packages(sys.argv[1:]))
