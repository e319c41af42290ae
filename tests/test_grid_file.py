"""Grid files: the config read as --config files are, every combination of the grid's values
times seeds (times data sets), each run keyed by its full config; bad entries named."""
import json

import numpy as np
import pytest

from netsim import Config, ConfigError
from netsim.grid.grid_file import MAX_RUNS, load_grid_file, parse_grid, run_key

GRID = {"config": {"dataset": "circle", "n_samples": 60, "layers": [4]},
        "grid": {"learning_rate": [0.01, 0.1], "init": ["xavier_uniform", "he_normal"]},
        "seeds": [0, 1, 2], "epochs": 2}


def grid_of(**changes):
    return parse_grid({**GRID, **changes}, "grid.json")


def test_runs_are_every_combination_of_the_grid_times_every_seed_in_order():
    runs = grid_of().runs()
    assert len(runs) == 2 * 2 * 3
    assert [(r.config.learning_rate, r.config.init, r.config.seed) for r in runs[:4]] == [
        (0.01, "xavier_uniform", 0), (0.01, "xavier_uniform", 1),
        (0.01, "xavier_uniform", 2), (0.01, "he_normal", 0)]
    assert all(r.config.layers == (4,) and r.config.n_samples == 60 for r in runs)
    assert len({r.key for r in runs}) == len(runs)


def test_seeds_may_be_a_count_and_default_to_the_configs_seed():
    assert grid_of(seeds=4).seeds == (0, 1, 2, 3)
    assert parse_grid({k: v for k, v in GRID.items() if k != "seeds"}, "g.json").seeds == (0,)


def test_data_sets_multiply_the_runs_and_become_columns():
    grid = grid_of(datasets=["circle", {"dataset": "xor", "noise": 0.2}])
    runs = grid.runs()
    assert len(runs) == 2 * 12
    assert grid.setting_columns == ("dataset", "noise", "learning_rate", "init", "seed")
    assert {(r.config.dataset, r.config.noise) for r in runs} == {("circle", 0.0), ("xor", 0.2)}


def test_a_list_setting_such_as_layers_can_be_swept():
    runs = grid_of(grid={"layers": [[4], [8, 8]]}).runs()
    assert sorted({r.config.layers for r in runs}) == [(4,), (8, 8)]


def test_the_run_key_changes_with_anything_that_changes_the_run():
    config = Config(dataset="circle")
    key = run_key(config, 10, None)
    assert key == run_key(Config(dataset="circle"), 10, None)
    assert len({key, run_key(config.replace(seed=1), 10, None), run_key(config, 11, None),
                run_key(config, 10, 0.1), run_key(config.replace(noise=0.1), 10, None)}) == 5


def test_the_config_part_is_read_as_a_config_file_with_csv_paths_from_its_folder(tmp_path):
    rows = "\n".join(f"{x},{x * x},{int(x > 0)}" for x in np.linspace(-1, 1, 40))
    (tmp_path / "data.csv").write_text("a,b,label\n" + rows + "\n")
    path = tmp_path / "grid.json"
    path.write_text(json.dumps({"config": {"dataset": "csv", "csv_path": "data.csv"},
                                "grid": {"learning_rate": [0.1]}, "epochs": 1}))
    assert load_grid_file(path).base.csv_path == str(tmp_path / "data.csv")


@pytest.mark.parametrize("changes, message", [
    ({"grid": {"speed": [1, 2]}}, "grid.speed: unknown setting"),
    ({"grid": {"learning_rate": []}}, "grid.learning_rate must be a non-empty list"),
    ({"grid": {"learning_rate": 0.1}}, "grid.learning_rate must be a non-empty list"),
    ({"grid": {"learning_rate": [0.1, "fast"]}}, r"grid.learning_rate\[1\]: learning_rate must"),
    ({"grid": {"learning_rate": [0.1, -1]}}, r"grid.learning_rate\[1\]: .*must be > 0"),
    ({"grid": {"init": ["he_normal", "bogus"]}}, r"grid.init\[1\]: init must be one of"),
    ({"grid": {"learning_rate": [0.1, 0.1]}}, "grid.learning_rate lists a value twice"),
    ({"grid": {"seed": [1, 2]}}, 'list the seeds under "seeds"'),
    ({"seeds": []}, "seeds must be a non-empty list"),
    ({"seeds": [0, -1]}, r"seeds\[1\]: seed must be"),
    ({"seeds": 0}, "seeds must be a count >= 1"),
    ({"epochs": 0}, "epochs must be a whole number >= 1"),
    ({"epochs": None}, '"epochs" is required'),
    ({"target_loss": -1}, "target_loss must be a number > 0"),
    ({"config": {"layerz": [4]}}, "config: unknown config key 'layerz'"),
    ({"datasets": [{"dataset": "xor", "layers": [3]}]}, r"datasets\[0\].layers is not a data"),
    ({"datasets": ["nowhere"]}, r"datasets\[0\]: unknown data set 'nowhere'"),
    ({"grid": {"dataset": ["xor", "nowhere"]}}, r"grid.dataset\[1\]: unknown data set"),
    ({"datasets": ["xor", "xor"]}, "datasets lists a data set twice"),
    ({"datasets": [{"noise": 0.1}], "grid": {"noise": [0.0, 0.1]}}, "grid.noise: .* one place"),
    ({"seeds": MAX_RUNS}, "makes 400,000 runs; at most 100,000"),
    ({"epoch": 3}, "unknown key 'epoch'"),
])
def test_a_bad_grid_is_refused_naming_the_entry(changes, message):
    with pytest.raises(ConfigError, match=message):
        grid_of(**changes)


def test_a_grid_file_error_names_the_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({**GRID, "epochs": "many"}))
    with pytest.raises(ConfigError, match="the grid file .*mine.json: epochs must be"):
        load_grid_file(path)
