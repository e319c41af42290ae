"""Sweeps parse, run and report; every run equals its Trainer (tests/test_batched.py)."""
import csv

import numpy as np
import pytest

from netsim import Config, ConfigError, DivergenceError, Trainer
from netsim.batched import BatchedRuns, group_key
from netsim.sweep import Sweep, label_of, parse_sweep, run_sweep

TOL = 1e-10
SMALL = Config(dataset="circle", n_samples=80, layers=(5, 3), batch_size=7)


# ---- parse_sweep ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("learning_rate=0.001,0.01,0.1", ("learning_rate", (0.001, 0.01, 0.1))),
    ("seed=0, 1, 2", ("seed", (0, 1, 2))),
    (" init = zeros,he_normal", ("init", ("zeros", "he_normal"))),
    ("reg_rate=0,1e-3", ("reg_rate", (0.0, 0.001))),
    ("optimizer=sgd,adam", ("optimizer", ("sgd", "adam"))),
])
def test_parse_sweep_gives_the_field_and_typed_values(text, expected):
    field, values = parse_sweep(text)
    assert (field, values) == expected
    assert [type(v) for v in values] == [type(v) for v in expected[1]]


@pytest.mark.parametrize("text, message", [
    ("learning_rate", "FIELD=VALUE"),
    ("=1,2", "FIELD=VALUE"),
    ("speed=1,2", "unknown setting 'speed'"),
    ("learning_rate=", "lists no values"),
    ("learning_rate=0.1,,0.2", "empty value"),
    ("learning_rate=0.1,fast", "learning_rate must be a number; got 'fast'"),
    ("learning_rate=0.1,-1", "learning_rate must be > 0"),
    ("seed=1.5", "seed must be a whole number"),
    ("init=zeros,bogus", "init must be one of"),
    ("layers=4,4", "layers is a list"),
    ("seed=1,1", "a value twice"),
])
def test_parse_sweep_refuses_bad_input_naming_the_field(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_sweep(text)


def test_labels_name_what_differs():
    assert label_of("learning_rate", 0.3) == "lr 0.3"
    assert label_of("init", "he_normal") == "init he_normal"


# ---- run_sweep --------------------------------------------------------------------------------

def test_run_sweep_rows_equal_trainer_runs_of_each_value():
    base = SMALL.replace(layers=(4,))
    result = run_sweep(base, "learning_rate", [0.01, 0.1], epochs=3)
    assert [row["value"] for row in result.rows] == [0.01, 0.1]
    for row in result.rows:
        trainer = Trainer(base.replace(learning_rate=row["value"]))
        for _ in range(3):
            trainer.run_epoch()
        m = trainer.evaluate()
        assert abs(row["final_train_loss"] - m.train_loss) < TOL
        assert abs(row["final_test_loss"] - m.test_loss) < TOL
        assert (row["train_accuracy"], row["test_accuracy"]) == (m.train_accuracy, m.test_accuracy)
        assert row["diverged_at"] is None


def test_sweep_over_a_shared_setting_makes_one_group_per_value_on_the_same_data():
    sweep = Sweep(SMALL, "activation", ["tanh", "relu"], epochs=1)
    assert len(sweep.groups) == 2
    assert sweep.groups[0].dataset is sweep.groups[1].dataset


def test_sweep_over_batchable_settings_trains_in_one_group():
    assert len(Sweep(SMALL, "seed", [0, 1, 2, 3], epochs=1).groups) == 1


def test_steps_to_target_is_the_first_evaluation_at_or_below_it():
    result = run_sweep(SMALL, "learning_rate", [0.0001, 0.3], epochs=10, target_loss=0.5)
    slow, fast = result.rows
    assert slow["steps_to_target"] is None
    steps, losses = result.histories[1]["train_loss"]
    first = int(np.argmax(losses <= 0.5))
    assert losses[first] <= 0.5 and (losses[:first] > 0.5).all()
    assert fast["steps_to_target"] == steps[first]


def test_run_sweep_reports_progress_up_to_the_total():
    seen = []
    run_sweep(SMALL, "seed", [0, 1], epochs=2,
              progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == 2 * BatchedRuns([SMALL]).steps_per_epoch
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_run_sweep_refuses_a_bad_target_or_epoch_count():
    with pytest.raises(ConfigError, match="target loss"):
        run_sweep(SMALL, "seed", [0, 1], epochs=1, target_loss=-1)
    with pytest.raises(ConfigError, match="epochs"):
        run_sweep(SMALL, "seed", [0, 1], epochs=0)


def test_write_csv_has_a_header_named_after_the_field_and_one_row_per_value(tmp_path):
    result = run_sweep(Config(dataset="plane", n_samples=60, layers=(3,)), "learning_rate",
                       [0.01, 1.0], epochs=20, target_loss=10.0)
    path = tmp_path / "sweep.csv"
    result.write_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["learning_rate", "final_train_loss", "final_test_loss",
                             "train_accuracy", "test_accuracy", "steps_to_target", "diverged_at"]
    assert [float(r["learning_rate"]) for r in rows] == [0.01, 1.0]
    assert float(rows[0]["final_test_loss"]) == result.rows[0]["final_test_loss"]
    assert rows[0]["train_accuracy"] == "" and rows[0]["diverged_at"] == ""
    assert int(rows[1]["diverged_at"]) == result.rows[1]["diverged_at"]
    assert list(tmp_path.iterdir()) == [path]
