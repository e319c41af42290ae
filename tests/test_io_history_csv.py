"""History as CSV: one row per step, one column per recorded series, blanks where a series
has no point; every value as recorded."""
import csv

import numpy as np

from netsim.io import export_history_csv

from io_helpers import trained


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def test_every_series_is_a_column_after_step(tmp_path):
    trainer = trained(steps=60)
    header, _ = read(export_history_csv(trainer, tmp_path / "h.csv"))
    assert header == ["step", *trainer.history.names()]
    assert {"batch_loss", "train_loss", "test_accuracy", "grad_norm[2]"} <= set(header)


def test_each_series_values_are_in_its_column_at_its_steps(tmp_path):
    trainer = trained(steps=60)
    header, rows = read(export_history_csv(trainer, tmp_path / "h.csv"))
    steps = [int(row[0]) for row in rows]
    assert steps == sorted(set(steps))
    for name in trainer.history.names():
        column = header.index(name)
        got = [(int(row[0]), float(row[column])) for row in rows if row[column] != ""]
        want_steps, want_values = trainer.history[name].data()
        assert [s for s, _ in got] == want_steps.astype(int).tolist()
        np.testing.assert_array_equal([v for _, v in got], want_values)


def test_epoch_metrics_are_blank_between_epochs(tmp_path):
    trainer = trained(steps=30)                     # 25 steps an epoch
    header, rows = read(export_history_csv(trainer, tmp_path / "h.csv"))
    by_step = {int(row[0]): row for row in rows}
    column = header.index("test_loss")
    assert by_step[25][column] != "" and by_step[24][column] == ""
    assert by_step[24][header.index("batch_loss")] != ""
