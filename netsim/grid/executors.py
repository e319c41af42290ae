"""Where a sweep's tasks train: in this process, or on Dask (`dask.distributed`): a local
cluster of worker processes (`OnDask.local(n)`) or a running cluster (`OnDask.at(address)`).

Both hand back each task's TaskResult as it finishes (`results`), the same for the same task
wherever it trained (netsim/grid/task.py). Data sets that workers cannot rebuild from their
settings (CSV files) are loaded by the client and given in `datasets`; Dask ships each once to
every worker.

A worker that dies takes its task with it: the scheduler gives the task to another worker
(up to distributed.scheduler.allowed-failures times, 3 by default) and the client sees one
result, never two. The scheduler reads the tasks too: it and the workers need netsim installed,
the same version. Dask is optional (pip install 'netsim[cluster]'), imported only here and
only when a cluster is asked for.
"""
import contextlib
import logging
import signal
import threading
from typing import Iterator

from ..errors import ClusterError
from .task import TaskResult, train_task

MISSING_DASK = ("training on Dask workers needs dask.distributed: pip install 'netsim[cluster]' "
                "(or pip install 'dask[distributed]'); without --workers and --scheduler, "
                "netsim-sweep trains in this process")
CONNECT_TIMEOUT_S = 10


class InProcess:
    """The tasks one after the other, here."""
    description = "in this process"

    def results(self, tasks, datasets: dict, keep_curves: bool) -> Iterator[TaskResult]:
        for task in tasks:
            yield train_task(task, datasets.get(task.data_key), keep_curves)

    def close(self):
        """Nothing to release."""


class OnDask:
    """The tasks on the workers of a Dask cluster, as many at once as they have threads."""

    def __init__(self, client, cluster=None, description: str = ""):
        self.client = client
        self.cluster = cluster              # ours to close when we started it
        self.description = description

    @classmethod
    def local(cls, workers: int, **cluster_options) -> "OnDask":
        """A new cluster of `workers` processes on this machine, one thread each (a task is
        numpy on small matrices: processes, not threads, run side by side)."""
        distributed = _distributed()
        with _workers_ignoring_ctrl_c():
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                               processes=True, dashboard_address=":0",
                                               silence_logs=logging.ERROR, **cluster_options)
        return cls(distributed.Client(cluster), cluster,
                   f"on {workers} local worker process{'es' if workers > 1 else ''}")

    @classmethod
    def at(cls, address: str) -> "OnDask":
        """The running cluster whose scheduler listens at `address` (tcp://host:8786)."""
        distributed = _distributed()
        try:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); start "
                               f"one with `dask scheduler` and workers with `dask worker "
                               f"{address}`, or check the address") from None
        workers = len(client.scheduler_info().get("workers", {}))
        return cls(client, None, f"on the Dask cluster at {address} ({workers} workers)")

    def results(self, tasks, datasets: dict, keep_curves: bool) -> Iterator[TaskResult]:
        distributed = _distributed()
        shipped = {key: self.client.scatter(dataset, broadcast=True, hash=False)
                   for key, dataset in datasets.items()}
        futures = [self.client.submit(train_task, task, shipped.get(task.data_key), keep_curves,
                                      key=task.key, pure=False)
                   for task in tasks]
        try:
            # this client's loop: as_completed would take the default client's, another one
            # when a process holds several, and a result fetched again after its worker died
            # would then wait on an event of the wrong loop
            for future in distributed.as_completed(futures, loop=self.client.loop):
                yield self._result(future, distributed)
        finally:                        # Ctrl+C, or a failed task: stop the rest
            self.client.cancel([future for future in futures if not future.done()])

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def _result(self, future, distributed) -> TaskResult:
        try:
            return future.result()
        except distributed.KilledWorker as exc:
            raise ClusterError(f"the workers running a task kept dying ({exc}); the runs "
                               f"finished so far are kept: run the same command again to go "
                               f"on") from None
        except (OSError, distributed.CancelledError) as exc:
            raise ClusterError(f"lost the Dask cluster ({type(exc).__name__}: {exc}); the runs "
                               f"finished so far are kept: run the same command again to go "
                               f"on") from None
        except (ImportError, RuntimeError) as exc:
            # a worker that cannot import netsim raises the ImportError; the scheduler, which
            # reads the tasks too, a RuntimeError caused by it
            missing = exc if isinstance(exc, ImportError) else exc.__cause__
            if not isinstance(missing, ImportError):
                raise
            raise ClusterError(f"the Dask cluster cannot read a task ({missing}): install "
                               f"netsim, the same version as here, where its scheduler and "
                               f"workers run") from None


@contextlib.contextmanager
def _workers_ignoring_ctrl_c():
    """Processes started inside ignore SIGINT. Ctrl+C in a terminal goes to the whole process
    group: the local workers would die mid-task, each with its traceback, while the client is
    still stopping them. An ignored SIGINT is inherited through the exec of a new process
    (and Python then installs no KeyboardInterrupt handler), so they leave the stopping to the
    client, which cancels their tasks and closes the cluster."""
    if threading.current_thread() is not threading.main_thread():
        yield                           # signal handlers can only be set in the main thread
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError(MISSING_DASK) from None
    return distributed
