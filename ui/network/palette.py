"""The network view's one source of colour: the diverging weight map as a lookup table.

Everything the view colours (edges, biases, neuron maps, the legend) indexes the application's
diverging map (ui/colors.py), so a weight of +0.5 on an edge and an output of +0.5 in a thumbnail
are the same blue. Negative is orange, zero grey, positive blue, as TensorFlow Playground draws
them; the colour-blind palette swaps in orange and purple.
"""
import numpy as np
from PySide6.QtGui import QColor

from ui import colors

LUT_SIZE = 256


def weight_lut(n: int = LUT_SIZE) -> np.ndarray:
    """(n, 4) uint8 RGBA: row 0 is the most negative value, row n-1 the most positive. Asked
    for every frame, so switching the application's palette (colour-blind safe) shows at once."""
    return np.ascontiguousarray(colors.diverging_lut(n), dtype=np.uint8)


def lut_index(t, n: int = LUT_SIZE):
    """Row of the table for t in [-1, 1] (clipped); works on scalars and arrays."""
    return np.rint((np.clip(t, -1.0, 1.0) + 1.0) * 0.5 * (n - 1)).astype(np.intp)


def lut_color(lut: np.ndarray, t: float) -> QColor:
    r, g, b, a = (int(c) for c in lut[lut_index(t, len(lut))])
    return QColor(r, g, b, a)


def lut_colors(lut: np.ndarray, t) -> list:
    """QColors of the table rows for the values t (array in [-1, 1], clipped)."""
    return [QColor(r, g, b, a) for r, g, b, a in lut[lut_index(np.asarray(t), len(lut))].tolist()]
