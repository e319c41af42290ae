"""What the status bar says about a change of settings, and about a CSV file just read."""
import numpy as np

from netsim import Config
from netsim.config import FIELDS, field_label


def describe_change(old: Config, new: Config) -> str:
    """One sentence for the status bar: what changed and whether it resets the network."""
    names = old.differing_fields(new)
    if not names:
        return "Nothing changed."
    if old.needs_reset(new):
        what = ", ".join(f"the {field_label(n, in_sentence=True)}" for n in names
                         if not FIELDS[n].live)
        return f"Changing {what} resets the network."
    parts = [f"{field_label(n, in_sentence=True)} {_shown(getattr(new, n))}" for n in names]
    return f"{', '.join(parts).capitalize()}: applies now, the weights are kept."


def describe_data(dataset) -> str:
    """What a CSV file was read as, so that a wrong guess of the task shows at once."""
    rows = len(dataset.raw_train) + len(dataset.raw_test)
    if dataset.task == "regression":
        target = "a numeric target (regression)"
        y = np.concatenate([dataset.y_train, dataset.y_test])
        if np.all(y == np.round(y)):          # whole numbers: class labels, perhaps
            target = (f"a numeric target (regression; its {len(np.unique(y))} distinct whole "
                      f"numbers can be read as classes: choose the task classification)")
    else:
        names = dataset.class_names
        shown = ", ".join(names[:6]) + (", \u2026" if len(names) > 6 else "")
        target = f"{len(names)} classes ({shown})"
    return (f"Read {rows} rows, {dataset.raw_dim} input columns and {target}; Open CSV\u2026 "
            f"again to choose the target or the task.")


def _shown(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
