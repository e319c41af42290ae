"""The .py export is one self-contained module (numpy only) whose predict(raw) gives the
engine's outputs in a fresh interpreter."""
import csv as csv_module
import subprocess
import sys

import numpy as np
import pytest

from netsim import ACTIVATIONS
from netsim.io import export_weights

from io_helpers import CASES, engine_outputs, raw_points, trained

# Loads each exported module by file name in a fresh interpreter, with nothing of the
# project on sys.path, and saves its predictions.
RUNNER = """
import importlib.util, sys
import numpy as np
sys.path = [p for p in sys.path if p not in ("", ".")]
out = {}
for path in sys.argv[2:]:
    spec = importlib.util.spec_from_file_location("exported", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert "netsim" not in sys.modules
    raw = np.load(path[:-3] + "_raw.npy")
    out[path] = module.predict(raw)
np.savez(sys.argv[1], *[out[p] for p in sys.argv[2:]])
"""


def run_fresh(tmp_path, paths):
    result_path = tmp_path / "results.npz"
    subprocess.run([sys.executable, "-I", "-c", RUNNER, str(result_path), *map(str, paths)],
                   check=True, cwd=tmp_path, timeout=120, capture_output=True)
    with np.load(result_path) as results:
        return [results[f"arr_{k}"] for k in range(len(paths))]


def test_exported_modules_in_a_fresh_interpreter_give_the_engines_outputs(tmp_path):
    runs, paths = [], []
    for activation in ACTIVATIONS:
        for case, fields in CASES.items():
            for dtype in ("float64", "float32"):
                trainer = trained(**fields, activation=activation, dtype=dtype)
                path = export_weights(trainer, tmp_path / f"{case}_{activation}_{dtype}.py")
                raw = raw_points(trainer)
                np.save(str(path)[:-3] + "_raw.npy", raw)
                runs.append((path.name, engine_outputs(trainer, raw)))
                paths.append(path)
    for (name, expected), got in zip(runs, run_fresh(tmp_path, paths)):
        assert got.dtype == expected.dtype, name
        np.testing.assert_allclose(got, expected, rtol=1e-12 if got.dtype == np.float64
                                   else 1e-5, atol=1e-7, err_msg=name)


def test_module_documents_its_inputs_and_holds_its_architecture(tmp_path):
    trainer = trained(**CASES["multiclass_iris"])
    path = export_weights(trainer, tmp_path / "iris_net.py")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    assert namespace["SCHEMA_VERSION"] == 1
    assert namespace["RAW_NAMES"] == list(trainer.dataset.raw_names)
    assert namespace["ARCHITECTURE"]["sizes"] == trainer.network.sizes
    assert "import iris_net" in namespace["__doc__"]
    with pytest.raises(ValueError, match="shape"):
        namespace["predict"](np.zeros((2, 3)))


def test_running_the_module_predicts_for_a_csv_file(tmp_path):
    trainer = trained(**CASES["binary_all_features"])
    path = export_weights(trainer, tmp_path / "net.py")
    raw = raw_points(trainer, n=5)
    data = tmp_path / "points.csv"
    data.write_text("x1,x2\n" + "".join(f"{a},{b}\n" for a, b in raw.tolist()))
    result = subprocess.run([sys.executable, "-I", str(path), str(data)], capture_output=True,
                            text=True, check=True, timeout=60)
    lines = result.stdout.splitlines()
    assert lines[0] == "P(1)"                       # the probability of the positive class
    np.testing.assert_allclose([float(v) for v in lines[1:]],
                               engine_outputs(trainer, raw)[:, 0], rtol=1e-12)


def test_names_from_a_users_csv_cannot_break_the_module(tmp_path):
    csv = tmp_path / "odd.csv"
    rows = "".join(f"{i},{i % 3},{'yes' if i % 2 else 'no'}\n" for i in range(20))
    csv.write_text('"a ""quoted"" \\\\ name",b\'s,label\n' + rows)
    trainer = trained(dataset="csv", csv_path=str(csv))
    path = export_weights(trainer, tmp_path / "net.py")
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    raw = raw_points(trainer, n=4)
    np.testing.assert_allclose(namespace["predict"](raw), engine_outputs(trainer, raw))


HOSTILE = ['x"""\nopen(__file__ + ".pwned", "w")\n"""', "a\nimport os; os.system('touch pwned')",
           "b\\", "c'\"", "d\u2028open('pwned', 'w')", "e\x0bf\x0cg", "h\r\nexec('1/0')#"]


def test_names_from_a_file_reach_the_module_only_as_literals(tmp_path):
    """Column names and class labels that try to break out of comments, strings and
    docstrings: importing the export runs none of them, and every name reads back as is."""
    columns, label = HOSTILE[:3], HOSTILE[3] + HOSTILE[4]
    csv = tmp_path / "hostile.csv"
    with open(csv, "w", encoding="utf-8", newline="") as f:
        writer = csv_module.writer(f)
        writer.writerow(columns + ["target"])
        writer.writerows([i, i % 3, i % 5, label if i % 2 else HOSTILE[6]] for i in range(24))
    trainer = trained(dataset="csv", csv_path=str(csv))
    assert list(trainer.dataset.raw_names) == columns
    path = export_weights(trainer, tmp_path / "net.py")
    raw = raw_points(trainer, n=4)
    np.save(str(path)[:-3] + "_raw.npy", raw)
    got = run_fresh(tmp_path, [path])[0]
    np.testing.assert_allclose(got, engine_outputs(trainer, raw), rtol=1e-12)
    assert not list(tmp_path.glob("*pwned*"))
    namespace = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    assert namespace["RAW_NAMES"] == columns
    assert sorted(namespace["CLASS_NAMES"]) == sorted([label, HOSTILE[6]])


def test_the_module_reads_the_csv_it_was_trained_on_leaving_out_the_target(tmp_path):
    csv = tmp_path / "train.csv"
    csv.write_text("size,weight,kind\n" + "".join(f"{i},{(i * 7) % 11},{'big' if i > 10 else 'small'}\n"
                                                  for i in range(24)))
    trainer = trained(dataset="csv", csv_path=str(csv))
    path = export_weights(trainer, tmp_path / "net.py")
    result = subprocess.run([sys.executable, "-I", str(path), str(csv)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    positive = trainer.dataset.class_names[-1]
    assert lines[0] == f"P({positive})" and len(lines) == 25
    raw = np.array([[i, (i * 7) % 11] for i in range(24)], dtype=float)
    np.testing.assert_allclose([float(v) for v in lines[1:]],
                               engine_outputs(trainer, raw)[:, 0], rtol=1e-12)


@pytest.mark.parametrize("content, message", [
    ("size,colour\n1,2\n", "the header has no column 'weight'"),
    ("1,2,3\n4,5,6\n", "has 3 columns and no header"),
    ("size,weight\n1,heavy\n", "every value of the raw columns must be a number"),
])
def test_the_module_says_why_it_cannot_read_a_csv(tmp_path, content, message):
    csv = tmp_path / "train.csv"
    csv.write_text("size,weight,kind\n" + "".join(f"{i},{i % 4},{'a' if i % 2 else 'b'}\n"
                                                  for i in range(24)))
    path = export_weights(trained(dataset="csv", csv_path=str(csv)), tmp_path / "net.py")
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    result = subprocess.run([sys.executable, "-I", str(path), str(bad)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr
