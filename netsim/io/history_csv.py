"""Every recorded metric of a run as one CSV table, wide by step, as a spreadsheet expects:

    step,batch_loss,train_loss,test_loss,...,weight_norm[0],...
    0,,0.6931,0.6929,...
    1,0.7012,,,...

One row per step at which any series has a point, one column per series (trainer.history's
order), an empty cell where that series has no point at that step. The per-step series are
bounded: once long, each point is the mean over a run of steps and sits at the last of them
(netsim/history.py). Values are written with full precision (repr).
"""
import csv
import io

import numpy as np

from .atomic import write_text_atomic


def history_table(history) -> tuple[list[str], list[list]]:
    """(header, rows): rows[k] = [step, value or None per series]."""
    names = history.names()
    columns = {name: dict(zip(*history[name].data())) for name in names}
    steps = sorted(set().union(*[column.keys() for column in columns.values()]))
    rows = [[step] + [columns[name].get(step) for name in names] for step in steps]
    return ["step", *names], rows


def write_history_csv(path, history):
    header, rows = history_table(history)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for step, *values in rows:
        writer.writerow([_number(step), *("" if v is None else _number(v) for v in values)])
    write_text_atomic(path, buffer.getvalue())


def _number(value) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if np.isfinite(value) else str(value)
