"""A real X server for the real-window tests, and what a person does at it: xdotool for keys
and clicks, xwd to read the screen back through the server.

    with XServer(1920, 1200) as server:         # Xvfb on a free display number
        window = server.wait_for_window("^NetSim$")
        server.focus(window); server.keys("s", "s")
        pixels = server.grab()                   # (height, width, 3) uint8 RGB of the screen
"""
import os
import shutil
import struct
import subprocess
import time

import numpy as np

TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "xwd": "x11-apps"}   # command: Debian package


def missing_tools() -> list[str]:
    """The Debian packages of the tools these tests need that are not installed."""
    return [package for command, package in TOOLS.items() if shutil.which(command) is None]


class XServer:
    """Xvfb with a screen of width x height pixels, stopped on exit."""

    def __init__(self, width: int, height: int):
        self.size = (width, height)
        self.display = ""
        self._process = None

    def __enter__(self):
        read_end, write_end = os.pipe()
        # -displayfd: the server picks a free display and writes its number once it accepts
        # connections, so there is no race over display numbers and no sleep to guess
        self._process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0",
             f"{self.size[0]}x{self.size[1]}x24", "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            self._process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"
        return self

    def __exit__(self, *exc):
        self._process.terminate()
        self._process.wait(timeout=10)

    @property
    def env(self) -> dict[str, str]:
        return {"DISPLAY": self.display}

    def run(self, *args: str, timeout: float = 30) -> str:
        result = subprocess.run(args, env=dict(os.environ, **self.env), capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def wait_for_window(self, name_pattern: str, timeout: float = 60) -> str:
        """The id of the first visible window whose title matches, once it is mapped."""
        return self.run("xdotool", "search", "--sync", "--onlyvisible", "--name",
                        name_pattern, timeout=timeout).split()[0]

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """(x, y, width, height) of a window on the screen."""
        fields = dict(line.split("=", 1) for line in
                      self.run("xdotool", "getwindowgeometry", "--shell", window).split())
        return tuple(int(fields[key]) for key in ("X", "Y", "WIDTH", "HEIGHT"))

    def focus(self, window: str):
        # no window manager runs: give the window the keyboard focus directly
        self.run("xdotool", "windowfocus", "--sync", window)

    def keys(self, *keys: str):
        self.run("xdotool", "key", "--delay", "120", *keys)

    def type(self, text: str):
        self.run("xdotool", "type", "--delay", "30", text)

    def click(self, x: int, y: int):
        self.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "1")

    def grab(self) -> np.ndarray:
        """The whole screen as the X server has it: (height, width, 3) uint8 RGB."""
        raw = subprocess.run(["xwd", "-root", "-silent"], env=dict(os.environ, **self.env),
                             capture_output=True, timeout=30, check=True).stdout
        return read_xwd(raw)


def read_xwd(raw: bytes) -> np.ndarray:
    """Pixels of an xwd dump in ZPixmap format at 24 or 32 bits per pixel, as RGB."""
    header = struct.unpack(">25I", raw[:100])
    (header_size, _version, pixmap_format, _depth, width, height, _xoffset, byte_order,
     _unit, _bit_order, _pad, bits_per_pixel, bytes_per_line, _visual, red_mask, green_mask,
     blue_mask, _bits_per_rgb, _entries, colours) = header[:20]
    if pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise ValueError(f"xwd: format {pixmap_format} at {bits_per_pixel} bits is not read here")
    start = header_size + colours * 12
    step = bits_per_pixel // 8
    rows = np.frombuffer(raw, np.uint8, height * bytes_per_line, start).reshape(
        height, bytes_per_line)[:, :width * step].reshape(height, width, step)
    order = ">" if byte_order == 1 else "<"
    if step == 4:
        values = rows.copy().view(f"{order}u4")[..., 0]
    else:
        bytes3 = rows.astype(np.uint32)
        values = (bytes3[..., 0] << 16 | bytes3[..., 1] << 8 | bytes3[..., 2]) if order == ">" \
            else (bytes3[..., 2] << 16 | bytes3[..., 1] << 8 | bytes3[..., 0])
    channels = []
    for mask in (red_mask, green_mask, blue_mask):
        shift = (mask & -mask).bit_length() - 1
        channels.append(((values & mask) >> shift).astype(np.uint8))
    return np.stack(channels, axis=-1)


def wait_until(condition, timeout: float, interval: float = 0.2):
    """Poll `condition()` until it returns something other than None or False; that value,
    or None at timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)
