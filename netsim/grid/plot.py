"""The summary as a picture: mean final test loss against one swept setting, one line per
combination of the other settings, a band of ± one standard deviation over seeds.

Drawn with matplotlib's object API on its Agg canvas (Figure, never pyplot), which draws to a
PNG without a display and never loads Qt: netsim/ must not, and a sweep runs on machines with
no screen. matplotlib comes with the `cluster` extra; writing axes, ticks and legends by hand
would be a second plotting library to keep.
"""
import math

import numpy as np

from ..config import field_label
from ..io.atomic import atomic_write
from ..sweep import shown_value
from .summary import SettingSummary

PLOTTED = "final_test_loss"
SIZE_INCHES, DPI = (8.0, 5.0), 100
CATEGORY_STEP = 0.08    # named x values: the lines' points this far apart around each name
LOG_SPAN = 20.0         # a positive axis spanning more than this factor is drawn logarithmic


def plot_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def x_setting(summaries: list[SettingSummary]) -> str | None:
    """The setting on the x axis: the first numeric one with several values, else the first
    with several values; None when every run has the same settings but the seed."""
    varying = [name for name in summaries[0].setting
               if len({s.setting[name] for s in summaries}) > 1]
    numeric = [name for name in varying if all(_is_number(s.setting[name]) for s in summaries)]
    return (numeric or varying or [None])[0]


def write_summary_plot(path, summaries: list[SettingSummary], title: str = ""):
    """The PNG at `path` (atomic). Needs matplotlib."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    x_name = x_setting(summaries)
    lines = _lines(summaries, x_name)
    categories = _categories(summaries, x_name)
    means_shown = [s.mean[PLOTTED] for s in summaries if s.mean[PLOTTED] is not None]
    log_y = _spans(means_shown)
    # a log axis has no zero: a band reaching below it is cut at half the lowest mean
    floor = min(means_shown) / 2 if log_y else -np.inf
    for k, (label, points) in enumerate(lines.items()):
        means = np.array([m for _, m, _ in points], dtype=float)
        spreads = np.array([s if s is not None else 0.0 for _, _, s in points], dtype=float)
        if categories:          # named values: points side by side, no line between names
            xs = [categories[x] + CATEGORY_STEP * (k - (len(lines) - 1) / 2)
                  for x, _, _ in points]
            axes.errorbar(xs, means, yerr=[means - np.maximum(means - spreads, floor), spreads],
                          fmt="o", capsize=4, label=label or None)
        else:
            order = np.argsort([x for x, _, _ in points])
            xs = np.array([x for x, _, _ in points], dtype=float)[order]
            means, spreads = means[order], spreads[order]
            drawn = axes.plot(xs, means, marker="o", label=label or None)[0]
            axes.fill_between(xs, np.maximum(means - spreads, floor), means + spreads,
                              color=drawn.get_color(), alpha=0.15, linewidth=0)
    _style_axes(axes, x_name, summaries, categories)
    if log_y:
        axes.set_yscale("log")
        axes.set_ylim(bottom=floor)
    if any(lines):
        axes.legend(fontsize="small", title=", ".join(field_label(n) for n in
                                                      _line_settings(summaries, x_name)))
    diverged, runs = sum(s.diverged for s in summaries), sum(s.runs for s in summaries)
    note = f"{diverged} of {runs} runs diverged, left out" if diverged else "no run diverged"
    axes.set_title(f"{title or 'final test loss over seeds: mean ± sd'}\n({note})",
                   fontsize="medium")
    figure.tight_layout()
    with atomic_write(path, "wb") as f:
        figure.savefig(f, format="png")


def _lines(summaries, x_name) -> dict:
    """{label of the other settings: [(x, mean, spread), ...]} in the summaries' order."""
    lines: dict[str, list] = {}
    others = _line_settings(summaries, x_name)
    for s in summaries:
        if s.mean[PLOTTED] is None:
            continue
        label = ", ".join(shown_value(s.setting[name]) for name in others)
        x = s.setting[x_name] if x_name else "all runs"
        lines.setdefault(label, []).append((x, s.mean[PLOTTED], s.spread[PLOTTED]))
    return lines


def _line_settings(summaries, x_name) -> list:
    """The settings that tell the lines apart: those but x that take several values."""
    return [name for name in summaries[0].setting if name != x_name
            and len({s.setting[name] for s in summaries}) > 1]


def _categories(summaries, x_name) -> dict:
    """Positions 0, 1 ... of non-numeric x values, in order of appearance; {} for numbers."""
    values = [s.setting[x_name] for s in summaries] if x_name else ["all runs"]
    if all(_is_number(v) for v in values):
        return {}
    return {v: k for k, v in enumerate(dict.fromkeys(values))}


def _style_axes(axes, x_name, summaries, categories):
    axes.set_xlabel(field_label(x_name) if x_name else "")
    axes.set_ylabel("final test loss")
    axes.grid(alpha=0.3)
    if categories:
        axes.set_xticks(list(categories.values()), [shown_value(v) for v in categories])
    elif _spans(s.setting[x_name] for s in summaries):
        axes.set_xscale("log")


def _spans(values) -> bool:
    values = [v for v in values if v is not None]
    return bool(values) and min(values) > 0 and max(values) / min(values) > LOG_SPAN


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)
