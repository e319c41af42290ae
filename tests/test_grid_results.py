"""The results table: rows appended a task at a time, read back typed, resumed from (a torn
last line dropped), copied to Parquet; the curves beside it; read back for the Compare panel."""
import pytest

from netsim import FileFormatError
from netsim.grid.curves import CurvesFile, curves_path, read_curves
from netsim.grid.grid_file import parse_grid
from netsim.grid.plan import plan_tasks
from netsim.grid.results import ResultsFile, parquet_path, read_results
from netsim.grid.task import train_task


@pytest.fixture(scope="module")
def trained():
    """(grid, tasks, results) of a small grid sweeping layers (a list) and the learning rate."""
    grid = parse_grid({"config": {"dataset": "circle", "n_samples": 60},
                       "grid": {"layers": [[3], [4, 2]], "learning_rate": [0.03, 0.3]},
                       "seeds": 2, "epochs": 2}, "grid.json")
    tasks = plan_tasks(grid.runs(), grid.epochs, grid.target_loss, 3)
    return grid, tasks, [train_task(task, keep_curves=True) for task in tasks]


def write_all(path, trained, curves=False):
    grid, tasks, results = trained
    table = ResultsFile(path, grid.setting_columns)
    table.open()
    curves_file = CurvesFile(curves_path(path)) if curves else None
    if curves_file:
        curves_file.open(set())
    for task, result in zip(tasks, results):
        if curves_file:
            curves_file.add(result, [run.key for run in task.runs])
        table.add(task.runs, result)
    return table


def test_rows_read_back_with_their_settings_and_measures_typed(tmp_path, trained):
    grid, tasks, results = trained
    write_all(tmp_path / "r.csv", trained)
    table = read_results(tmp_path / "r.csv")
    assert table.settings == ("layers", "learning_rate", "seed")
    assert len(table.rows) == len(grid.runs())
    by_key = {row["run_key"]: row for row in table.rows}
    run = tasks[0].runs[0]
    row, measures = by_key[run.key], results[0].measures[run.key]
    assert (row["layers"], row["learning_rate"], row["seed"]) == (
        run.config.layers, run.config.learning_rate, run.config.seed)
    assert {name: row[name] for name in measures} == measures          # floats exactly
    assert table.label(row) == "layers [3], lr 0.03, seed 0"


def test_reopening_gives_the_done_keys_and_adding_them_again_writes_nothing(tmp_path, trained):
    grid, tasks, results = trained
    write_all(tmp_path / "r.csv", trained)
    table = ResultsFile(tmp_path / "r.csv", grid.setting_columns)
    assert table.open() == {run.key for run in grid.runs()}
    assert table.add(tasks[0].runs, results[0]) == 0
    assert len(read_results(tmp_path / "r.csv").rows) == len(grid.runs())


def test_a_torn_last_line_is_cut_off_and_its_run_counts_as_not_done(tmp_path, trained):
    grid, tasks, results = trained
    path = tmp_path / "r.csv"
    write_all(path, trained)
    text = path.read_text()
    path.write_text(text[:-25])                       # the crash came mid-line
    table = ResultsFile(path, grid.setting_columns)
    done = table.open()
    assert len(done) == len(grid.runs()) - 1
    last_task, last_result = tasks[-1], results[-1]
    assert table.add(last_task.runs, last_result) == 1
    assert path.read_text() == text


def test_a_file_with_other_columns_is_refused_naming_it(tmp_path, trained):
    path = tmp_path / "r.csv"
    write_all(path, trained)
    with pytest.raises(FileFormatError, match="r.csv holds other columns .*another output"):
        ResultsFile(path, ("learning_rate", "seed")).open()


def test_a_damaged_row_inside_the_file_is_reported_with_its_line(tmp_path, trained):
    grid, _, _ = trained
    path = tmp_path / "r.csv"
    write_all(path, trained)
    lines = path.read_text().splitlines(keepends=True)
    lines[2] = "a,b\n"
    path.write_text("".join(lines))
    with pytest.raises(FileFormatError, match="line 3 has 2 cells"):
        ResultsFile(path, grid.setting_columns).open()


def test_the_parquet_copy_reads_back_as_the_csv(tmp_path, trained):
    table = write_all(tmp_path / "r.csv", trained)
    assert table.write_parquet() == parquet_path(tmp_path / "r.csv")
    from_csv, from_parquet = read_results(tmp_path / "r.csv"), read_results(tmp_path / "r.parquet")
    assert from_parquet.settings == from_csv.settings
    assert from_parquet.rows == from_csv.rows


def test_reading_a_file_that_is_not_sweep_results_says_so(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("x,y\n1,2\n")
    with pytest.raises(FileFormatError, match="not a netsim-sweep results file"):
        read_results(path)
    with pytest.raises(FileFormatError, match="no such results file"):
        read_results(tmp_path / "absent.csv")


def test_curves_read_back_per_run_and_series(tmp_path, trained):
    _, tasks, results = trained
    write_all(tmp_path / "r.csv", trained, curves=True)
    curves = read_curves(tmp_path / "r.curves.csv")
    run = tasks[1].runs[0]
    steps, values = results[1].curves[run.key]["test_loss"]
    assert (curves[run.key]["test_loss"][0] == steps).all()
    assert (curves[run.key]["test_loss"][1] == values).all()


def test_a_results_table_finds_its_curves_beside_it_when_they_were_kept(tmp_path, trained):
    write_all(tmp_path / "with.csv", trained, curves=True)
    write_all(tmp_path / "without.csv", trained)
    table = read_results(tmp_path / "with.csv")
    curves = table.curves()
    assert set(curves) == {row["run_key"] for row in table.rows}
    assert set(curves[table.rows[0]["run_key"]]) >= {"train_loss", "test_loss", "test_accuracy"}
    assert read_results(tmp_path / "without.csv").curves() == {}


def test_curves_of_runs_missing_from_the_results_are_dropped_on_resume(tmp_path, trained):
    _, tasks, results = trained
    curves_file = CurvesFile(tmp_path / "r.curves.csv")
    curves_file.open(set())
    for task, result in zip(tasks[:2], results[:2]):
        curves_file.add(result, [run.key for run in task.runs])
    kept = {run.key for run in tasks[0].runs}         # the second task's rows never came
    CurvesFile(tmp_path / "r.curves.csv").open(kept)
    assert set(read_curves(tmp_path / "r.curves.csv")) == kept


def test_settings_given_per_hidden_layer_read_back_from_csv_and_parquet(tmp_path):
    grid = parse_grid({"config": {"dataset": "circle", "n_samples": 60, "layers": [3, 3]},
                       "grid": {"activation": ["tanh", ["relu", "tanh"]],
                                "dropout": [0.0, [0.1, 0.2]]}, "epochs": 1}, "grid.json")
    table = ResultsFile(tmp_path / "r.csv", grid.setting_columns)
    table.open()
    for task in plan_tasks(grid.runs(), grid.epochs, None):
        table.add(task.runs, train_task(task))
    table.write_parquet()
    for path in (tmp_path / "r.csv", tmp_path / "r.parquet"):
        rows = read_results(path).rows
        assert {(row["activation"], row["dropout"]) for row in rows} == {
            ("tanh", 0.0), ("tanh", (0.1, 0.2)), (("relu", "tanh"), 0.0),
            (("relu", "tanh"), (0.1, 0.2))}


def test_curves_read_the_same_from_the_parquet_copy(tmp_path, trained):
    write_all(tmp_path / "r.csv", trained, curves=True)
    CurvesFile(tmp_path / "r.curves.csv").write_parquet()
    from_csv = read_curves(tmp_path / "r.curves.csv")
    from_parquet = read_curves(tmp_path / "r.curves.parquet")
    assert from_parquet.keys() == from_csv.keys()
    for key, series in from_csv.items():
        assert from_parquet[key].keys() == series.keys()
        for name, (steps, values) in series.items():
            assert (from_parquet[key][name][0] == steps).all()
            assert (from_parquet[key][name][1] == values).all()
