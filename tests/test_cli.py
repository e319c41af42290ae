"""netsim-train: trains headless, exports and saves; exit codes 0 done, 2 bad input,
3 diverged; progress on stderr, metrics on stdout."""
import io
import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from netsim import Config, Trainer
from netsim.cli import _train, build_parser, main
from netsim.progress import Progress
from netsim.session import load_session

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps({"dataset": "circle", "layers": [4, 2], "learning_rate": 0.1,
                                "schema_version": 1}))
    return path


def test_trains_exports_saves_and_prints_metrics(tmp_path, config, capsys):
    code = main(["--config", str(config), "--epochs", "3", "--steps", "5",
                 "--export", str(tmp_path / "net.onnx"), "--export", str(tmp_path / "net.npz"),
                 "--save", str(tmp_path / "run.netsim"), "--history-csv",
                 str(tmp_path / "history.csv"), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    metrics = dict(line.split() for line in out.splitlines())
    assert metrics["step"] == "80" and metrics["epoch"] == "3"
    assert 0 <= float(metrics["test_accuracy"]) <= 1
    assert {p.name for p in tmp_path.iterdir()} >= {"net.onnx", "net.npz", "run.netsim",
                                                    "history.csv"}
    assert load_session(tmp_path / "run.netsim").step_count == 80


def test_resume_continues_a_saved_session(tmp_path, config, capsys):
    session = tmp_path / "run.netsim"
    assert main(["--config", str(config), "--steps", "30", "--save", str(session),
                 "--quiet"]) == 0
    assert main(["--resume", str(session), "--epochs", "1", "--save", str(session), "--json",
                 "--quiet"]) == 0
    result = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert result["step"] == 50 and result["epoch"] == 2      # the first epoch is finished


def test_seed_overrides_the_configs_seed(tmp_path, config):
    paths = []
    for seed in ("1", "2"):
        paths.append(tmp_path / f"net{seed}.npz")
        assert main(["--config", str(config), "--seed", seed, "--export", str(paths[-1]),
                     "--quiet"]) == 0
    assert not np.array_equal(np.load(paths[0])["W0"], np.load(paths[1])["W0"])


@pytest.mark.parametrize("content, match", [
    ('{"layers": [4, 2], "learning_rate": -1}', "learning_rate must be > 0"),
    ('{"layer": [4, 2]}', "unknown config key 'layer'"),
    ('{"layers": [4, 2', "not valid JSON"),
    ('[1, 2]', "must hold a JSON object of settings"),
    ('{"dataset": "csv", "csv_path": "/nonexistent/data.csv"}', "file not found"),
])
def test_bad_config_exits_2_with_the_message_and_no_traceback(tmp_path, capsys, content, match):
    path = tmp_path / "cfg.json"
    path.write_text(content)
    assert main(["--config", str(path), "--epochs", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("netsim-train: ") and match in err and "Traceback" not in err


def test_unknown_export_format_exits_2_before_training(tmp_path, config, capsys):
    target = tmp_path / "net.pt"
    assert main(["--config", str(config), "--epochs", "50", "--export", str(target)]) == 2
    out, err = capsys.readouterr()
    assert "unknown format .pt; use one of .npz" in err and out == ""
    assert "epoch" not in err and not target.exists()


def test_missing_config_or_damaged_session_exits_2(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "nope.json")]) == 2
    damaged = tmp_path / "run.netsim"
    damaged.write_bytes(b"PK\x03\x04 not really")
    assert main(["--resume", str(damaged)]) == 2
    err = capsys.readouterr().err
    assert "cannot read the config" in err and "not a NetSim session" in err


def test_bad_option_value_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--epochs", "-3"])
    assert info.value.code == 2
    assert "must be >= 0" in capsys.readouterr().err


def test_divergence_exits_3_and_still_writes_the_run_rolled_back(tmp_path, capsys):
    path = tmp_path / "hot.json"
    path.write_text('{"dataset": "circle", "activation": "relu", "learning_rate": 10}')
    target, session = tmp_path / "net.npz", tmp_path / "run.netsim"
    assert main(["--config", str(path), "--epochs", "200", "--export", str(target),
                 "--save", str(session), "--quiet"]) == 3
    err = capsys.readouterr().err
    assert "diverged" in err and "lower it" in err
    assert "the outputs hold the run at step 0, before it diverged" in err
    saved = load_session(session)
    assert saved.step_count == 0 and all(np.isfinite(w).all() for w in saved.network.weights)
    assert target.exists()


@pytest.mark.parametrize("option, name", [("--save", "missing/run.netsim"),
                                          ("--export", "missing/net.onnx"),
                                          ("--history-csv", "missing/h.csv")])
def test_an_output_that_cannot_be_written_is_refused_before_training(tmp_path, config, capsys,
                                                                     option, name):
    good = tmp_path / "net.npz"
    code = main(["--config", str(config), "--epochs", "100000", "--export", str(good),
                 option, str(tmp_path / name), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and f"{option} {tmp_path / name}: cannot write there" in err
    assert "does not exist" in err and not good.exists()


def test_saving_onto_a_folder_is_refused_naming_the_folder(tmp_path, config, capsys):
    assert main(["--config", str(config), "--save", str(tmp_path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"--save {tmp_path}: cannot write there: it is a folder" in err and ".tmp" not in err


def test_an_output_failing_at_the_end_does_not_stop_the_others(tmp_path, config, capsys,
                                                                monkeypatch):
    import netsim.cli as cli

    def disk_full(trainer, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(cli, "save_session", disk_full)
    exported, history = tmp_path / "net.onnx", tmp_path / "h.csv"
    code = main(["--config", str(config), "--epochs", "1", "--save", str(tmp_path / "r.netsim"),
                 "--export", str(exported), "--history-csv", str(history), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "r.netsim: cannot write (No space left on device)" in err
    assert exported.exists() and history.exists()


def test_ctrl_c_stops_at_a_step_and_saves_the_run_to_resume(tmp_path, config):
    session = tmp_path / "run.netsim"
    process = subprocess.Popen([sys.executable, "-m", "netsim.cli", "--config", str(config),
                                "--epochs", "1000000", "--save", str(session)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    for line in process.stderr:                # training has started once progress shows
        if "%" in line:
            break
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted at step" in err
    assert "Traceback" not in err
    step = int(err.split("interrupted at step ")[1].split(";")[0])
    resumed = load_session(session)
    assert resumed.step_count == step > 0
    resumed.step(10)                           # a whole state: it trains on


def test_help_documents_every_option():
    parser = build_parser()
    text = parser.format_help()
    for action in parser._actions:
        for option in action.option_strings:
            assert option in text
        assert action.help, action.dest
    assert "Exit codes" in text


def test_console_script_help_runs_in_a_fresh_interpreter():
    result = subprocess.run([sys.executable, "-m", "netsim.cli", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "--export" in result.stdout


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_pipe_prints_a_few_lines():
    stream = io.StringIO()
    _train(Trainer(Config(dataset="circle")), 40, 0, Progress(stream))
    lines = stream.getvalue().splitlines()
    assert 5 <= len(lines) <= 11 and "\r" not in stream.getvalue()
    assert lines[-1].startswith("100% epoch 40 step 1000")


def test_progress_on_a_terminal_redraws_one_line():
    stream = FakeTerminal()
    _train(Trainer(Config(dataset="circle")), 3, 7, Progress(stream))
    text = stream.getvalue()
    assert text.startswith("\r[") and text.endswith("\n") and text.count("\n") == 1
    assert "100%" in text.rsplit("\r", 1)[-1]


def test_sweep_prints_a_row_per_value_and_writes_the_csv(tmp_path, config, capsys):
    table = tmp_path / "sweep.csv"
    code = main(["--config", str(config), "--epochs", "2", "--sweep",
                 "learning_rate=0.01,0.1,1", "--sweep-csv", str(table), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["learning_rate", "final_train_loss", "final_test_loss"]
    assert [line.split()[0] for line in lines[1:]] == ["0.01", "0.1", "1"]
    rows = table.read_text().splitlines()
    assert rows[0].startswith("learning_rate,") and len(rows) == 4


def test_sweep_as_json_reports_the_step_each_run_reached_the_target(config, capsys):
    assert main(["--config", str(config), "--epochs", "3", "--sweep", "seed=0,1",
                 "--target-loss", "5", "--json", "--quiet"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["value"] for row in rows] == [0, 1]
    assert all(row["steps_to_target"] == 0 for row in rows)      # the first evaluation


def test_sweep_where_every_run_diverges_exits_3(tmp_path, capsys):
    path = tmp_path / "hot.json"
    path.write_text('{"dataset": "circle", "activation": "relu"}')
    assert main(["--config", str(path), "--epochs", "10", "--sweep", "learning_rate=10,20",
                 "--quiet"]) == 3
    out, err = capsys.readouterr()
    assert "every run of the sweep diverged" in err
    assert len(out.splitlines()) == 3                  # the table is still printed


@pytest.mark.parametrize("argv, match", [
    (["--sweep", "learning_rate=0.1,1"], "--sweep needs --epochs"),
    (["--sweep", "learning_rate=0.1,1", "--epochs", "1", "--save", "x.netsim"],
     "--save applies to a single run"),
    (["--sweep", "layers=1,2", "--epochs", "1"], "layers is a list and cannot be swept"),
    (["--sweep", "learning_rate=0.1,-1", "--epochs", "1"], "learning_rate must be > 0"),
    (["--sweep-csv", "out.csv", "--epochs", "1"], "need --sweep"),
])
def test_bad_sweep_exits_2(tmp_path, capsys, monkeypatch, argv, match):
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--quiet"]) == 2
    assert match in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("hostile", ["huge_weights", "huge_order"])
def test_hostile_session_exits_2_with_the_message_and_no_traceback(tmp_path, config, capsys,
                                                                   hostile):
    from hostile_files import npy_header, rewrite_session
    session = tmp_path / "run.netsim"
    assert main(["--config", str(config), "--steps", "5", "--save", str(session),
                 "--quiet"]) == 0
    member, dtype = {"huge_weights": ("weights/W0.npy", "<f8"),
                     "huge_order": ("order.npy", "<i8")}[hostile]
    rewrite_session(session, members={member: npy_header((10**12,), dtype)})
    assert main(["--resume", str(session), "--epochs", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"netsim-train: {session}: ") and "Traceback" not in err


@pytest.mark.parametrize("content, match", [
    ('{"layers": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested 100001 levels deep"),
    ('{"seed": ' + "9" * 5000 + "}", "a number of 5000 characters"),
    ('{"dataset": "csv", "csv_path": "/dev/zero"}', "/dev/zero: is a device, not a CSV file"),
], ids=["nested", "digits", "device"])
def test_hostile_config_exits_2_with_the_message_and_no_traceback(tmp_path, capsys, content,
                                                                  match):
    path = tmp_path / "cfg.json"
    path.write_text(content)
    assert main(["--config", str(path), "--epochs", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("netsim-train: ") and match in err and "Traceback" not in err
