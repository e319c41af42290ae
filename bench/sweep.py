"""Sweep speed: 16 runs trained together (netsim.batched.BatchedRuns, weights stacked as
(runs, n_in, n_out)) against the same 16 runs as 16 Trainers one after the other.

    python bench/sweep.py             # from the repository root; about half a minute

Cases (circle, 500 points, inputs x1 x2, layers [8, 8], tanh, SGD, batch 10, 50 epochs = 1250
steps per run):
  1. 16 learning rates from 0.001 to 0.3 (seed 0);
  2. 16 seeds (learning rate 0.03);
  3. as 1 with Adam and an L2 penalty of 0.001.
Both sides train on the same data set object and measure alike: the test set at the end of
every epoch, the training set at most every 32 steps (TRAIN_EVALUATION_EVERY); the Trainers
also keep their per-step history and checkpoints, as they do in the application. The two sides take turns epoch by epoch (the
machines here change speed from one second to the next); each ratio is the median of 3 rounds.
Goal: sequential / batched >= 4 in every case.
"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netsim import Config, Trainer  # noqa: E402
from netsim.batched import BatchedRuns  # noqa: E402
from netsim.datasets import make_dataset  # noqa: E402

EPOCHS = 50
RUNS = 16
REPEATS = 3
GOAL = 4.0
BASE = Config(dataset="circle", layers=(8, 8), activation="tanh", learning_rate=0.03)
CASES = {
    "16 learning rates": [BASE.replace(learning_rate=float(lr))
                          for lr in np.geomspace(0.001, 0.3, RUNS)],
    "16 seeds": [BASE.replace(seed=s) for s in range(RUNS)],
    "16 rates, Adam + L2": [BASE.replace(learning_rate=float(lr), optimizer="adam",
                                         regularization="l2", reg_rate=0.001)
                            for lr in np.geomspace(0.001, 0.3, RUNS)],
}


def interleaved(configs, dataset) -> tuple[float, float]:
    """(sequential s, batched s) for the same training, the two sides taking turns epoch by
    epoch (the batched epoch, then each Trainer's), so that a change of the machine's speed
    hits both alike. Construction counts on both sides."""
    seq = bat = 0.0
    start = time.perf_counter()
    trainers = [Trainer(config, dataset) for config in configs]
    seq += time.perf_counter() - start
    start = time.perf_counter()
    runs = BatchedRuns(configs, dataset)
    bat += time.perf_counter() - start
    for _ in range(EPOCHS):
        start = time.perf_counter()
        runs.run_epoch()
        middle = time.perf_counter()
        for trainer in trainers:
            trainer.run_epoch()
        end = time.perf_counter()
        bat += middle - start
        seq += end - middle
    return seq, bat


def main():
    dataset = make_dataset(BASE.dataset, **BASE.data_kwargs())
    print(f"{RUNS} runs x {EPOCHS} epochs, circle [8, 8] tanh, batch 10 "
          f"(median of {REPEATS} interleaved rounds)")
    print(f"{'case':22s} {'sequential s':>13s} {'batched s':>10s} {'ratio':>7s}")
    ratios = []
    for name, configs in CASES.items():
        rounds = [interleaved(configs, dataset) for _ in range(REPEATS)]
        ratio = statistics.median(seq / bat for seq, bat in rounds)
        seq = statistics.median(r[0] for r in rounds)
        bat = statistics.median(r[1] for r in rounds)
        ratios.append(ratio)
        print(f"{name:22s} {seq:13.3f} {bat:10.3f} {ratio:7.1f}x")
    verdict = "met" if min(ratios) >= GOAL else "NOT met"
    print(f"goal sequential/batched >= {GOAL:g}: {verdict} (lowest {min(ratios):.1f}x)")


if __name__ == "__main__":
    main()
