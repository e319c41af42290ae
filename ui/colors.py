"""The application's colours, in one place, with a colour-blind safe option.

One diverging map serves weights and outputs alike (negative orange, zero grey, positive blue, as
users of TensorFlow Playground know it), and one qualitative palette colours classes. Every view
asks this module at draw time, so switching the palette changes every view at its next repaint:

    colors.set_palette("colorblind")      # names: colors.PALETTES
    colors.diverging_lut()                # (256, 4) uint8 RGBA, row 0 = most negative
    colors.weight_color(-0.4, scale=1.0)  # QColor of a weight (or output) in [-scale, scale]
    colors.class_colors(3)                # QColor per class
"""
from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QColor


@dataclass(frozen=True)
class Palette:
    title: str                        # what the View menu shows
    negative: tuple[int, int, int]    # colour of -1 (class 0 of a binary problem)
    zero: tuple[int, int, int]        # colour of 0
    positive: tuple[int, int, int]    # colour of +1 (class 1)
    classes: tuple                    # qualitative colours for multi-class data, in class order


PALETTES: dict[str, Palette] = {
    "playground": Palette(
        "Orange – grey – blue (TensorFlow Playground)",
        (245, 147, 34), (232, 234, 235), (8, 119, 189),
        ((245, 147, 34), (8, 119, 189), (44, 160, 44), (214, 39, 40), (148, 103, 189),
         (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))),
    # Okabe & Ito's palette, distinguishable with every common form of colour blindness; the
    # diverging ends differ in lightness too (dark purple against light orange).
    "colorblind": Palette(
        "Colour-blind safe (orange – grey – purple, Okabe–Ito classes)",
        (230, 159, 0), (235, 235, 235), (94, 60, 153),
        ((230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178),
         (213, 94, 0), (204, 121, 167), (0, 0, 0), (153, 153, 153), (120, 80, 40))),
}

_current = "playground"


def set_palette(name: str) -> None:
    """Make `name` (a key of PALETTES) the palette of every view from its next repaint on."""
    global _current
    if name not in PALETTES:
        raise ValueError(f"palette must be one of {', '.join(PALETTES)}; got {name!r}")
    _current = name


def palette_name() -> str:
    return _current


def palette() -> Palette:
    return PALETTES[_current]


def diverging_lut(n: int = 256) -> np.ndarray:
    """(n, 4) uint8 RGBA: row 0 is -1 (negative colour), the middle 0 (grey), row n-1 is +1."""
    p = palette()
    negative, zero, positive = (np.array(c, dtype=float) for c in (p.negative, p.zero, p.positive))
    t = np.linspace(-1.0, 1.0, n)[:, None]                       # (n, 1) value of each row
    rgb = np.where(t < 0, zero + (negative - zero) * -t, zero + (positive - zero) * t)
    alpha = np.full((n, 1), 255.0)
    return np.rint(np.hstack([rgb, alpha])).astype(np.uint8)


def weight_color(value: float, scale: float = 1.0) -> QColor:
    """Colour of `value` on the diverging map that spans [-scale, scale] (clipped)."""
    t = float(np.clip(value / scale, -1.0, 1.0)) if scale > 0 else 0.0
    lut = diverging_lut()
    r, g, b, a = (int(c) for c in lut[int(round((t + 1.0) * 0.5 * (len(lut) - 1)))])
    return QColor(r, g, b, a)


def class_rgb(k: int) -> np.ndarray:
    """(k, 3) float RGB of the first k classes; binary data use the diverging map's ends."""
    p = palette()
    if k <= 2:
        return np.array([p.negative, p.positive][:k], dtype=float)
    colours = [p.classes[c % len(p.classes)] for c in range(k)]
    return np.array(colours, dtype=float)


def class_colors(k: int) -> list[QColor]:
    return [QColor(*(int(v) for v in rgb)) for rgb in class_rgb(k)]


def zero_rgb() -> np.ndarray:
    """(3,) float RGB of zero / no confidence: the background the class colours fade into."""
    return np.array(palette().zero, dtype=float)
