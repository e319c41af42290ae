"""netsim-sweep on a real Dask cluster (distributed.LocalCluster, 2 worker processes): the
results equal, run by run and to the bit, those of the same grid trained in this process; a
worker killed mid-sweep costs no run and counts none twice; running again skips what is done."""
import json
import os
import signal
import time

import dask
import distributed          # the `cluster` extra, which `make test` installs: never skipped
import numpy as np
import pytest

from netsim.grid.cli import main
from netsim.grid.executors import OnDask
from netsim.grid.results import ResultsFile, read_results

BASE = {"dataset": "circle", "n_samples": 100, "layers": [6, 4]}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0",
                                  local_directory=str(tmp_path_factory.mktemp("dask"))) as cluster:
        yield cluster


@pytest.fixture
def client(cluster):
    with distributed.Client(cluster) as client:
        client.wait_for_workers(2)
        yield client


def rows_by_key(path) -> dict:
    return {row["run_key"]: row for row in read_results(path).rows}


def test_a_sweep_on_the_cluster_equals_the_same_sweep_in_process_to_the_bit(
        tmp_path, cluster, capsys):
    values = np.linspace(-1, 1, 50)
    (tmp_path / "data.csv").write_text(                # shipped to the workers, not read there
        "a,b,label\n" + "".join(f"{x},{x * x},{int(x * x > 0.3)}\n" for x in values))
    (tmp_path / "grid.json").write_text(json.dumps({
        "config": BASE, "grid": {"learning_rate": [0.03, 0.3], "init": ["zeros", "he_normal"]},
        "datasets": ["circle", {"dataset": "csv", "csv_path": "data.csv"}],
        "seeds": 3, "epochs": 3, "target_loss": 0.5}))
    grid, here, there = str(tmp_path / "grid.json"), tmp_path / "here.csv", tmp_path / "there.csv"
    common = ["--runs-per-task", "5", "--quiet"]
    assert main([grid, "--out", str(here), *common]) == 0
    assert main([grid, "--out", str(there), "--scheduler", cluster.scheduler_address,
                 *common]) == 0
    assert rows_by_key(there) == rows_by_key(here)          # weights_checksum included
    assert len(rows_by_key(there)) == 2 * 2 * 2 * 3
    capsys.readouterr()
    assert main([grid, "--out", str(there), "--scheduler", cluster.scheduler_address]) == 0
    assert "all 24 runs are already in" in capsys.readouterr().err


def worker_addresses(dask_scheduler) -> set:
    return set(dask_scheduler.workers)


def kill(client, worker: str):
    os.kill(client.run(os.getpid, workers=[worker])[worker], signal.SIGKILL)


def wait_until_gone(client, worker: str):
    """Until the scheduler has let a dead worker go: a result fetched from a dead worker the
    scheduler still lists is asked for again until the connect timeout (30 s by default)."""
    deadline = time.monotonic() + 30
    while worker in client.run_on_scheduler(worker_addresses) and time.monotonic() < deadline:
        time.sleep(0.05)


def lost_with_their_workers(dask_scheduler) -> set:
    """(on the scheduler) the tasks that were running on a worker when it died"""
    return {key for key, task in dask_scheduler.tasks.items() if task.suspicious}


def test_a_worker_killed_mid_sweep_costs_no_run_and_writes_none_twice(
        tmp_path, cluster, client, monkeypatch):
    (tmp_path / "grid.json").write_text(json.dumps({
        "config": {**BASE, "n_samples": 200, "layers": [16, 16]},
        "grid": {"learning_rate": [0.01, 0.03, 0.1]}, "seeds": 4, "epochs": 200}))
    grid, common = str(tmp_path / "grid.json"), ["--runs-per-task", "2", "--quiet"]   # 6 tasks
    add, lost = ResultsFile.add, set()
    def add_then_kill_a_busy_worker(results_file, runs, result):
        written = add(results_file, runs, result)
        if len(results_file.done) == written:       # the first task: others run or wait
            busy = [worker for worker, keys in client.processing().items() if keys]
            kill(client, busy[0])
            wait_until_gone(client, busy[0])
        lost.update(client.run_on_scheduler(lost_with_their_workers))
        return written
    monkeypatch.setattr(ResultsFile, "add", add_then_kill_a_busy_worker)
    there = tmp_path / "there.csv"
    assert main([grid, "--out", str(there), "--scheduler", cluster.scheduler_address,
                 *common]) == 0
    assert lost                                 # a task died with its worker and ran again
    keys = [row["run_key"] for row in read_results(there).rows]
    assert len(keys) == len(set(keys)) == 12
    monkeypatch.setattr(ResultsFile, "add", add)
    assert main([grid, "--out", str(tmp_path / "here.csv"), *common]) == 0
    assert rows_by_key(there) == rows_by_key(tmp_path / "here.csv")


def holders_of(key, dask_scheduler) -> list:
    """(on the scheduler) the workers that hold a finished task's result"""
    return [worker.address for worker in dask_scheduler.tasks[key].who_has]


def test_a_result_lost_with_its_worker_before_it_was_fetched_is_trained_again(
        tmp_path, cluster, client, monkeypatch):
    (tmp_path / "grid.json").write_text(json.dumps({
        "config": BASE, "grid": {"learning_rate": [0.03, 0.3]}, "seeds": 3, "epochs": 3}))
    grid, common = str(tmp_path / "grid.json"), ["--runs-per-task", "2", "--quiet"]   # 3 tasks
    fetch, killed = OnDask._result, []
    def kill_its_holder_then_fetch(executor, future, distributed):
        if not killed:
            holder = client.run_on_scheduler(holders_of, future.key)[0]
            kill(client, holder)
            killed.append(holder)
        return fetch(executor, future, distributed)
    monkeypatch.setattr(OnDask, "_result", kill_its_holder_then_fetch)
    there = tmp_path / "there.csv"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):   # the dead worker's
        assert main([grid, "--out", str(there), "--scheduler",         # result is given up
                     cluster.scheduler_address, *common]) == 0         # on sooner
    assert killed
    monkeypatch.setattr(OnDask, "_result", fetch)
    assert main([grid, "--out", str(tmp_path / "here.csv"), *common]) == 0
    assert rows_by_key(there) == rows_by_key(tmp_path / "here.csv")


def test_workers_option_starts_a_local_cluster(tmp_path, capsys):
    (tmp_path / "grid.json").write_text(json.dumps({
        "config": BASE, "grid": {"learning_rate": [0.03, 0.3]}, "seeds": 2, "epochs": 2}))
    assert main([str(tmp_path / "grid.json"), "--out", str(tmp_path / "r.csv"),
                 "--workers", "2", "--runs-per-task", "2"]) == 0
    assert "on 2 local worker processes" in capsys.readouterr().err
    assert len(rows_by_key(tmp_path / "r.csv")) == 4


def test_a_scheduler_address_that_is_not_one_exits_2(tmp_path, capsys):
    (tmp_path / "grid.json").write_text(json.dumps({
        "config": BASE, "grid": {"learning_rate": [0.03]}, "epochs": 1}))
    assert main([str(tmp_path / "grid.json"), "--out", str(tmp_path / "r.csv"),
                 "--scheduler", "no-port-here"]) == 2
    assert "cannot reach the Dask scheduler at no-port-here" in capsys.readouterr().err
