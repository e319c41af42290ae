"""Turn each neuron's output over the input plane into colours with fixed levels.

A value v is shown at t = (v - centre) / half_range on the diverging map (clipped to [-1, 1]),
with levels fixed per kind of output so a colour means the same thing in every frame:

  a bounded activation (its `bounds` in netsim/activations.py; the output layer's in
      netsim/losses.py): the middle of its range grey, its ends full orange and blue. For
      sigmoid units and probabilities, 0 full orange, 0.5 grey, 1 full blue: an output
      thumbnail reads as the class probability.
  linear, and any unbounded activation (relu, elu, gelu, softplus ...): centre 0, half 1.
      Negative orange, 0 grey, +1 and above full blue; a ReLU's dead region is plain grey.
  inputs (layer 0): centre 0, half = the largest |value| of that input over the plane, so
      x₁ runs orange to blue across the plane whatever its units.
"""
import numpy as np

from netsim.activations import ACTIVATIONS
from netsim.losses import LOSSES, TASK_LOSS


def layer_levels(snapshot, l: int, layer_maps: np.ndarray) -> tuple:
    """(centre, half_range) for the neurons of layer l; half_range may be an array per neuron."""
    if l == 0:
        flat = np.abs(layer_maps.reshape(len(layer_maps), -1)).max(axis=1)
        return 0.0, np.where(flat > 0, flat, 1.0)
    if l == len(snapshot.sizes) - 1:
        bounds = LOSSES[TASK_LOSS[snapshot.task]].output_bounds
    else:
        bounds = ACTIVATIONS[snapshot.config.per_layer("activation")[l - 1]].bounds
    if bounds is None:
        return 0.0, 1.0
    low, high = bounds
    return (low + high) / 2, (high - low) / 2


def normalised(layer_maps: np.ndarray, centre, half) -> np.ndarray:
    """layer_maps (n, ...) mapped to [-1, 1] with per-neuron or shared levels."""
    half = np.asarray(half, dtype=float).reshape(-1, *([1] * (layer_maps.ndim - 1)))
    return np.clip((layer_maps - centre) / half, -1.0, 1.0)


def rgba_images(layer_maps: np.ndarray, centre, half, lut: np.ndarray, step: int = 1) -> np.ndarray:
    """(n, res, res, 4) uint8 RGBA of 2-D maps (n, res, res), top row = the plane's largest y.

    `step` > 1 keeps every step-th sample when thumbnails are drawn smaller than the maps.
    One pass in float32 straight to table rows, gathering whole RGBA words: this runs for
    every neuron every frame."""
    top = len(lut) - 1
    gain = np.asarray(top / 2 / np.asarray(half, dtype=np.float32), dtype=np.float32)
    gain = gain.reshape(-1, 1, 1) if gain.ndim else gain
    samples = layer_maps[:, ::-step, ::step].astype(np.float32, order="C")   # maps may be views
    rows = (samples - np.float32(centre)) * gain
    rows += np.float32(top / 2 + 0.5)
    np.clip(rows, 0, top, out=rows)
    words = np.ascontiguousarray(lut, dtype=np.uint8).view(np.uint32).ravel()
    return words[rows.astype(np.intp)].view(np.uint8).reshape(*rows.shape, 4)
