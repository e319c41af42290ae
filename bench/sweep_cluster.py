"""Sweeps on Dask: a 256-run grid on 2 local worker processes against the same grid in this
process, and, inside a worker, a batch against its runs one by one.

    python bench/sweep_cluster.py      # from the repository root; about two minutes

The grid: circle, 500 points, inputs x1 x2, layers [8, 8], tanh, SGD, batch 10, 150 epochs
(3,750 steps a run); 8 learning rates from 0.003 to 0.3 times 32 seeds = 256 runs, planned as
netsim-sweep plans them: 8 tasks of 32 runs trained together.

1. Cluster against in-process: the time from handing the 8 tasks over to the last result, on a
   LocalCluster of 2 worker processes (one thread each) whose workers have imported netsim, and
   with netsim.grid.executors.InProcess; the two take turns, 3 rounds, the ratio is the median
   of the rounds' ratios. Starting the cluster is timed apart (a cluster reached by address is
   already running). Goal: in-process / cluster >= 1.6 on 2 cores.
   Beside it, the same tasks on a bare pool of 2 processes (concurrent.futures), taking turns
   with the others: the most two processes get out of this machine at the time, which the
   other jobs on it lower; the cluster's share of that is Dask's own cost.
2. Inside a worker: one task (32 runs together, as the sweep trains them) against the same 32
   runs as 32 one-run tasks one after another (--runs-per-task 1), on one worker, taking turns,
   median of 3. Goal: one by one / batched >= 4.

The machines here have 2 cores shared with other jobs: the load average is printed; with
other work running, the cluster's ratio drops (its two processes want both cores).
"""
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from netsim.grid.executors import InProcess, OnDask  # noqa: E402
from netsim.grid.grid_file import parse_grid  # noqa: E402
from netsim.grid.plan import Task, plan_tasks  # noqa: E402
from netsim.grid.task import train_task  # noqa: E402

WORKERS = 2
ROUNDS = 3
CLUSTER_GOAL, BATCHED_GOAL = 1.6, 4.0
GRID = parse_grid({
    "config": {"dataset": "circle", "n_samples": 500, "layers": [8, 8], "activation": "tanh",
               "batch_size": 10},
    "grid": {"learning_rate": [float(lr) for lr in np.geomspace(0.003, 0.3, 8)]},
    "seeds": 32, "epochs": 150}, "bench")


def sweep_seconds(executor, tasks) -> float:
    start = time.perf_counter()
    results = list(executor.results(tasks, {}, keep_curves=False))
    assert len(results) == len(tasks)
    return time.perf_counter() - start


def pool_seconds(pool, tasks) -> float:
    start = time.perf_counter()
    results = list(pool.map(train_task, tasks))
    assert len(results) == len(tasks)
    return time.perf_counter() - start


def batched_and_one_by_one(task: Task) -> tuple[float, float]:
    """(on a worker) seconds for the task's runs trained together, then one by one."""
    start = time.perf_counter()
    train_task(task)
    middle = time.perf_counter()
    for run in task.runs:
        train_task(Task((run,), task.epochs, task.target_loss))
    return middle - start, time.perf_counter() - middle


def warm_up():
    """(on a worker) what the first task would otherwise pay: imports, the data set."""
    train_task(Task(GRID.runs()[:1], 1, None))


def warm_up_task(_):
    warm_up()


def main():
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs before starting"
          + (": other processes compete, the cluster's ratio suffers most" if load > 0.5 else ""))
    tasks = plan_tasks(GRID.runs(), GRID.epochs, None)
    print(f"{GRID.n_runs} runs in {len(tasks)} tasks of {len(tasks[0].runs)}, {GRID.epochs} "
          f"epochs each; median of {ROUNDS} rounds")
    start = time.perf_counter()
    cluster = OnDask.local(WORKERS)
    cluster.client.run(warm_up)
    started = time.perf_counter() - start
    pool = ProcessPoolExecutor(WORKERS)
    try:
        warm_up()
        list(pool.map(warm_up_task, range(WORKERS)))
        rounds = []
        for _ in range(ROUNDS):
            here = sweep_seconds(InProcess(), tasks)
            there = sweep_seconds(cluster, tasks)
            rounds.append((here, there, pool_seconds(pool, tasks)))
        worker = next(iter(cluster.client.scheduler_info()["workers"]))
        inside = [cluster.client.submit(batched_and_one_by_one, tasks[0], workers=[worker],
                                        pure=False).result() for _ in range(ROUNDS)]
    finally:
        cluster.close()
        pool.shutdown()
    here, there, bare = (statistics.median(r[k] for r in rounds) for k in range(3))
    ratio = statistics.median(h / t for h, t, _ in rounds)
    ceiling = statistics.median(h / b for h, _, b in rounds)
    print(f"{'in-process s':>13} {f'{WORKERS} workers s':>12} {'ratio':>7}   "
          f"{f'bare pool of {WORKERS} s':>17} {'ratio':>7}")
    print(f"{here:13.2f} {there:12.2f} {ratio:6.2f}x   {bare:17.2f} {ceiling:6.2f}x")
    print(f"the cluster gets {ratio / ceiling:.0%} of what {WORKERS} bare processes get now; "
          f"cluster start-up {started:.1f} s (counted once: {here / (there + started):.2f}x)")
    batched = statistics.median(b for b, _ in inside)
    one_by_one = statistics.median(s for _, s in inside)
    inside_ratio = statistics.median(s / b for b, s in inside)
    print(f"inside a worker: {len(tasks[0].runs)} runs batched {batched:.2f} s, one by one "
          f"{one_by_one:.2f} s: {inside_ratio:.1f}x")
    for name, value, goal in (("in-process / cluster", ratio, CLUSTER_GOAL),
                              ("one by one / batched in a worker", inside_ratio, BATCHED_GOAL)):
        print(f"goal {name} >= {goal:g}: {'met' if value >= goal else 'NOT met'} ({value:.2f}x)")


if __name__ == "__main__":
    main()
