"""The two divergence policies side by side: the same run, the same failure found at the same
step, then RollBack (Trainer) puts the weights back at the last sound checkpoint and raises,
while Freeze (BatchedRuns) stops the run where it failed and lets the others go on."""
import numpy as np
import pytest

from netsim import Config, DivergenceError, Trainer
from netsim.batched import BatchedRuns
from netsim.divergence import CHECKPOINT_EVERY
from netsim.snapshot import take_snapshot

# each way a run diverges, and a run that does
FAILURES = {
    "loss": (Config(dataset="plane", n_samples=120, layers=(4,), activation="linear",
                    learning_rate=0.5), "the loss became inf"),
    "exploded": (Config(dataset="plane", n_samples=120, layers=(4,), learning_rate=1.0),
                 "the weights of layer 1 grew"),
    "dead_layer": (Config(dataset="circle", layers=(8, 8), activation="relu",
                          learning_rate=10.0), "every unit of hidden layer 2 died"),
}


@pytest.mark.parametrize("kind", list(FAILURES))
def test_both_policies_find_the_same_failure_at_the_same_step(kind):
    config, what = FAILURES[kind]
    trainer = Trainer(config)
    with pytest.raises(DivergenceError, match=what) as caught:
        trainer.step(500)
    batch = BatchedRuns([config], trainer.dataset)
    batch.step(500)
    assert what in batch.diverged[0]
    assert f"diverged at step {batch.diverged_at[0]}:" in str(caught.value)


@pytest.mark.parametrize("kind", list(FAILURES))
def test_roll_back_returns_to_the_last_sound_checkpoint(kind):
    config, _ = FAILURES[kind]
    trainer = Trainer(config)
    saved = {}                                # the state at each checkpoint on the way
    with pytest.raises(DivergenceError):
        for _ in range(500):
            if trainer.step_count % CHECKPOINT_EVERY == 0:
                saved[trainer.step_count] = trainer.capture(with_history=False)
            trainer.step()
    assert trainer.step_count in saved
    for mine, then in zip(trainer.network.weights, saved[trainer.step_count]["weights"]):
        np.testing.assert_array_equal(mine, then)
    assert all(np.isfinite(w).all() for w in trainer.network.weights)
    for name in ("batch_loss", "train_loss"):          # the history forgets what was undone
        assert (trainer.history[name].data()[0] <= trainer.step_count).all()


@pytest.mark.parametrize("kind", list(FAILURES))
def test_freeze_keeps_the_failed_run_where_it_stopped_and_trains_the_others(kind):
    config, _ = FAILURES[kind]
    sound = config.replace(learning_rate=0.001)
    batch = BatchedRuns([config, sound])
    batch.step(500)
    assert batch.active.tolist() == [False, True]
    stopped = batch.run_weights(0)
    batch.step(20)
    for before, after in zip(stopped[0] + stopped[1],
                             batch.run_weights(0)[0] + batch.run_weights(0)[1]):
        np.testing.assert_array_equal(before, after)
    assert batch.step_count == 520 and batch.diverged[1] is None


OVERFLOWING = [dict(dataset="plane", activation="linear"),
               dict(dataset="blobs", activation="elu", dtype="float32"),
               dict(dataset="plane", activation="sigmoid"),
               dict(dataset="circle", activation="gelu", dtype="float32"),
               dict(dataset="plane", activation="silu", dtype="float32")]


@pytest.mark.parametrize("fields", OVERFLOWING, ids=lambda f: "-".join(f.values()))
def test_a_diverging_run_says_so_without_numpy_warnings(fields, recwarn):
    config = Config(layers=(6, 6), learning_rate=20.0, n_samples=120, **fields)
    trainer = Trainer(config)
    with pytest.raises(DivergenceError):
        trainer.step(300)
    take_snapshot(trainer, 20)
    batch = BatchedRuns([config, config.replace(learning_rate=0.01)])
    batch.step(300)
    batch.refresh_metrics()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
