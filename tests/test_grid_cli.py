"""netsim-sweep in this process: the table, the summary and its plot; re-running skips what is
done; Ctrl+C keeps finished runs; exit codes 0 done, 2 bad input, 3 every run diverged,
130 interrupted."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from netsim.grid import executors
from netsim.grid.cli import main
from netsim.grid.results import read_results

ROOT = Path(__file__).resolve().parents[1]
GRID = {"config": {"dataset": "circle", "n_samples": 60, "layers": [4]},
        "grid": {"learning_rate": [0.03, 0.3], "init": ["xavier_uniform", "he_normal"]},
        "seeds": 3, "epochs": 2, "target_loss": 0.6}


@pytest.fixture
def grid_file(tmp_path):
    def write(**changes):
        path = tmp_path / "grid.json"
        path.write_text(json.dumps({**GRID, **changes}))
        return str(path)
    return write


def keys_in(path) -> list[str]:
    with open(path, newline="") as f:
        return [row["run_key"] for row in csv.DictReader(f)]


def test_a_sweep_writes_a_row_per_run_the_parquet_copy_the_plot_and_the_summary(
        tmp_path, grid_file, capsys):
    out = tmp_path / "results.csv"
    assert main([grid_file(), "--out", str(out), "--runs-per-task", "5", "--curves"]) == 0
    stdout, stderr = capsys.readouterr()
    assert len(set(keys_in(out))) == len(keys_in(out)) == 12
    assert stdout.splitlines()[0].split()[:4] == ["learning_rate", "init", "runs", "diverged"]
    assert len(stdout.splitlines()) == 1 + 4
    assert "12 runs, 0 already in" in stderr and "in 3 batches in this process" in stderr
    assert "100% 12/12 runs" in stderr and "runs/s" in stderr
    assert read_results(tmp_path / "results.parquet").rows == read_results(out).rows
    assert (tmp_path / "results.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "results.curves.csv").stat().st_size > 0


def test_running_again_trains_nothing_and_a_longer_seed_list_only_the_new_runs(
        tmp_path, grid_file, capsys):
    out = tmp_path / "results.csv"
    main([grid_file(), "--out", str(out), "--quiet"])
    before = out.read_bytes()
    assert main([grid_file(), "--out", str(out)]) == 0
    assert out.read_bytes() == before and "all 12 runs are already in" in capsys.readouterr().err
    assert main([grid_file(seeds=5), "--out", str(out)]) == 0
    assert "20 runs, 12 already in" in capsys.readouterr().err
    assert len(set(keys_in(out))) == len(keys_in(out)) == 20


def test_ctrl_c_keeps_the_finished_batches_and_the_same_command_finishes(
        tmp_path, grid_file, capsys, monkeypatch):
    out = tmp_path / "results.csv"
    train_task = executors.train_task
    calls = []
    def interrupted_at_the_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return train_task(*args)
    monkeypatch.setattr(executors, "train_task", interrupted_at_the_second_batch)
    assert main([grid_file(), "--out", str(out), "--runs-per-task", "4"]) == 130
    assert "interrupted: 4 of 12 runs are in" in capsys.readouterr().err
    assert len(keys_in(out)) == 4
    monkeypatch.setattr(executors, "train_task", train_task)
    assert main([grid_file(), "--out", str(out), "--runs-per-task", "4", "--quiet"]) == 0
    assert len(set(keys_in(out))) == len(keys_in(out)) == 12


def test_a_sweep_in_which_every_run_diverged_exits_3(tmp_path, grid_file, capsys):
    grid = grid_file(config={"dataset": "plane", "n_samples": 120, "layers": [4]},
                     grid={"learning_rate": [20.0, 50.0]}, seeds=1, epochs=5)
    assert main([grid, "--out", str(tmp_path / "r.csv"), "--quiet"]) == 3
    assert "every run of the grid diverged" in capsys.readouterr().err


@pytest.mark.parametrize("changes, out, message", [
    ({"grid": {"learning_rate": [0.1, -2]}}, "r.csv", "grid.learning_rate[1]: learning_rate "
                                                      "must be > 0"),
    ({"grid": {"sped": [1]}}, "r.csv", "grid.sped: unknown setting"),
    ({}, "results.txt", "the results table is a .csv file"),
    ({}, "no/such/r.csv", "--out no/such/r.csv: cannot write there: the folder no/such "
                          "does not exist"),
])
def test_bad_input_exits_2_naming_what_to_fix(tmp_path, grid_file, capsys, monkeypatch,
                                              changes, out, message):
    monkeypatch.chdir(tmp_path)
    assert main([grid_file(**changes), "--out", out]) == 2
    assert message in capsys.readouterr().err


def test_a_plot_that_cannot_be_written_is_refused_before_training(tmp_path, grid_file, capsys):
    out = tmp_path / "r.csv"
    assert main([grid_file(), "--out", str(out), "--plot", str(tmp_path / "no" / "p.png")]) == 2
    assert "--plot" in capsys.readouterr().err and not out.exists()


def test_a_bad_option_exits_2(tmp_path, grid_file, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([grid_file(), "--out", str(tmp_path / "r.csv"), "--workers", "0"])
    assert exit_.value.code == 2 and "--workers: must be >= 1" in capsys.readouterr().err


def test_a_results_file_of_another_sweep_is_not_overwritten(tmp_path, grid_file, capsys):
    out = tmp_path / "results.csv"
    out.write_text("a,b\n1,2\n")
    assert main([grid_file(), "--out", str(out), "--quiet"]) == 2
    assert "holds other columns" in capsys.readouterr().err and out.read_text() == "a,b\n1,2\n"


def test_workers_without_dask_says_what_to_install(tmp_path, grid_file, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)        # import distributed fails
    assert main([grid_file(), "--out", str(tmp_path / "r.csv"), "--workers", "2"]) == 2
    assert "pip install 'netsim[cluster]'" in capsys.readouterr().err


def test_the_command_runs_in_a_fresh_interpreter():
    result = subprocess.run([sys.executable, "-m", "netsim.grid.cli", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "--scheduler" in result.stdout



def test_without_pyarrow_and_matplotlib_the_table_is_written_and_the_rest_explained(
        tmp_path, grid_file, capsys, monkeypatch):
    for name in ("pyarrow", "pyarrow.parquet", "matplotlib"):
        monkeypatch.setitem(sys.modules, name, None)            # import fails
    out = tmp_path / "results.csv"
    assert main([grid_file(), "--out", str(out)]) == 0
    assert len(keys_in(out)) == 12
    assert sorted(path.name for path in tmp_path.iterdir()) == ["grid.json", "results.csv"]
    assert "no summary plot: it needs matplotlib" in capsys.readouterr().err
