"""Colour images of the maps over the input plane (numpy only, no drawing).

Every function returns (res, res, 4) uint8 RGBA with row r at ys[r] and column c at xs[c], the
layout of netsim.snapshot.PlaneMaps, coloured with ui.colors' current palette.
"""
import numpy as np

from ui import colors

BACKGROUND_LIGHTEN = 0.45  # the heatmap is mixed this much with white so the points stand out


UPSAMPLE = 3              # the maps are drawn at this many times their resolution, interpolated


def upsampled(maps: np.ndarray, factor: int = UPSAMPLE) -> np.ndarray:
    """Bilinear interpolation of (..., res, res) maps onto (..., m, m), m = (res-1)*factor+1,
    spanning the same corner points: smooth boundaries without a costlier forward pass."""
    res = maps.shape[-1]
    m = (res - 1) * factor + 1
    position = np.linspace(0.0, res - 1.0, m)
    low = np.minimum(position.astype(np.intp), res - 2)
    frac = position - low                                     # (m,) weight of the upper neighbour
    rows = maps[..., low, :] * (1 - frac)[:, None] + maps[..., low + 1, :] * frac[:, None]
    return rows[..., low] * (1 - frac) + rows[..., low + 1] * frac


def _lightened(rgb: np.ndarray) -> np.ndarray:
    return rgb + (255.0 - rgb) * BACKGROUND_LIGHTEN


def _rgba(rgb: np.ndarray) -> np.ndarray:
    """(res, res, 3) float -> (res, res, 4) uint8, opaque, C-contiguous."""
    alpha = np.full(rgb.shape[:2] + (1,), 255.0)
    return np.ascontiguousarray(np.rint(np.concatenate([rgb, alpha], axis=2)), dtype=np.uint8)


_background_luts: dict[str, np.ndarray] = {}


def _background_lut() -> np.ndarray:
    """(256, 4) uint8: the current palette's diverging map, lightened for a background; made
    once per palette so that a frame only indexes it."""
    name = colors.palette_name()
    if name not in _background_luts:
        rgb = colors.diverging_lut().astype(float)[:, :3]
        _background_luts[name] = _rgba(_lightened(rgb[None]))[0]
    return _background_luts[name]


def diverging_image(t: np.ndarray) -> np.ndarray:
    """Values t (res, res) in [-1, 1] (clipped) on the diverging map: -1 orange, 0 grey, +1 blue."""
    lut = _background_lut()
    rows = np.rint((np.clip(t, -1.0, 1.0) + 1.0) * (0.5 * (len(lut) - 1))).astype(np.intp)
    return lut[rows]


def binary_image(probability: np.ndarray, discretize: bool) -> np.ndarray:
    """Sigmoid output p (res, res): class 0 (p < 0.5) orange, class 1 blue, 0.5 grey."""
    t = 2.0 * probability - 1.0
    return diverging_image(np.sign(t) if discretize else t)


def multiclass_image(probabilities: np.ndarray, discretize: bool) -> np.ndarray:
    """Softmax outputs (k, res, res): the predicted class's colour, as intense as the model is
    confident (a uniform guess is grey; certainty is the full class colour)."""
    k = probabilities.shape[0]
    predicted = probabilities.argmax(axis=0)                      # (res, res) class index
    if discretize:
        confidence = np.ones(predicted.shape)
    else:
        confidence = (probabilities.max(axis=0) - 1.0 / k) / (1.0 - 1.0 / k)   # (res, res) 0..1
    zero, palette = colors.zero_rgb(), colors.class_rgb(k)
    rgb = zero + (palette[predicted] - zero) * np.clip(confidence, 0.0, 1.0)[..., None]
    return _rgba(_lightened(rgb))


def scaled_image(values: np.ndarray, scale: float) -> np.ndarray:
    """Values (res, res) on the diverging map spanning [-scale, scale]."""
    return diverging_image(values / scale if scale > 0 else np.zeros_like(values))


def symmetric_scale(values: np.ndarray, at_least: float = 1.0) -> float:
    """max |value|, but never below `at_least`: a neuron's small outputs look small."""
    finite = np.abs(values[np.isfinite(values)])
    return max(float(finite.max()) if finite.size else 0.0, at_least)
