"""The layering: the engine knows nothing of Qt (importing all of netsim loads no Qt, pyqtgraph
or ui module), and the import contracts of pyproject.toml hold and catch what breaks them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "ui")

# Imports netsim and every submodule, and reports, for each forbidden top-level module
# that got loaded, the netsim module whose import first brought it in.
PROBE = """
import importlib, json, pkgutil, sys
forbidden = %r
culprits = {}

def note(module_name):
    for name in forbidden:
        if name in sys.modules and name not in culprits:
            culprits[name] = module_name

def fail(name):
    raise ImportError(f"cannot import {name}")

import netsim
note("netsim")
for info in pkgutil.walk_packages(netsim.__path__, "netsim.", onerror=fail):
    if info.name.rsplit(".", 1)[-1] == "__main__":
        continue
    importlib.import_module(info.name)
    note(info.name)
print(json.dumps(culprits))
""" % (FORBIDDEN,)


def test_importing_netsim_loads_no_qt_pyqtgraph_or_ui():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    culprits = json.loads(result.stdout.strip().splitlines()[-1])
    assert culprits == {}, f"netsim imported UI modules (module: first netsim importer): {culprits}"


# Runs import-linter on the tree at `root` with the contracts of the pyproject.toml there;
# prints its report and exits with its status.
LINT = "import sys; from importlinter.cli import lint_imports; " \
       "sys.exit(lint_imports(no_cache=True, no_logo=True))"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter's verdict on the tree at `root` (it reads the packages from that folder)."""
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, capture_output=True, text=True,
                          timeout=120)


def test_the_import_contracts_of_pyproject_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _skeleton(tmp_path: Path) -> Path:
    """Every module of netsim/ and ui/ as an empty file, and the real pyproject.toml: the same
    contracts over the same modules, with no imports yet."""
    for package in ("netsim", "ui"):
        for source in (ROOT / package).rglob("*.py"):
            copy = tmp_path / source.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text("")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    return tmp_path


@pytest.mark.parametrize("module, line, broken", [
    ("netsim/trainer.py", "import PySide6.QtCore", "the engine knows nothing of the UI"),
    ("netsim/snapshot.py", "from ui import colors", "the engine knows nothing of the UI"),
    ("ui/controller.py", "from ui.network import network_view",
     "the rooms of ui/ import downwards only"),
    ("ui/charts/chart.py", "import ui.shell.main_window", "the rooms of ui/ import downwards only"),
    ("ui/output/output_view.py", "from ui.network.palette import weight_lut",
     "the rooms of ui/ import downwards only"),
])
def test_an_import_against_the_contracts_fails_the_check(tmp_path, module, line, broken):
    root = _skeleton(tmp_path)
    assert lint_imports(root).returncode == 0
    (root / module).write_text(line + "\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout, result.stdout
