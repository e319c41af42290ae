"""A sweep's summary: per setting (every combination of the swept settings), how its runs did
over the seeds: how many diverged, how many reached the target loss, and the mean and spread
(sample standard deviation over seeds) of the final losses and accuracy of those that did not
diverge (a diverged run's last loss says only that it diverged).
"""
import math
from dataclasses import dataclass

import numpy as np

from ..sweep import shown_value
from ..text_table import aligned
from .results import ResultsTable

SUMMARISED = ("final_train_loss", "final_test_loss", "final_test_accuracy")


@dataclass(frozen=True)
class SettingSummary:
    setting: dict           # setting -> value, every setting column but seed
    runs: int
    diverged: int
    reached_target: int     # runs with a steps_to_target
    mean: dict              # name in SUMMARISED -> mean over the runs that did not diverge
    spread: dict            # ... -> their sample standard deviation (None for fewer than 2)


def summarize(table: ResultsTable, rows=None) -> list[SettingSummary]:
    """One SettingSummary per setting, in the order settings first appear in the rows
    (default: all of the table's)."""
    rows = table.rows if rows is None else rows
    names = [name for name in table.settings if name != "seed"]
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault(tuple(row[name] for name in names), []).append(row)
    return [_summary(dict(zip(names, values)), members) for values, members in groups.items()]


def _summary(setting: dict, rows: list) -> SettingSummary:
    trained = [row for row in rows if not row["diverged"]]
    mean, spread = {}, {}
    for name in SUMMARISED:
        values = np.array([row[name] for row in trained if row[name] is not None], dtype=float)
        values = values[np.isfinite(values)]
        mean[name] = float(values.mean()) if len(values) else None
        spread[name] = float(values.std(ddof=1)) if len(values) > 1 else None
    return SettingSummary(setting, len(rows), len(rows) - len(trained),
                          sum(row["steps_to_target"] is not None for row in rows), mean, spread)


def summary_text(summaries: list[SettingSummary], with_target: bool) -> str:
    """The summaries as an aligned table: settings, runs, diverged, (reached target), then
    mean ± spread of each summarised figure present in any run."""
    if not summaries:
        return "no runs"
    settings = list(summaries[0].setting)
    shown = [name for name in SUMMARISED if any(s.mean[name] is not None for s in summaries)]
    header = [*settings, "runs", "diverged", *(["reached target"] if with_target else []),
              *(name.removeprefix("final_") for name in shown)]
    rows = [[*map(shown_value, s.setting.values()), s.runs, s.diverged,
             *([s.reached_target] if with_target else []),
             *(_mean_and_spread(s.mean[name], s.spread[name]) for name in shown)]
            for s in summaries]
    return aligned(header, rows)


def _mean_and_spread(mean, spread) -> str:
    if mean is None:
        return "-"
    if spread is None or not math.isfinite(spread):
        return f"{mean:.4g}"
    return f"{mean:.4g} ± {spread:.2g}"
