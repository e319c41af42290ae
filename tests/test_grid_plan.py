"""Planning runs into tasks (batches trained together), the same wherever they run, and what
a task measures of each run."""
import numpy as np
import pytest

from netsim import ConfigError, Trainer
from netsim.grid.grid_file import parse_grid
from netsim.grid.plan import plan_tasks, without_done
from netsim.grid.task import train_task, weights_checksum

BASE = {"dataset": "circle", "n_samples": 60, "layers": [4], "batch_size": 10}


def grid_of(grid, seeds=3, epochs=2, target_loss=None):
    return parse_grid({"config": BASE, "grid": grid, "seeds": seeds, "epochs": epochs,
                       "target_loss": target_loss}, "grid.json")


def tasks_of(grid, runs_per_task):
    return plan_tasks(grid.runs(), grid.epochs, grid.target_loss, runs_per_task)


def test_runs_that_can_train_together_are_cut_into_tasks_in_grid_order():
    grid = grid_of({"learning_rate": [0.01, 0.1, 0.3]}, seeds=3)          # 9 runs, one group
    tasks = tasks_of(grid, 4)
    assert [len(task.runs) for task in tasks] == [4, 4, 1]
    assert [run for task in tasks for run in task.runs] == grid.runs()


def test_runs_that_cannot_share_a_batch_go_to_separate_tasks():
    grid = grid_of({"activation": ["tanh", "relu"], "learning_rate": [0.01, 0.1]}, seeds=2)
    tasks = tasks_of(grid, 32)
    assert [{run.config.activation for run in task.runs} for task in tasks] == [{"tanh"},
                                                                                {"relu"}]


def test_the_plan_is_the_same_every_time_it_is_made():
    grid = grid_of({"learning_rate": [0.01, 0.1]}, seeds=5)
    assert [t.key for t in tasks_of(grid, 3)] == [t.key for t in tasks_of(grid_of(
        {"learning_rate": [0.01, 0.1]}, seeds=5), 3)]
    assert len({t.key for t in tasks_of(grid, 3)}) == 4


def test_finished_tasks_are_left_out_and_the_others_keep_their_runs():
    tasks = tasks_of(grid_of({"learning_rate": [0.01, 0.1]}, seeds=4), 3)
    done = {run.key for run in tasks[1].runs}
    assert without_done(tasks, done) == [tasks[0], tasks[2]]
    partly = without_done(tasks, {tasks[0].runs[0].key})
    assert partly[0].runs == tasks[0].runs[1:] and partly[1:] == tasks[1:]


@pytest.mark.parametrize("runs_per_task", [0, -1, 1.5, True, 10**6])
def test_runs_per_task_must_be_a_sensible_whole_number(runs_per_task):
    with pytest.raises(ConfigError, match="runs per task"):
        tasks_of(grid_of({"learning_rate": [0.1]}), runs_per_task)


def test_a_task_measures_each_run_as_its_trainer_would():
    grid = grid_of({"learning_rate": [0.03, 0.3]}, seeds=2, epochs=3, target_loss=0.6)
    task = tasks_of(grid, 32)[0]
    result = train_task(task, keep_curves=True)
    for run in task.runs:
        measures = result.measures[run.key]
        trainer = Trainer(run.config)
        for _ in range(3):
            trainer.run_epoch()
        metrics = trainer.refresh_metrics()
        assert abs(measures["final_test_loss"] - metrics.test_loss) < 1e-10
        assert measures["final_test_accuracy"] == metrics.test_accuracy
        assert measures["steps"] == 3 * 3 and measures["diverged"] is False
        steps, losses = trainer.history["train_loss"].data()
        assert measures["best_train_loss"] == pytest.approx(losses.min(), abs=1e-10)
        reached = steps[losses <= 0.6]
        assert measures["steps_to_target"] == (int(reached[0]) if len(reached) else None)
        np.testing.assert_allclose(result.curves[run.key]["test_loss"][1],
                                   trainer.history["test_loss"].data()[1], atol=1e-10)


def test_a_diverging_run_is_recorded_as_diverged_and_the_others_are_not():
    grid = parse_grid({"config": {"dataset": "plane", "n_samples": 120, "layers": [4]},
                       "grid": {"learning_rate": [0.03, 5.0]}, "epochs": 5}, "grid.json")
    task = tasks_of(grid, 32)[0]
    result = train_task(task)
    calm, wild = (result.measures[run.key] for run in task.runs)
    assert not calm["diverged"] and calm["diverged_at"] is None
    assert wild["diverged"] and wild["diverged_at"] >= 1 and "diverged" in wild["divergence"]
    assert calm["final_train_accuracy"] is None            # regression: no accuracy


def test_the_weights_checksum_tells_equal_weights_from_different_ones():
    weights = np.linspace(-1, 1, 30)
    assert weights_checksum(weights) == weights_checksum(weights.copy())
    assert weights_checksum(weights) != weights_checksum(weights + 1e-15)
