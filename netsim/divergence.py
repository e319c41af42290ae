"""When a run diverges, and what happens then: the two policies, side by side.

A run of a RunStack diverges when (netsim/run_stack.py finds it, the same way for one run and
for many):
  - its mini-batch loss becomes nan or inf;
  - the norm of one of its weight matrices passes EXPLODED (checked with the per-layer
    statistics, every LAYER_STATS_EVERY steps at most), before anything overflows;
  - every unit of one of its hidden ReLU layers died since the last checkpoint (a too-large
    step pushed them all below zero: nothing before that layer can learn again).

What follows is the stack's policy:
  RollBack  (Trainer, the run a person watches): the weights go back to the last checkpoint
            whose weights were sound, the history after it is forgotten, the person's current
            settings stay, and DivergenceError says what happened and what to try.
  Freeze    (BatchedRuns, a sweep): the run stops where it is, its parameters kept as they were
            when it failed; `diverged[r]` says what happened and the other runs go on.
"""
import numpy as np

from .errors import DivergenceError

CHECKPOINT_EVERY = 64        # steps between checkpoints (and the dead-layer checks)
EXPLODED = 1e8               # a weight matrix this large counts as divergence, before it overflows


class RollBack:
    def diverged(self, trainer, runs: np.ndarray, what: str, failed_at: int,
                 to_checkpoint: int | None = None):
        """Roll back to the last checkpoint whose weights were sound and raise. By default
        that is the newest taken before the current weights (their successors' loss was
        finite); `to_checkpoint` picks one (-1: the last, where a dead layer was alive)."""
        settings = trainer.config
        checkpoints = trainer.checkpoints
        if to_checkpoint is None:
            good = ([c for c in checkpoints if c["step"] < trainer.step_count]
                    or checkpoints[:1])
            trainer.restore(good[-1])
        else:
            trainer.restore(checkpoints[to_checkpoint])
        trainer.apply(settings)           # the person's current settings stay in force
        trainer.history.truncate_after(trainer.step_count)
        lr = settings.learning_rate
        raise DivergenceError(
            f"Training diverged at step {failed_at}: {what}. The weights are back at step "
            f"{trainer.step_count}, before it happened. A learning rate of {lr:g} is too high "
            f"for this network: lower it (try {lr / 10:g}).")

    def after_update(self, stack):
        """Nothing to hold: a diverged run has already been rolled back."""


class Freeze:
    def __init__(self, runs: int):
        self.active = np.ones(runs, dtype=bool)
        self.reasons: list[str | None] = [None] * runs    # what stopped run r
        self.stopped_at: list[int | None] = [None] * runs
        self.frozen: dict[int, np.ndarray] = {}           # run -> its parameters when it stopped

    def diverged(self, stack, runs: np.ndarray, what: str, failed_at: int,
                 to_checkpoint: int | None = None):
        """Stop the active runs flagged in `runs` (runs,) bool, their parameters as they are."""
        for r in np.flatnonzero(runs & self.active):
            self.active[r] = False
            self.reasons[r] = f"training diverged at step {failed_at}: {what}"
            self.stopped_at[r] = failed_at
            self.frozen[int(r)] = stack.network.stack_flat[r].copy()

    def after_update(self, stack):
        """The step moved every row of the stack: put the stopped runs' parameters back."""
        for r, saved in self.frozen.items():
            stack.network.stack_flat[r] = saved
