"""Time load_csv on a 100,000-row x 50-column CSV (49 numeric features and a class label).

    python bench/csv_load.py

Prints the best of 3 loads in seconds and its ratio to the 2 s goal (below 1 is good).
"""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netsim.datasets import load_csv  # noqa: E402

ROWS, FEATURES, GOAL_SECONDS, REPEATS = 100_000, 49, 2.0, 3


def write_csv(path: Path) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(0, 100, (ROWS, FEATURES))
    labels = np.array(["alpha", "beta", "gamma"])[rng.integers(0, 3, ROWS)]
    header = ",".join([f"feature_{j}" for j in range(FEATURES)] + ["label"])
    lines = [",".join(f"{v:.6g}" for v in row) + "," + label for row, label in zip(values, labels)]
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        write_csv(path)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            raw, y, _, class_names, _ = load_csv(path)
            times.append(time.perf_counter() - start)
    assert raw.shape == (ROWS, FEATURES) and len(class_names) == 3
    best = min(times)
    print(f"load_csv {ROWS:,} rows x {FEATURES + 1} columns: {best:.2f} s best of {REPEATS} "
          f"(ratio to the {GOAL_SECONDS:.0f} s goal: {best / GOAL_SECONDS:.2f})")


if __name__ == "__main__":
    main()
