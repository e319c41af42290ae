"""Learning-rate schedules give torch.optim.lr_scheduler's rate at every epoch (references
written by torch itself: tests/references/make_torch_references.py), with and without a
linear warm-up, and apply live in a Trainer, per epoch."""
import json
from pathlib import Path

import pytest

from netsim import Config, ConfigError, Trainer
from netsim.schedules import SCHEDULES, learning_rate

REFERENCES = json.loads((Path(__file__).parent / "references" / "torch_schedules.json")
                        .read_text())


def test_every_schedule_has_torch_references():
    assert {case["config"]["schedule"] for case in REFERENCES["cases"]} == set(SCHEDULES)


@pytest.mark.parametrize("case", REFERENCES["cases"],
                         ids=lambda c: c["config"]["schedule"]
                         + ("+warm-up" if "total_iters" in c["config"] else ""))
def test_the_rate_of_every_epoch_is_torchs(case):
    config = Config(**case["config"])
    ours = [learning_rate(config, t) for t in range(REFERENCES["epochs"])]
    assert ours == pytest.approx(case["rates"], rel=1e-12, abs=1e-15)
