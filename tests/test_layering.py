"""The engine knows nothing of Qt: importing all of netsim loads no Qt, pyqtgraph or ui module."""

import json
import subprocess
import sys
from pathlib import Path

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
