"""Learning-rate schedules, as torch.optim.lr_scheduler computes them, advanced once per epoch
(torch's default: scheduler.step() after each epoch). Each is one entry: the factor the
learning rate is multiplied by after `epochs` epochs of the schedule, and its formula.

  constant     1
  step         gamma ^ floor(t / step_size)                                (StepLR)
  exponential  gamma ^ t                                                   (ExponentialLR)
  cosine       eta_min / lr + (1 - eta_min / lr) (1 + cos(pi t / T_max)) / 2
                                                                           (CosineAnnealingLR)
with an optional linear warm-up first (LinearLR(start_factor, total_iters) followed by the
schedule, as SequentialLR(milestones=[total_iters]) chains them): for t < total_iters the
factor is start_factor + (1 - start_factor) t / total_iters, and the schedule's own t counts
from the warm-up's end. The cosine repeats after T_max as torch's does: it rises back to the
rate over the next T_max epochs.

`learning_rate(config, t)` is the rate of the t-th epoch (0-based) since the schedule began.
"""
import math

from .registry import Registry

SCHEDULES = Registry("schedule")
SCHEDULE_FIELDS = ("schedule", "step_size", "gamma", "T_max", "eta_min", "total_iters",
                   "start_factor")
"""Config fields that define a schedule: changing one starts the schedule anew."""


class Schedule:
    name = ""
    formula = ""                    # as a person reads it, t counting epochs
    fields: tuple = ()              # the Config fields it reads (besides the learning rate)

    def factor(self, config, t: int) -> float:
        """The learning rate's multiplier in epoch t of the schedule (after any warm-up)."""
        raise NotImplementedError


@SCHEDULES.register("constant")
class Constant(Schedule):
    formula = "lr"

    def factor(self, config, t): return 1.0


@SCHEDULES.register("step")
class Step(Schedule):
    formula = "lr * gamma ^ floor(t / step_size)"
    fields = ("step_size", "gamma")

    def factor(self, config, t): return config.gamma ** (t // config.step_size)


@SCHEDULES.register("exponential")
class Exponential(Schedule):
    formula = "lr * gamma ^ t"
    fields = ("gamma",)

    def factor(self, config, t): return config.gamma ** t


@SCHEDULES.register("cosine")
class Cosine(Schedule):
    formula = "eta_min + (lr - eta_min) * (1 + cos(pi * t / T_max)) / 2"
    fields = ("T_max", "eta_min")

    def factor(self, config, t):
        floor = config.eta_min / config.learning_rate
        return floor + (1.0 - floor) * (1.0 + math.cos(math.pi * t / config.T_max)) / 2.0


WARM_UP_FIELDS = ("total_iters", "start_factor")
WARM_UP_FORMULA = "lr * (start_factor + (1 - start_factor) * t / total_iters), t < total_iters"


def learning_rate(config, t: int) -> float:
    """The learning rate of epoch t (0-based) of `config`'s schedule, warm-up included."""
    warm_up = config.total_iters
    if t < warm_up:
        share = config.start_factor + (1.0 - config.start_factor) * t / warm_up
        return config.learning_rate * share
    return config.learning_rate * SCHEDULES[config.schedule].factor(config, t - warm_up)
