"""netsim-train: train a network without a window, for scripts and long runs.

    netsim-train --config cfg.json --epochs 200 --export net.onnx --export net.npz \\
                 --save run.netsim
    netsim-train --resume run.netsim --epochs 100 --save run.netsim
    netsim-train --config cfg.json --epochs 50 --sweep learning_rate=0.01,0.1,1 \\
                 --sweep-csv sweep.csv

Progress goes to stderr (one line redrawn in place on a terminal, a line every 10 % otherwise),
the final metrics to stdout. Exit codes: 0 done, 2 bad input (the message says what to fix)
or an output that could not be written, 3 training diverged (in a sweep: every run
diverged), 130 interrupted.

No trained run is lost: every output path is checked before training starts; a run that
diverges (rolled back to its last sound weights) or is interrupted (Ctrl+C, at the end of the
step under way) is still exported, saved and its history written, saying so; an output that
fails at the end does not stop the others.
"""
import argparse
import json
import signal
import sys
from pathlib import Path

from .config import Config
from .config_file import load_config_file
from .errors import DivergenceError, NetsimError
from .io import EXPORT_FORMATS, export_history_csv, export_weights
from .io.atomic import check_writable
from .progress import Progress
from .session import load_session, save_session
from .sweep import parse_sweep, run_sweep
from .text_table import aligned
from .trainer import Trainer

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130
METRICS = ("train_loss", "train_data_loss", "penalty", "test_loss", "train_accuracy",
           "test_accuracy")


class BadInput(Exception):
    """A problem with the command line or its files, reported with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    formats = ", ".join(EXPORT_FORMATS)
    parser = argparse.ArgumentParser(
        prog="netsim-train",
        description="Train a NetSim network headless: from a config file (or a saved session), "
                    "for a number of epochs and/or steps; then export the weights and save "
                    "the session.",
        epilog="Exit codes: 0 done; 2 bad input (a bad option, config or file: the message "
               "says what to fix) or an output that could not be written; 3 training "
               "diverged (NaN or infinity: lower the learning rate; the outputs hold the run "
               "rolled back to before it), or in a sweep every run diverged; 130 interrupted "
               "(the outputs hold the run as it stopped).")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--config", metavar="CFG.json",
                       help="settings as a JSON object of config fields (as the app saves them, "
                            "or under a \"config\" key); fields left out keep their defaults. "
                            "Without --config or --resume the defaults are used")
    start.add_argument("--resume", metavar="RUN.netsim",
                       help="continue a saved session exactly where it stopped")
    parser.add_argument("--epochs", type=non_negative_int, default=0, metavar="N",
                        help="train N passes over the training set (default 0); a resumed run "
                             "first finishes the epoch it stopped in")
    parser.add_argument("--steps", type=non_negative_int, default=0, metavar="N",
                        help="then train N more mini-batch steps (default 0)")
    parser.add_argument("--seed", type=non_negative_int, metavar="N",
                        help="seed of the network's initial weights and of the shuffling "
                             "(overrides the config's seed; the data keeps its data_seed)")
    parser.add_argument("--export", action="append", default=[], metavar="FILE",
                        help=f"write the trained weights to FILE; the suffix picks the format "
                             f"({formats}); may be given several times")
    parser.add_argument("--save", metavar="RUN.netsim",
                        help="save the session (weights, optimizer, data, history) to resume "
                             "later in the app or with --resume")
    parser.add_argument("--history-csv", metavar="FILE.csv",
                        help="write every recorded metric as a CSV table, one row per step")
    parser.add_argument("--sweep", metavar="FIELD=V1,V2,...",
                        help="train one run per value of a setting (e.g. "
                             "learning_rate=0.01,0.1,1), each for --epochs epochs on the same "
                             "data, and print a table of their final losses and accuracies; "
                             "runs that diverge are reported in the table")
    parser.add_argument("--sweep-csv", metavar="FILE.csv",
                        help="with --sweep: also write the table as CSV")
    parser.add_argument("--target-loss", type=float, metavar="LOSS",
                        help="with --sweep: report the first step at which each run's train "
                             "loss reached LOSS")
    parser.add_argument("--json", action="store_true",
                        help="print the final metrics (or the sweep's rows) as JSON instead of "
                             "a table")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def non_negative_int(text: str) -> int:
    """argparse type: a whole number >= 0, with a message naming what was typed."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    progress = None if args.quiet else Progress(sys.stderr)
    try:
        _check_options(args)
        if args.sweep:
            return _sweep(args, progress)
        trainer = _start(args)
    except (NetsimError, BadInput) as exc:
        print(f"netsim-train: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("\nnetsim-train: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    status = EXIT_OK
    try:
        if not _train(trainer, args.epochs, args.steps, progress):
            status = EXIT_INTERRUPTED
            print(f"\nnetsim-train: interrupted at step {trainer.step_count}"
                  + _outputs_note(args, "as it stopped"), file=sys.stderr)
    except DivergenceError as exc:
        status = EXIT_DIVERGED
        print(f"netsim-train: {str(exc).rstrip('.')}"
              + _outputs_note(args, f"at step {trainer.step_count}, before it diverged"),
              file=sys.stderr)
    trainer.refresh_metrics()                 # the final figures, of the last step
    failed = _write_outputs(trainer, args)
    _print_metrics(trainer, args.json)
    return EXIT_BAD_INPUT if failed and status == EXIT_OK else status


def _outputs_note(args, when: str) -> str:
    outputs = [*args.export, args.save, args.history_csv]
    return f"; the outputs hold the run {when}" if any(outputs) else ""


def _check_options(args):
    """Refuse what cannot work before any training time is spent."""
    if args.sweep:
        single_run = [option for option, given in (
            ("--resume", args.resume), ("--steps", args.steps), ("--export", args.export),
            ("--save", args.save), ("--history-csv", args.history_csv)) if given]
        if single_run:
            raise BadInput(f"{single_run[0]} applies to a single run, not to a sweep")
        if args.epochs < 1:
            raise BadInput("--sweep needs --epochs N (N >= 1): how long to train each run")
    elif args.sweep_csv or args.target_loss is not None:
        raise BadInput("--sweep-csv and --target-loss need --sweep")
    if args.resume and args.seed is not None:
        raise BadInput("--seed cannot change a resumed session (its random state is saved)")
    for path in args.export:
        suffix = Path(path).suffix.lower()
        if suffix not in EXPORT_FORMATS:
            raise BadInput(f"--export {path}: unknown format {suffix or '(no suffix)'}; use one "
                           f"of {', '.join(EXPORT_FORMATS)}")
    for option, path in _outputs(args):
        try:
            check_writable(path)
        except OSError as exc:
            raise BadInput(f"{option} {path}: cannot write there: {exc.strerror}") from None


def _outputs(args) -> list[tuple[str, str]]:
    """(option, path) of every file this run will write."""
    outputs = [("--export", path) for path in args.export]
    outputs += [(option, path) for option, path in (
        ("--save", args.save), ("--history-csv", args.history_csv),
        ("--sweep-csv", args.sweep_csv)) if path]
    return outputs


def _base_config(args) -> Config:
    config = _read_config(args.config) if args.config else Config()
    return config if args.seed is None else config.replace(seed=args.seed)


def _sweep(args, progress) -> int:
    field, values = parse_sweep(args.sweep)
    if progress:
        progress.start(0)
    def report(done, total):
        epoch = round(done / total * args.epochs) if total else args.epochs
        progress.update(done, f"{len(values)} runs of {field}, epoch {epoch}/{args.epochs}",
                        total)
    report = None if progress is None else report
    result = run_sweep(_base_config(args), field, values, args.epochs,
                       target_loss=args.target_loss, progress=report)
    if args.sweep_csv:
        try:
            result.write_csv(args.sweep_csv)
        except OSError as exc:
            raise BadInput(f"{args.sweep_csv}: cannot write ({exc.strerror or exc})") from None
    if args.json:
        print(json.dumps(result.rows))
    else:
        print(_table(result.field, result.rows))
    if all(row["diverged_at"] is not None for row in result.rows):
        print("netsim-train: every run of the sweep diverged: lower the learning rate",
              file=sys.stderr)
        return EXIT_DIVERGED
    return EXIT_OK


def _table(field: str, rows: list[dict]) -> str:
    """The sweep's rows as an aligned plain-text table; "-" where nothing applies."""
    header = [field if key == "value" else key for key in rows[0]]
    return aligned(header, [row.values() for row in rows])


def _start(args) -> Trainer:
    if args.resume:
        return load_session(args.resume)
    return Trainer(_base_config(args))


def _read_config(path) -> Config:
    try:
        return load_config_file(path)
    except OSError as exc:
        raise BadInput(str(exc)) from None


def _train(trainer: Trainer, epochs: int, steps: int, progress) -> bool:
    """Train `epochs` epochs, then `steps` steps; False if Ctrl+C stopped it first (at the end
    of the step under way, so the trainer's state is whole and can be saved)."""
    per_epoch = -(-trainer.n_train // trainer.config.batch_size)
    total = epochs * per_epoch + steps        # a resumed run may finish its first epoch sooner
    start = trainer.step_count
    if progress:
        progress.start(total)
    with _stop_on_interrupt() as stop:
        for epoch in range(epochs):
            first = trainer.epoch
            while trainer.epoch == first and not stop.requested:
                trainer.step(1)
            if stop.requested:
                return False
            if progress:
                progress.update(trainer.step_count - start, _status(trainer))
        for k in range(1, steps + 1):
            trainer.step(1)
            if stop.requested:
                return False
            if progress and k % 50 == 0:
                progress.update(trainer.step_count - start, _status(trainer))
    if progress:
        progress.update(total, _status(trainer), final=True)
    return True


class _stop_on_interrupt:
    """Within the block, Ctrl+C asks to stop (`requested`) instead of raising in the middle
    of a step; a second Ctrl+C interrupts at once."""

    def __init__(self):
        self.requested = False

    def __enter__(self):
        self._previous = signal.getsignal(signal.SIGINT)
        try:
            signal.signal(signal.SIGINT, self._on_interrupt)
        except ValueError:                  # not the main thread: Ctrl+C raises as usual
            self._previous = None
        return self

    def _on_interrupt(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def _status(trainer: Trainer) -> str:
    m = trainer.metrics
    status = f"epoch {trainer.epoch} step {trainer.step_count} train loss {m.train_loss:.4g}"
    if m.test_accuracy is not None:
        status += f" test accuracy {m.test_accuracy:.3f}"
    return status


def _write_outputs(trainer: Trainer, args) -> list[str]:
    """Write every output; one that fails is reported and the others are still written.
    Returns the paths that failed."""
    writers = [(path, export_weights) for path in args.export]
    writers += [(path, writer) for path, writer in ((args.save, save_session),
                                                    (args.history_csv, export_history_csv))
                if path]
    failed = []
    for path, writer in writers:
        try:
            writer(trainer, path)
        except (OSError, NetsimError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            print(f"netsim-train: {path}: cannot write ({reason}); the other outputs are "
                  f"written", file=sys.stderr)
            failed.append(str(path))
    return failed


def _metrics(trainer: Trainer) -> dict:
    m = trainer.metrics
    values = {"step": trainer.step_count, "epoch": trainer.epoch,
              "examples_seen": trainer.examples_seen}
    values.update({name: getattr(m, name) for name in METRICS if getattr(m, name) is not None})
    return values


def _print_metrics(trainer: Trainer, as_json: bool):
    values = _metrics(trainer)
    if as_json:
        print(json.dumps(values))
        return
    width = max(map(len, values))
    for name, value in values.items():
        shown = f"{value:.6g}" if isinstance(value, float) else str(value)
        print(f"{name:<{width}}  {shown}")


if __name__ == "__main__":
    sys.exit(main())
