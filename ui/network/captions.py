"""The words around the network diagram: the names of the inputs and outputs, the +/- buttons
with their captions above the columns, and the summary of each weight layer below them."""
import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFontMetricsF

from ui.figures import figure, growth
from ui.limits import MAX_HIDDEN_LAYERS, MAX_NEURONS
from netsim import ACTIVATIONS
from ui.network.items import ControlButton, LabelItem, TextButton
from ui.network.layout import NEURON_SIZE
from ui.network.norm_watch import is_rising

NEW_LAYER_WIDTH = 4          # neurons of a hidden layer added to a network that has none
NAME_POINT_SIZE = 9.5        # inputs' and outputs' names
MIN_NAME_POINT_SIZE = 6.5    # names of tightly packed neurons shrink, down to this; closer
                             # still, only every few are written (hovering names each one)
NAME_GAP_PX = 16             # between a name and its neuron, and to the window's edge
COMPACT_SUMMARY_PX = 190     # column gaps narrower than this get the three-line summary,
TINY_SUMMARY_PX = 100        # and narrower than this a short form,
BARE_SUMMARY_PX = 70         # and narrower still the norm alone (the hover text has the rest)
NARROW_CAPTION_PX = 130      # a gap narrower than this puts "N hidden layers" on two lines
WIDE_HEADER_PX = 150         # a gap at least this wide holds "Tanh · drop 25%" on one line
RISING = QColor(200, 30, 30)
SUMMARY = QColor(70, 70, 70)


def name_style(names, pitch_px: float) -> tuple[float, int]:
    """(point size, stride) for the names of a column of neurons pitch_px apart on screen: as
    large as NAME_POINT_SIZE while they do not touch, smaller down to MIN_NAME_POINT_SIZE, and
    past that every stride-th name only."""
    size = NAME_POINT_SIZE
    while size > MIN_NAME_POINT_SIZE and _line_px(names, size) > pitch_px:
        size -= 0.5
    return size, max(1, int(np.ceil(_line_px(names, size) / max(pitch_px, 1e-6))))


def _line_px(names, point_size: float) -> float:
    """Pixels a line of these names needs: their inked height (lines may touch, not overlap)."""
    metrics = QFontMetricsF(LabelItem.font_of(point_size))
    return max(metrics.tightBoundingRect(n).height() for n in names)


def names_width_px(names, style) -> float:
    """Pixels the widest of these names takes beside its column, gap included."""
    metrics = QFontMetricsF(LabelItem.font_of(style[0]))
    return max(metrics.horizontalAdvance(n) for n in names) + NAME_GAP_PX


def add_names(scene, layout, names, styles, feature_of):
    """The inputs' names (left, with the full feature name as tooltip) and the outputs' (right),
    every stride-th one, in the (point size, stride) `styles` of the two columns."""
    half = NEURON_SIZE / 2
    (in_size, in_stride), (out_size, out_stride) = styles
    for j, (x, y) in enumerate(layout.centres[0]):
        if j % in_stride == 0:
            label = LabelItem(names[0][j], Qt.AlignRight, in_size, offset=QPointF(-6, 0))
            label.setPos(x - half, y)
            label.setToolTip(feature_of(j))
            scene.addItem(label)
    for j, (x, y) in enumerate(layout.centres[-1]):
        if j % out_stride == 0:
            label = LabelItem(names[-1][j], Qt.AlignLeft, out_size, offset=QPointF(6, 0))
            label.setPos(x + half, y)
            scene.addItem(label)


def layer_header(activation: str, dropout: float, gap_px: float) -> str:
    """A hidden layer's header: its activation, and its dropout rate if any, on a second line
    where the columns stand close."""
    title = ACTIVATIONS.title(activation)
    if not dropout:
        return title
    return f"{title}{' · ' if gap_px >= WIDE_HEADER_PX else chr(10)}drop {dropout:.0%}"


def add_controls(scene, layout, hidden: tuple, gap_px: float, ask_layers, headers=(),
                 ask_activation=None):
    """+/- over the inputs (a hidden layer more or less) and over each hidden layer (a neuron
    more or less), with their captions; a button calls ask_layers(new hidden widths). Each
    hidden layer's header (headers[k]: its activation and dropout) calls ask_activation(k)."""
    anchor_y = layout.columns_top - 6

    def add_pair(x, minus, plus, minus_ok, plus_ok, what):
        for symbol, action, ok, dx in (("\u2212", minus, minus_ok, -12),
                                       ("+", plus, plus_ok, 12)):
            verb = "Remove" if symbol != "+" else "Add"
            button = ControlButton(symbol, action, f"{verb} {what}", QPointF(dx, -14))
            button.set_enabled(ok)
            button.setPos(x, anchor_y)
            scene.addItem(button)

    x0 = layout.column_x[0]
    add_pair(x0, lambda: ask_layers(hidden[:-1]),
             lambda: ask_layers(hidden + (hidden[-1] if hidden else NEW_LAYER_WIDTH,)),
             len(hidden) > 0, len(hidden) < MAX_HIDDEN_LAYERS, "a hidden layer")
    caption = f"{len(hidden)} hidden layer{'s' if len(hidden) != 1 else ''}"
    if gap_px < NARROW_CAPTION_PX:
        caption = caption.replace(" hidden ", " hidden\n")
    count = LabelItem(caption, Qt.AlignHCenter, 9.0, bold=True,
                      offset=QPointF(0, -36 - 14 * caption.count("\n")))
    count.setPos(x0, anchor_y)
    scene.addItem(count)
    for k, width in enumerate(hidden):
        def resized(delta, k=k):
            return lambda: ask_layers(hidden[:k] + (hidden[k] + delta,) + hidden[k + 1:])
        x = layout.column_x[k + 1]
        add_pair(x, resized(-1), resized(+1), width > 1, width < MAX_NEURONS,
                 f"a neuron of hidden layer {k + 1}")
        words = f"{width} neuron{'s' if width != 1 else ''}"
        label = LabelItem(words if gap_px >= NARROW_CAPTION_PX else str(width),
                          Qt.AlignHCenter, 8.5, offset=QPointF(0, -36))
        label.setToolTip(f"{words} in hidden layer {k + 1}")
        label.setPos(x, anchor_y)
        scene.addItem(label)
        if k < len(headers) and ask_activation is not None:
            lines = headers[k].count("\n")
            header = TextButton(headers[k], lambda k=k: ask_activation(k),
                                f"Hidden layer {k + 1}: click to choose its activation (or "
                                f"one for every layer)", 8.0, offset=QPointF(0, -51 - 12 * lines))
            header.setPos(x, anchor_y)
            scene.addItem(header)


def add_summaries(scene, layout) -> list[LabelItem]:
    """One empty label under the middle of each weight layer, for summary_text."""
    labels = []
    for l in range(len(layout.sizes) - 1):
        label = LabelItem("", Qt.AlignHCenter, 8.0, SUMMARY, offset=QPointF(0, 18))
        label.setPos((layout.column_x[l] + layout.column_x[l + 1]) / 2, layout.columns_bottom)
        scene.addItem(label)
        labels.append(label)
    return labels


def summary_text(summary, rise: float, gap_px: float) -> tuple[str, QColor]:
    """A weight layer's ‖W‖, mean |w| and share near zero, as much as a gap of gap_px holds,
    with ▲ and its colour when its norm is rising fast (NormWatch's `rise`)."""
    norm, mean, zero = summary.weight_norm, summary.mean_abs_weight, summary.near_zero_fraction
    norm3, mean3 = figure(norm, 3), figure(mean, 3)
    if gap_px >= COMPACT_SUMMARY_PX:
        text = f"\u2016W\u2016 {norm3} \u00b7 mean |w| {mean3}\n{zero:.0%} near 0"
    elif gap_px >= TINY_SUMMARY_PX:
        text = f"\u2016W\u2016 {norm3}\nmean |w| {mean3}\n{zero:.0%} near 0"
    elif gap_px < BARE_SUMMARY_PX:
        text = f"\u2016W\u2016\n{figure(norm, 2)}"
    else:
        text = f"\u2016W\u2016 {norm3}\n\u03bc|w| {figure(mean, 2)}\n{zero:.0%} \u2248 0"
    if is_rising(rise):
        return text + f" \u25b2 {growth(rise)}", RISING
    return text, SUMMARY
