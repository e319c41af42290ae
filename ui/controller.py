"""TrainingController: the one place where the UI meets the engine.

It owns the running `Trainer`, trains it in slices of about 10 ms from a QTimer (ui/runner.py,
so the event loop never waits longer than that) and tells the views what to draw through
signals carrying plain values (Snapshot, history arrays). Views, panels and the File menu never
call the trainer: they call the methods here (play, step, set_config, set_weight,
save_session, export_weights, start_sweep...).

Signals:
  snapshot_ready(Snapshot)   at most ~30 times a second while training, and after every change
  history_ready(dict)        name -> (steps, values) arrays of trainer.history, ~5 times a second
  data_changed(Dataset)      the trainer was replaced (reset, new data, adopt): points to draw
  config_changed(Config)     the settings in force, after every change and after a refused one
                             (panels show it with their signals blocked)
  running_changed(bool)      play / pause
  rate_changed(float)        measured training steps per second
  status(str)                what just happened, for the status bar
  error(str)                 a refused input (bad value, bad file); the previous state stays
  diverged(str)              training diverged and paused; the weights are already rolled back
"""
import hashlib
import time

from PySide6.QtCore import QObject, Signal

from netsim import Config, DivergenceError, NetsimError, Trainer
from netsim.config import FIELDS
from netsim.datasets import CSV
from netsim.io import export_history_csv, export_weights, import_weights
from netsim.session import load_session, save_session
from netsim.snapshot import take_snapshot
from netsim.sweep import Sweep, parse_sweep
from ui.limits import check_drawable
from ui.neuron_names import neuron_names
from ui.runner import SLICE_S, Runner
from ui.status_texts import describe_change, describe_data

FRAME_S = 1 / 30           # at most this many snapshots per second while training
FULL_SPEED_FRAME_S = 1 / 25  # at full speed: 25 frames a second, training has the rest
HISTORY_S = 0.2            # history arrays for the charts ~5 times a second: an axis relabels
                           # at every update, and curves moving 5 times a second read as live
RATE_WINDOW_S = 0.5        # steps/s is measured over windows this long
PLANE_RESOLUTION = 48      # points per side of the maps over the input plane
DRAW_SHARE = 0.5           # at full speed, drawing takes at most about this share of the time
SLOWEST_FRAME_S = 1 / 15   # ... but the picture is redrawn at least this often


def read_session(path) -> Trainer:
    """The run saved at `path`, if the app can show it: FileFormatError or OSError for a bad
    file, ConfigError for a network larger than the app draws."""
    trainer = load_session(path)
    check_drawable(trainer.config.layers)
    return trainer

class TrainingController(QObject):
    snapshot_ready = Signal(object)
    history_ready = Signal(object)
    data_changed = Signal(object)
    config_changed = Signal(object)
    running_changed = Signal(bool)
    rate_changed = Signal(float)
    status = Signal(str)
    error = Signal(str)
    diverged = Signal(str)

    def __init__(self, config: Config | None = None, parent=None):
        super().__init__(parent)
        config = config or Config()
        check_drawable(config.layers)
        self._trainer = Trainer(config)
        self._plane_axes = None                 # raw columns on the output plane; None: default
        self._steps_per_frame: int | None = None  # None: as fast as the machine goes
        self._last_frame = self._last_history = 0.0
        self._frame_interval = FULL_SPEED_FRAME_S   # adapts to what a frame costs to draw
        self._publish_cost = 0.0                # seconds the views took to take the last frame
        self._paint_cost = 0.0                  # seconds of repainting since the last frame
        self._rate_start, self._rate_steps = time.perf_counter(), 0
        self._stop_step: int | None = None      # play(until=...): pause exactly at this step
        self._runner = Runner(self._on_tick, self)
        self._apply_speed()

    # ---- state ----------------------------------------------------------------------------

    @property
    def trainer(self) -> Trainer:
        """The run itself, for tests and scripts that look inside; the UI calls the methods
        here instead."""
        return self._trainer

    @property
    def config(self) -> Config:
        return self._trainer.config

    @property
    def dataset(self):
        """The run's data set (its points, columns and classes, for the views and panels)."""
        return self._trainer.dataset

    @property
    def step_count(self) -> int:
        return self._trainer.step_count

    @property
    def is_running(self) -> bool:
        return self._runner.is_running

    @property
    def steps_per_frame(self) -> int | None:
        return self._steps_per_frame

    @property
    def frame_interval(self) -> float:
        """Seconds between frames at full speed: 1/25 when drawing is cheap, up to 1/15."""
        return self._frame_interval

    @property
    def plane_axes(self):
        return self._plane_axes or self._trainer.dataset.plane_axes

    # ---- training -------------------------------------------------------------------------

    def play(self, until: int | None = None):
        """Train until paused, or until step `until` exactly (a lesson's steps)."""
        self._stop_step = until
        if self.is_running:
            return
        self._rate_start, self._rate_steps = time.perf_counter(), 0
        self._runner.start()
        self.running_changed.emit(True)

    def pause(self):
        """Stops at once: no step runs after this returns."""
        self._stop_step = None
        if not self.is_running:
            return
        self._runner.stop()
        self.running_changed.emit(False)
        self.rate_changed.emit(0.0)
        self._trainer.refresh_metrics()          # the figures shown while paused are current
        self.publish()

    def toggle(self):
        if self.is_running:
            self.pause()
        else:
            self.play()

    def step(self):
        """One mini-batch update."""
        self._train(lambda: self._trainer.step(1))
        self._trainer.refresh_metrics()          # a single step shows its effect on the loss
        self.publish()

    def epoch(self):
        """Train to the end of the current epoch."""
        self._train(self._trainer.run_epoch)
        self._trainer.refresh_metrics()
        self.publish()

    def train_now(self, steps: int):
        """Train `steps` steps in one go, outside the timer (the command line's --steps, before
        the window shows), then show the result. DivergenceError passes on to the caller, the
        weights rolled back and shown."""
        try:
            self._trainer.step(steps)
        finally:
            self._trainer.refresh_metrics()      # the figures shown are those of the last step
            self.publish()

    def reset(self):
        """A fresh network from the current settings (the same seed gives the same start)."""
        self._replace(Trainer(self.config, self._trainer.dataset))
        self.status.emit("Reset: the network starts again from its initial weights.")

    def set_speed(self, steps_per_frame: int | None):
        """Steps per frame (30 frames a second), or None to train as fast as possible."""
        self._steps_per_frame = steps_per_frame
        self._apply_speed()

    def _apply_speed(self):
        # at full speed the timer fires again as soon as events are processed
        self._runner.set_interval(0 if self._steps_per_frame is None else FRAME_S)

    def _on_tick(self):
        now = time.perf_counter()
        history_due = now - self._last_history >= HISTORY_S
        if self._steps_per_frame is not None:          # one tick per frame: its steps, then draw
            if self._train_slice(now + SLICE_S, self._steps_per_frame):
                self._trainer.refresh_metrics()  # watched at a chosen pace: this step's figures
                self.publish(history=history_due)
        elif now - self._last_frame >= self._frame_interval:
            # drawing gets ticks of its own, so that training and drawing never add up to
            # one long wait of the event loop; the charts' turn comes apart from the frame's
            self.publish(history=False)
        elif history_due:
            self.publish_history()
        else:           # a slice ends in time for the next frame
            self._train_slice(min(now + SLICE_S, self._last_frame + self._frame_interval))

    def _train_slice(self, deadline: float, at_most: int | None = None) -> bool:
        """Train until the deadline (or `at_most` steps); False if training stopped: it
        diverged, or reached the step play() was asked to stop at."""
        trainer = self._trainer
        start_step = trainer.step_count
        if self._stop_step is not None:
            left = max(self._stop_step - start_step, 0)
            at_most = left if at_most is None else min(at_most, left)
        try:
            self._runner.run_slice(trainer, deadline, at_most)
        except DivergenceError as exc:
            self._on_diverged(str(exc))
            return False
        except Exception:
            self.pause()              # an unexpected error must not repeat on every tick
            raise
        self._count_rate(trainer.step_count - start_step)
        if self._stop_step is not None and trainer.step_count >= self._stop_step:
            self.pause()                  # the step asked for: its figures show at once
            return False
        return True

    def _count_rate(self, steps: int):
        self._rate_steps += steps
        elapsed = time.perf_counter() - self._rate_start
        if elapsed >= RATE_WINDOW_S:
            self.rate_changed.emit(self._rate_steps / elapsed)
            self._rate_start, self._rate_steps = time.perf_counter(), 0

    def _train(self, work) -> bool:
        try:
            work()
        except DivergenceError as exc:
            self._on_diverged(str(exc))
            return False
        return True

    def _on_diverged(self, message: str):
        self.pause()
        self.status.emit(message)
        self.diverged.emit(message)
        self.publish()

    # ---- settings -------------------------------------------------------------------------

    def update_config(self, **changes) -> bool:
        """Change some settings by name; see set_config."""
        try:
            config = self.config
            if "layers" in changes:           # per-layer settings follow the new layers
                config = config.with_layers(changes.pop("layers"))
            config = config.replace(**changes)
        except NetsimError as exc:
            return self._refuse(str(exc))
        return self.set_config(config)

    def set_config(self, config: Config) -> bool:
        """Live settings apply now; others build a new trainer. On a bad value or file the
        previous run stays, `error` says why, and config_changed re-sends the settings in force."""
        old = self.config
        if config == old:
            return True
        try:
            if old.needs_reset(config):
                self._replace(Trainer(config, self._reusable_data(old, config)))
            else:
                self._trainer.apply(config)
                self.config_changed.emit(config)
                self.publish()
        except NetsimError as exc:
            return self._refuse(str(exc))
        message = describe_change(old, config)
        if config.dataset == CSV and (old.dataset, old.csv_path) != (CSV, config.csv_path):
            message += " " + describe_data(self._trainer.dataset)
        self.status.emit(message)
        return True

    def _reusable_data(self, old: Config, new: Config):
        """The current data set when no data setting changed (a new network on the same data)."""
        data_changed = any(FIELDS[n].group == "data" for n in old.differing_fields(new))
        return None if data_changed else self._trainer.dataset

    def _refuse(self, message: str) -> bool:
        self.error.emit(message)
        self.status.emit(f"Not changed: {message}")
        self.config_changed.emit(self.config)
        return False

    def start_run(self, config: Config):
        """A fresh run from `config`, whatever runs now (a lesson sets up its run afresh).
        NetsimError, with the run as it was, if the settings or their data are refused."""
        self.adopt(Trainer(config))

    def adopt(self, trainer: Trainer):
        """Make a ready trainer (an opened session, a lesson) the run; panels follow its config."""
        self._replace(trainer)
        self.status.emit(f"Loaded a run at step {trainer.step_count} (epoch {trainer.epoch}).")

    def _replace(self, trainer: Trainer):
        check_drawable(trainer.config.layers)      # ConfigError: the run stays as it was
        if trainer.dataset.raw_names != self._trainer.dataset.raw_names:
            self._plane_axes = None
        self._trainer = trainer
        self.data_changed.emit(trainer.dataset)
        self.config_changed.emit(trainer.config)
        self.publish()

    def set_plane_axes(self, axes: tuple[int, int]):
        """The two raw columns the output view shows (others held at their training mean)."""
        try:
            take_snapshot(self._trainer, 2, axes)          # validates the pair
        except NetsimError as exc:
            self._refuse(str(exc))
            return
        self._plane_axes = tuple(axes)
        self.publish(history=False)

    # ---- hand edits -----------------------------------------------------------------------

    def set_weight(self, l: int, i: int, j: int, value: float):
        self._edit(lambda: self._trainer.set_weight(l, i, j, value),
                   f"Weight {self._name(l, i)} \u2192 {self._name(l + 1, j)} set to {value:g}")

    def set_bias(self, l: int, j: int, value: float):
        self._edit(lambda: self._trainer.set_bias(l, j, value),
                   f"Bias of {self._name(l + 1, j)} set to {value:g}")

    def _name(self, layer: int, j: int) -> str:
        """What the network view calls neuron j of layer (0: inputs), as hovering shows it."""
        ds, sizes = self._trainer.dataset, self._trainer.network.sizes
        names = neuron_names(tuple(sizes), tuple(ds.feature_names), tuple(ds.class_names),
                             ds.task)
        if 0 <= layer < len(names) and 0 <= j < len(names[layer]):
            return names[layer][j]
        return f"neuron {j + 1} of layer {layer}"

    def _edit(self, work, what: str):
        try:
            work()
        except (NetsimError, ValueError, IndexError) as exc:
            self._refuse(f"{what.split(' set to')[0]} cannot be set: {exc}")
            return
        m = self._trainer.metrics
        self.status.emit(f"{what}; train loss now {m.train_loss:.4g}, test loss {m.test_loss:.4g}.")
        self.publish()

    # ---- files ----------------------------------------------------------------------------
    # NetsimError or OSError, with the run as it was, for a file that cannot be read or written

    def open_session(self, path):
        """Make the run saved at `path` the run (paused)."""
        trainer = read_session(path)
        self.pause()
        self.adopt(trainer)

    def save_session(self, path):
        """Everything needed to go on training exactly here (netsim.session)."""
        save_session(self._trainer, path)

    def export_weights(self, path):
        """The network in the format the suffix of `path` names (netsim.io's EXPORT_FORMATS)."""
        export_weights(self._trainer, path)

    def import_weights(self, path):
        """Weights from a file, into a network of the same layers; shown at once."""
        import_weights(self._trainer, path)
        self.publish()

    def export_history(self, path):
        """Every series of the run's history as a CSV table."""
        export_history_csv(self._trainer, path)

    def run_state(self) -> tuple:
        """What identifies the run as it is now: which run, its step, its weights (hand edits
        change weights without a step). Equal states need no new autosave."""
        digest = hashlib.blake2b(digest_size=16)
        for array in self._trainer.network.parameters:
            digest.update(array.tobytes())
        return id(self._trainer), self._trainer.step_count, digest.digest()

    # ---- sweeps ---------------------------------------------------------------------------

    def start_sweep(self, field: str, values_text: str, epochs: int,
                    base_config: Config | None = None) -> Sweep:
        """Runs, one per value ("0.01, 0.1") of a setting, to train together beside the live
        run: from `base_config` on its own data, or by default from the live run's settings on
        its data. The caller advances it (a Runner). NetsimError for values that are refused."""
        _, values = parse_sweep(f"{field}={values_text}")
        dataset = self._trainer.dataset if base_config is None else None
        return Sweep(base_config or self.config, field, values, epochs, dataset=dataset)

    # ---- output ---------------------------------------------------------------------------

    def publish(self, history: bool = True):
        """Send a snapshot of the run now (and the history arrays, unless history=False)."""
        start = self._last_frame = time.perf_counter()     # frames are paced start to start
        self._adapt_frame_interval(self._publish_cost + self._paint_cost)
        self.snapshot_ready.emit(take_snapshot(self._trainer, PLANE_RESOLUTION, self._plane_axes))
        if history:
            self.publish_history()
        self._publish_cost, self._paint_cost = time.perf_counter() - start, 0.0

    def publish_history(self):
        """Send the history arrays for the charts now."""
        self._last_history = time.perf_counter()
        self.history_ready.emit(self.history_arrays())

    def note_paint_cost(self, seconds: float):
        """The window reports each repaint's duration; a frame costs its publish plus the
        repaints that follow it."""
        self._paint_cost += seconds

    def _adapt_frame_interval(self, frame_cost: float):
        """At full speed frames come as often as keeps drawing to about DRAW_SHARE of the
        time, between FULL_SPEED_FRAME_S and SLOWEST_FRAME_S apart (smoothed)."""
        wanted = min(max(FULL_SPEED_FRAME_S, frame_cost / DRAW_SHARE), SLOWEST_FRAME_S)
        self._frame_interval = 0.8 * self._frame_interval + 0.2 * wanted

    def history_arrays(self) -> dict:
        """name -> (steps, values) copies of every series of the run's history."""
        series = self._trainer.history.series
        return {name: s.data() for name, s in series.items()}
