"""Every bundled lesson loads and shows what its text claims; bad lesson files are refused with
messages that name the file and the key."""
import json

import numpy as np
import pytest

from netsim import Config, ConfigError, DivergenceError, FileFormatError, Trainer
from netsim.lessons import CHARTS, PRESETS_DIR, load_lesson, load_lessons
from netsim.sweep import Sweep

LESSONS = {lesson.name: lesson for lesson in load_lessons()}


def lesson(key: str):
    """The bundled lesson whose file name contains `key`."""
    (match,) = [l for name, l in LESSONS.items() if key in name]
    return match


def trained(key: str, steps: int | None = None, **changes) -> Trainer:
    chosen = lesson(key)
    trainer = Trainer(chosen.config.replace(**changes))
    trainer.step(chosen.steps if steps is None else steps)
    return trainer


def weights_near_zero(trainer: Trainer, limit: float = 0.01) -> float:
    w = np.concatenate([x.ravel() for x in trainer.network.weights])
    return float((np.abs(w) < limit).mean())


# ---- the bundled lessons ----------------------------------------------------------------------

def test_bundled_lessons_cover_the_curriculum():
    keys = ("xor_2_3_1", "too_small", "about_right", "too_large", "zero_init", "deep_relu",
            "deep_tanh", "vanishing", "overfitting", "l2", "l1", "optimizers")
    for key in keys:
        assert lesson(key).title


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_every_preset_has_a_schema_version_and_complete_texts(name):
    data = json.loads((PRESETS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    chosen = LESSONS[name]
    assert all(len(t) > 40 for t in (chosen.text, chosen.watch, chosen.try_next))
    assert chosen.chart in CHARTS


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_every_preset_trains_a_few_steps(name):
    trainer = Trainer(LESSONS[name].config)
    try:
        trainer.step(5)
    except DivergenceError:
        assert "too_large" in name
    assert trainer.step_count <= 5


def test_xor_lesson_network_is_2_3_1_and_learns_xor():
    trainer = trained("xor_2_3_1")
    assert trainer.network.sizes == [2, 3, 1]
    assert trainer.evaluate().test_accuracy >= 0.9


def test_xor_lesson_seed_1_sits_on_a_plateau_that_seed_2_skips():
    stuck, quick = trained("xor", steps=300, seed=1), trained("xor", steps=300, seed=2)
    assert stuck.evaluate().train_loss > 0.6 and quick.evaluate().train_loss < 0.3


def test_overfitting_lesson_counts_its_parameters_right():
    network = Trainer(lesson("overfitting").config).network
    assert sum(w.size for w in network.weights) == 384
    assert sum(b.size for b in network.biases) == 33


def test_too_small_learning_rate_leaves_the_loss_high_where_about_right_gets_low():
    slow = trained("too_small").evaluate().train_loss
    right = trained("about_right", steps=lesson("too_small").steps).evaluate().train_loss
    assert right < slow / 5


def test_too_large_learning_rate_trips_the_divergence_guard():
    trainer = Trainer(lesson("too_large").config)
    with pytest.raises(DivergenceError, match="learning rate"):
        trainer.step(lesson("too_large").steps)
    assert all(np.isfinite(w).all() for w in trainer.network.weights)


def test_too_large_learning_rate_shows_step_by_step_what_its_lesson_says_to_watch():
    trainer = Trainer(lesson("too_large").config)
    losses, largest = [], []
    with pytest.raises(DivergenceError, match="back at step 0"):
        for _ in range(30):
            trainer.step(1)
            losses.append(trainer.history["batch_loss"].last())
            largest.append(max(np.abs(w).max() for w in trainer.network.weights))
    assert max(losses[:5]) > 10 * losses[0]                 # the loss jumps tenfold ...
    assert largest[0] < 3 and max(largest) > 1000           # ... |w| from about 2 to thousands
    assert 10 <= len(losses) <= 20                          # stopped around step 16


def test_zero_init_keeps_hidden_units_identical():
    trainer = trained("zero_init", steps=100)
    w_in, w_out = trainer.network.weights
    assert np.abs(w_in).max() > 0                       # the weights did move ...
    np.testing.assert_array_equal(w_in, w_in[:, :1].repeat(w_in.shape[1], axis=1))
    np.testing.assert_array_equal(w_out, w_out[:1].repeat(w_out.shape[0], axis=0))
    b = trainer.network.biases[0]
    np.testing.assert_array_equal(b, np.full_like(b, b[0]))   # ... but in lockstep


def test_he_init_trains_a_deep_relu_net_faster_than_xavier_whose_gradients_start_smaller():
    he, xavier = trained("deep_relu", init="he_normal"), trained("deep_relu", init="xavier_uniform")
    assert he.evaluate().train_loss < 0.75 * xavier.evaluate().train_loss
    first_he = trained("deep_relu", steps=1, init="he_normal").last_gradients[0]
    first_xavier = trained("deep_relu", steps=1, init="xavier_uniform").last_gradients[0]
    ratios = [np.linalg.norm(h) / np.linalg.norm(x) for h, x in zip(first_he, first_xavier)]
    assert min(ratios) > 3 and ratios[-1] > 30


def test_xavier_keeps_the_deep_relu_signal_weaker_than_he_at_the_start():
    def last_hidden_spread(init):
        trainer = Trainer(lesson("deep_relu").config.replace(init=init))
        return trainer.network.forward_all(trainer.X_train)[1][-2].std()
    assert last_hidden_spread("he_normal") > 10 * last_hidden_spread("xavier_uniform")


def test_xavier_trains_a_deep_tanh_net_better_than_he():
    xavier, he = trained("deep_tanh", init="xavier_uniform"), trained("deep_tanh", init="he_normal")
    assert xavier.evaluate().train_loss < 0.5 * he.evaluate().train_loss


def test_deep_sigmoid_first_layer_gradient_is_orders_of_magnitude_below_the_last():
    trainer = trained("vanishing")
    grads = trainer.last_gradients[0]
    first, last = np.linalg.norm(grads[0]), np.linalg.norm(grads[-1])
    assert first < last / 20
    history = trainer.history
    n = len(trainer.network.weights)
    assert history["grad_norm[0]"].last() < history[f"grad_norm[{n - 1}]"].last() / 20


def test_overfitting_preset_test_loss_rises_while_train_loss_falls():
    trainer = trained("overfitting")
    m = trainer.evaluate()
    assert m.test_loss > m.train_loss + 0.5
    test_losses = trainer.history["test_loss"].data()[1]
    train_losses = trainer.history["train_loss"].data()[1]
    assert test_losses[-1] > 1.5 * test_losses.min()
    assert train_losses[-1] < 0.5 * train_losses[0]


def test_l2_preset_narrows_the_gap_between_test_and_train_loss():
    overfit = trained("overfitting").evaluate()
    cured = trained("l2").evaluate()
    without_penalty = lesson("l2").config.replace(regularization="none", reg_rate=0.0)
    assert without_penalty == lesson("overfitting").config
    assert cured.test_loss - cured.train_loss < 0.5 * (overfit.test_loss - overfit.train_loss)
    assert cured.test_loss < overfit.test_loss


def test_l1_preset_ends_with_most_weights_near_zero():
    trainer = trained("l1")
    assert weights_near_zero(trainer) > 0.6
    assert trainer.evaluate().test_accuracy > 0.9
    assert weights_near_zero(trained("l1", regularization="none")) < 0.2


def test_adam_and_momentum_beat_sgd_in_the_optimizer_lesson():
    losses = {opt: trained("optimizers", optimizer=opt).evaluate().train_loss
              for opt in ("sgd", "momentum", "adam")}
    assert losses["adam"] < losses["momentum"] < losses["sgd"]


def test_lesson_sweep_values_are_valid_and_differ_from_each_other():
    for chosen in LESSONS.values():
        if chosen.sweep is not None:
            sweep = Sweep(chosen.config, chosen.sweep.field, chosen.sweep.values, epochs=1)
            assert sweep.n_runs == len(set(chosen.sweep.values)) >= 2


# ---- teachers' own files ------------------------------------------------------------------

def write(tmp_path, data, name="mine.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def minimal(**changes):
    data = {"schema_version": 1, "title": "Mine", "text": "What it shows.",
            "watch": "Where to look.", "try_next": "What to change.",
            "config": {"dataset": "xor", "layers": [3]}}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_minimal_lesson_takes_defaults_for_everything_else(tmp_path):
    loaded = load_lesson(write(tmp_path, minimal()))
    assert loaded.config == Config(dataset="xor", layers=(3,))
    assert (loaded.steps, loaded.chart, loaded.sweep, loaded.name) == (500, "loss", None, "mine")


def test_lesson_round_trips_through_its_dict(tmp_path):
    original = lesson("optimizers")
    again = load_lesson(write(tmp_path, original.to_dict(), "again.json"))
    assert (again.config, again.sweep, again.steps, again.text) == (
        original.config, original.sweep, original.steps, original.text)


def test_lessons_of_a_directory_load_in_file_name_order(tmp_path):
    write(tmp_path, minimal(title="B"), "02_b.json")
    write(tmp_path, minimal(title="A"), "01_a.json")
    assert [l.title for l in load_lessons(tmp_path)] == ["A", "B"]


@pytest.mark.parametrize("data, message", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    (minimal(title=None), "lacks the key 'title'"),
    (minimal(colour="red"), "unknown key 'colour'"),
    (minimal(schema_version=2), "schema_version 2"),
    (minimal(steps="many"), "'steps' must be a whole number"),
    (minimal(steps=0), "'steps' must be from 1"),
    (minimal(chart="pie"), "'chart' must be one of"),
    (minimal(text="  "), "'text' is empty"),
    (minimal(sweep={"field": "init"}), "'sweep' must be"),
])
def test_malformed_lesson_raises_file_format_error_naming_the_file(tmp_path, data, message):
    with pytest.raises(FileFormatError, match=message) as info:
        load_lesson(write(tmp_path, data))
    assert "mine.json" in str(info.value)


@pytest.mark.parametrize("data, message", [
    (minimal(config={"learning_rate": -1}), "learning_rate must be > 0"),
    (minimal(config={"activation": "swish2"}), "activation must be one of"),
    (minimal(config={"colour": 1}), "unknown config key 'colour'"),
    (minimal(sweep={"field": "init", "values": ["zeros", "bogus"]}), "init must be one of"),
    (minimal(sweep={"field": "layers", "values": [[2], [3]]}), "layers is a list"),
])
def test_bad_setting_in_a_lesson_raises_config_error_naming_file_and_setting(tmp_path, data,
                                                                             message):
    with pytest.raises(ConfigError, match=message) as info:
        load_lesson(write(tmp_path, data))
    assert "mine.json" in str(info.value)


def test_unreadable_lesson_file_is_a_file_format_error(tmp_path):
    with pytest.raises(FileFormatError, match="cannot read lesson"):
        load_lesson(tmp_path / "missing.json")


# ---- files made to crash the reader ---------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    (json.dumps(minimal())[:-1] + ', "config": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "JSON nested 100001 levels deep; NetSim reads up to 32"),
    (json.dumps(minimal(steps=1)).replace('"steps": 1', '"steps": ' + "9" * 5000),
     "a number of 5000 characters"),
    (json.dumps(minimal(config={"seed": 1})).replace('"seed": 1', '"seed": ' + "9" * 5000),
     "a number of 5000 characters"),
], ids=["nested", "digits_steps", "digits_config"])
def test_lesson_nested_too_deep_or_with_too_long_a_number_is_refused(tmp_path, text, message):
    with pytest.raises(FileFormatError, match=message) as info:
        load_lesson(write(tmp_path, text))
    assert "mine.json" in str(info.value)


@pytest.mark.parametrize("sweep, message", [
    ({"field": ["init"], "values": ["zeros", "he_normal"]}, "'sweep' must be"),
    ({"field": "seed", "values": list(range(100_000))}, "the sweep lists 100000 values; a lesson "
                                                        "compares up to 16 runs"),
], ids=["field_list", "values"])
def test_lesson_sweep_of_the_wrong_shape_is_refused(tmp_path, sweep, message):
    with pytest.raises(FileFormatError, match=message):
        load_lesson(write(tmp_path, minimal(sweep=sweep)))


def test_lesson_that_is_a_device_is_refused_unread(tmp_path):
    path = tmp_path / "mine.json"
    path.symlink_to("/dev/zero")
    with pytest.raises(FileFormatError, match="is a device, not a lesson"):
        load_lesson(path)


def test_dropout_preset_narrows_the_gap_as_l2_does_without_a_penalty():
    overfit = trained("overfitting").evaluate()
    dropped = trained("dropout").evaluate()
    l2 = trained("l2").evaluate()
    assert lesson("dropout").config.replace(dropout=0.0) == lesson("overfitting").config
    assert dropped.penalty == 0.0
    assert dropped.test_loss - dropped.train_loss < 0.2 * (overfit.test_loss - overfit.train_loss)
    assert dropped.test_loss < l2.test_loss < overfit.test_loss
