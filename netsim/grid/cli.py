"""netsim-sweep: a grid of runs (settings times seeds, optionally times data sets) trained in
batches, in this process or on Dask workers; the results stream into a table.

    netsim-sweep grid.json --out results.csv                      # in this process
    netsim-sweep grid.json --out results.csv --workers 2          # a local Dask cluster
    netsim-sweep grid.json --out results.csv --scheduler tcp://host:8786

The grid file: netsim/grid/grid_file.py. Writes results.csv (one row per run,
netsim/grid/results.py) as tasks finish, then results.parquet (with pyarrow) and results.png,
the summary plot (with matplotlib); with --curves also results.curves.csv. The summary goes to
stdout, progress to stderr. The same command run again trains only the runs not yet in
results.csv.

Exit codes: 0 done (a run that diverged is a result, in the table like any other); 2 bad input
(the grid file, an option, the output file, Dask missing or its scheduler unreachable: the
message says what to fix); 3 every run of the grid diverged (as netsim-train --sweep: nothing
learned, lower the learning rate); 4 the cluster failed during the sweep (finished runs kept:
run again); 130 interrupted (finished runs kept, the batches in training dropped).
"""
import argparse
import sys
import time
from pathlib import Path

from ..cli import (EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_OK, BadInput,
                   non_negative_int)
from ..errors import ClusterError, NetsimError
from ..io.atomic import check_writable
from ..progress import Progress
from .curves import CurvesFile, curves_path
from .executors import InProcess, OnDask
from .grid_file import load_grid_file
from .plan import DEFAULT_RUNS_PER_TASK, plan_tasks, without_done
from .plot import plot_available, write_summary_plot
from .results import KEY, ResultsFile, read_results
from .summary import summarize, summary_text
from .task import dataset_for

EXIT_CLUSTER_FAILED = 4
PROG = "netsim-sweep"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Train a grid of NetSim runs (settings times seeds, optionally times data "
                    "sets), batched, in this process or on Dask workers; write one row per run "
                    "and a summary. Run the same command again to finish an interrupted sweep.",
        epilog='GRID.json: {"config": {settings, as a --config file}, "grid": {"setting": '
               '[values], ...}, "seeds": [0, 1, ...] or a count, "epochs": N, optionally '
               '"datasets": [names or objects of data settings] and "target_loss": L}. '
               "Exit codes: 0 done; 2 bad input; 3 every run diverged; 4 the cluster failed "
               "(finished runs kept); 130 interrupted (finished runs kept).")
    parser.add_argument("grid", metavar="GRID.json", help="the grid file")
    parser.add_argument("--out", required=True, metavar="RESULTS.csv",
                        help="the results table, one row per run; runs already in it are "
                             "skipped. RESULTS.parquet (with pyarrow) and RESULTS.png, the "
                             "summary plot (with matplotlib), are written beside it")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, metavar="N",
                       help="start a local Dask cluster of N worker processes (default: train "
                            "in this process)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="use the running Dask cluster whose scheduler is at ADDRESS, e.g. "
                            "tcp://host:8786 (its scheduler and workers need netsim installed, "
                            "the same version)")
    parser.add_argument("--runs-per-task", type=positive_int, default=DEFAULT_RUNS_PER_TASK,
                        metavar="N",
                        help=f"runs trained together in one batch, the unit of work (default "
                             f"{DEFAULT_RUNS_PER_TASK}); the same N gives the same results to "
                             f"the bit wherever the sweep runs")
    parser.add_argument("--curves", action="store_true",
                        help="also write every run's loss and accuracy curves to "
                             "RESULTS.curves.csv (and .parquet)")
    parser.add_argument("--plot", metavar="PNG",
                        help="where to draw the summary plot (default: RESULTS.png)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def positive_int(text: str) -> int:
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        sweep = GridSweep(args)
        if not sweep.tasks:
            sweep.say(f"all {sweep.n_runs} runs are already in {args.out}")
            return _finish(sweep)
        executor = _executor(args)
    except (NetsimError, BadInput) as exc:
        return _fail(exc, EXIT_BAD_INPUT)
    except OSError as exc:
        return _fail(f"{exc.filename}: {exc.strerror}" if exc.filename else exc, EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _fail("interrupted before training began", EXIT_INTERRUPTED)
    sweep.say(f"{sweep.n_runs} runs, {sweep.n_runs - sweep.n_todo} already in {args.out}; "
              f"training {sweep.n_todo} in {len(sweep.tasks)} batches {executor.description}")
    try:
        sweep.train(executor)
    except KeyboardInterrupt:
        sweep.keep_files()
        return _fail(f"\n{PROG}: interrupted: {sweep.runs_done} of {sweep.n_runs} runs are in "
                     f"{args.out}; the same command finishes the others", EXIT_INTERRUPTED,
                     prefix=False)
    except ClusterError as exc:
        sweep.keep_files()
        return _fail(exc, EXIT_CLUSTER_FAILED)
    except NetsimError as exc:
        sweep.keep_files()
        return _fail(exc, EXIT_BAD_INPUT)
    finally:
        executor.close()
    return _finish(sweep)


def _finish(sweep) -> int:
    """The summary and the copies of a sweep whose runs are all in its results table."""
    try:
        return sweep.finish()
    except OSError as exc:
        return _fail(f"the runs are all in {sweep.out}, but {exc.filename or 'a file'} could "
                     f"not be written: {exc.strerror or exc}", EXIT_BAD_INPUT)


def _fail(message, code: int, prefix: bool = True) -> int:
    print(f"{PROG}: {message}" if prefix else message, file=sys.stderr)
    return code


def _executor(args):
    if args.workers:
        return OnDask.local(args.workers)
    if args.scheduler:
        return OnDask.at(args.scheduler)
    return InProcess()


class GridSweep:
    """One invocation: the grid, its plan less what is done, the output files."""

    def __init__(self, args):
        self.args = args
        self.out = Path(args.out)
        if self.out.suffix.lower() != ".csv":
            raise BadInput(f"--out {args.out}: the results table is a .csv file "
                           f"(RESULTS.parquet is written beside it)")
        self.grid = load_grid_file(args.grid)
        self.plot_path = Path(args.plot) if args.plot else self.out.with_suffix(".png")
        for option, path in (("--out", self.out), ("--plot", self.plot_path)):
            try:
                check_writable(path)
            except OSError as exc:
                raise BadInput(f"{option} {path}: cannot write there: {exc.strerror}") from None
        self.runs = self.grid.runs()
        self.results = ResultsFile(self.out, self.grid.setting_columns)
        done = self.results.open()
        self.curves = CurvesFile(curves_path(self.out)) if args.curves else None
        if self.curves:
            self.curves.open(done)
        self.tasks = without_done(plan_tasks(self.runs, self.grid.epochs, self.grid.target_loss,
                                             args.runs_per_task), done)
        self.datasets = self._datasets_to_ship()
        self.progress = None if args.quiet else Progress(sys.stderr)

    @property
    def n_runs(self) -> int:
        return len(self.runs)

    @property
    def n_todo(self) -> int:
        return sum(len(task.runs) for task in self.tasks)

    @property
    def runs_done(self) -> int:
        keys = {run.key for run in self.runs}
        return len(keys & self.results.done)

    def say(self, text: str):
        if not self.args.quiet:
            print(f"{PROG}: {text}", file=sys.stderr)

    def _datasets_to_ship(self) -> dict:
        """Every data set the tasks left learn from, built here once so that a bad one is
        reported before any training; those of CSV files, which workers may not have, are
        returned to be shipped to them."""
        shipped = {}
        for task in self.tasks:
            dataset = dataset_for(task.data_key)
            if dataset.name == "csv":
                shipped[task.data_key] = dataset
        return shipped

    def train(self, executor):
        started, trained, todo = time.monotonic(), 0, self.n_todo
        runs_of = {task.key: task.runs for task in self.tasks}
        self._report(0, todo, started)
        for result in executor.results(self.tasks, self.datasets, self.curves is not None):
            runs = runs_of[result.task_key]
            if self.curves:
                self.curves.add(result, [run.key for run in runs
                                         if run.key not in self.results.done])
            trained += self.results.add(runs, result)
            self._report(trained, todo, started)

    def _report(self, trained: int, todo: int, started: float):
        if self.progress is None:
            return
        elapsed = time.monotonic() - started
        rate = trained / elapsed if trained and elapsed > 0 else 0.0
        left = f"{_duration((todo - trained) / rate)} left" if rate else "time left unknown"
        done = self.n_runs - todo + trained
        self.progress.update(done, f"{done}/{self.n_runs} runs, {rate:.3g} runs/s, {left}",
                             self.n_runs)

    def keep_files(self):
        """The Parquet copies of what is done (after an interruption too); the CSV tables
        are the record, so a copy that cannot be written is only reported."""
        for table in (self.results, self.curves):
            try:
                if table is not None:
                    table.write_parquet()
            except OSError as exc:
                print(f"{PROG}: the Parquet copy of {table.path} could not be written: "
                      f"{exc.strerror or exc}", file=sys.stderr)

    def finish(self) -> int:
        self.keep_files()
        order = {run.key: k for k, run in enumerate(self.runs)}
        table = read_results(self.out)
        rows = sorted((row for row in table.rows if row[KEY] in order),
                      key=lambda row: order[row[KEY]])   # grid order, not the order tasks ended
        summaries = summarize(table, rows)
        print(summary_text(summaries, with_target=self.grid.target_loss is not None))
        self._plot(summaries)
        if rows and all(row["diverged"] for row in rows):
            print(f"{PROG}: every run of the grid diverged: lower the learning rate",
                  file=sys.stderr)
            return EXIT_DIVERGED
        return EXIT_OK

    def _plot(self, summaries):
        path = self.plot_path
        if not plot_available():
            self.say("no summary plot: it needs matplotlib (pip install 'netsim[cluster]')")
            return
        seeds = len(self.grid.seeds)
        write_summary_plot(path, summaries, f"{Path(self.args.grid).name}: final test loss, "
                                            f"mean ± sd over {seeds} seed{'s' * (seeds > 1)}")
        self.say(f"summary plot: {path}")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds // 60 % 60:02d}m"


if __name__ == "__main__":
    sys.exit(main())
