"""TrainingController: time slices, speed, settings that apply live or reset, adopt, errors."""
import numpy as np
import pytest

from netsim import Config, Trainer
from ui.controller import TrainingController
from ui.status_texts import describe_change


@pytest.fixture
def controller(qtbot):
    return TrainingController(Config())


def test_step_emits_one_snapshot_of_the_next_step(controller, qtbot):
    with qtbot.waitSignal(controller.snapshot_ready) as blocker:
        controller.step()
    assert blocker.args[0].step == 1


def test_history_arrays_carry_the_series_of_the_run(controller):
    controller.epoch()
    arrays = controller.history_arrays()
    steps, values = arrays["train_loss"]
    assert len(steps) == len(values) == 2          # at step 0 and after the epoch
    assert "weight_norm[0]" in arrays


def test_speed_of_one_step_per_frame_runs_few_steps(controller, qtbot):
    controller.set_speed(1)
    controller.play()
    qtbot.wait(300)
    controller.pause()
    assert 1 <= controller.trainer.step_count <= 12    # ~30 frames a second


def test_at_a_chosen_pace_every_frame_shows_the_loss_of_its_own_step(controller, qtbot):
    frames = []
    controller.snapshot_ready.connect(frames.append)
    controller.set_speed(1)
    controller.play()
    qtbot.waitUntil(lambda: len(frames) >= 3, timeout=2000)
    controller.pause()
    for snapshot in frames[:3]:                # steps 1, 2, 3: none ends an epoch
        assert snapshot.metrics.train_loss != frames[0].metrics.train_loss or \
            snapshot is frames[0]
    steps, _ = controller.history_arrays()["test_loss"]
    assert 1 in steps.tolist() and 2 in steps.tolist()


def test_full_speed_trains_many_steps_per_frame(controller, qtbot):
    controller.set_speed(None)
    controller.play()
    qtbot.wait(300)
    controller.pause()
    assert controller.trainer.step_count > 40


def test_pause_stops_at_once(controller, qtbot):
    controller.play()
    qtbot.waitUntil(lambda: controller.trainer.step_count > 0)
    controller.pause()
    steps = controller.trainer.step_count
    qtbot.wait(100)
    assert controller.trainer.step_count == steps


def test_a_live_change_keeps_the_trainer(controller):
    trainer = controller.trainer
    assert controller.update_config(optimizer="adam", regularization="l2", reg_rate=0.01)
    assert controller.trainer is trainer and trainer.config.optimizer == "adam"


def test_a_network_change_reuses_the_data(controller):
    data = controller.trainer.dataset
    controller.update_config(activation="relu")
    assert controller.trainer.dataset is data and controller.config.activation == "relu"


def test_a_bad_value_is_refused_and_the_settings_in_force_are_resent(controller, qtbot):
    trainer = controller.trainer
    with qtbot.waitSignals([controller.error, controller.config_changed]) as blockers:
        assert not controller.update_config(learning_rate=-1.0)
    assert controller.trainer is trainer and controller.config.learning_rate == 0.03


def test_unknown_data_set_is_refused(controller, qtbot):
    with qtbot.waitSignal(controller.error) as blocker:
        controller.update_config(dataset="no_such_data")
    assert "no_such_data" in blocker.args[0]
    assert controller.config.dataset == "circle"


def test_adopt_takes_a_ready_trainer_and_announces_its_config(controller, qtbot):
    trainer = Trainer(Config(dataset="xor", layers=(3,), learning_rate=0.1))
    trainer.step(7)
    with qtbot.waitSignal(controller.config_changed) as blocker:
        controller.adopt(trainer)
    assert controller.trainer is trainer and trainer.step_count == 7
    assert blocker.args[0].dataset == "xor"


def test_reset_starts_again_from_the_same_initial_weights(controller):
    first = [w.copy() for w in controller.trainer.network.weights]
    controller.epoch()
    controller.reset()
    assert controller.trainer.step_count == 0
    for a, b in zip(first, controller.trainer.network.weights):
        np.testing.assert_array_equal(a, b)


def test_an_edit_out_of_range_is_refused(controller, qtbot):
    with qtbot.waitSignal(controller.error):
        controller.set_weight(5, 0, 0, 1.0)


def test_plane_axes_of_another_data_set_are_refused(controller, qtbot):
    with qtbot.waitSignal(controller.error):
        controller.set_plane_axes((0, 7))
    assert controller.plane_axes == (0, 1)


def test_describe_change_says_what_applies_now_and_what_resets():
    old = Config()
    assert describe_change(old, old.replace(learning_rate=0.1)) == \
        "Learning rate 0.1: applies now, the weights are kept."
    assert describe_change(old, old.replace(layers=(3,))) == \
        "Changing the hidden layers resets the network."


def test_costly_drawing_spaces_frames_out_but_never_below_15_per_second(controller):
    from ui.controller import FULL_SPEED_FRAME_S, SLOWEST_FRAME_S
    assert controller.frame_interval == pytest.approx(FULL_SPEED_FRAME_S)
    for _ in range(40):
        controller.note_paint_cost(0.5)
        controller.publish(history=False)
    assert controller.frame_interval == pytest.approx(SLOWEST_FRAME_S, rel=0.01)
    for _ in range(40):
        controller.note_paint_cost(0.0)
        controller.publish(history=False)
    assert controller.frame_interval < 2 * FULL_SPEED_FRAME_S


def test_train_now_trains_and_shows_the_steps(controller, qtbot):
    with qtbot.waitSignal(controller.snapshot_ready) as blocker:
        controller.train_now(25)
    assert controller.step_count == 25 and blocker.args[0].step == 25


def test_train_now_shows_the_rolled_back_run_when_it_diverges(qtbot):
    from netsim import DivergenceError
    controller = TrainingController(Config(activation="relu", learning_rate=10.0))
    frames = []
    controller.snapshot_ready.connect(frames.append)
    with pytest.raises(DivergenceError):
        controller.train_now(2000)
    assert frames and np.all([np.isfinite(w).all() for w in frames[-1].weights])


def test_a_saved_session_opens_where_it_was(controller, tmp_path):
    controller.train_now(30)
    saved = controller.run_state()
    controller.save_session(tmp_path / "run.netsim")
    controller.reset()
    assert controller.step_count == 0
    controller.open_session(tmp_path / "run.netsim")
    assert controller.step_count == 30 and controller.run_state()[1:] == saved[1:]


def test_imported_weights_replace_the_run_s_and_are_shown(controller, tmp_path, qtbot):
    controller.export_weights(tmp_path / "net.npz")
    exported = controller.run_state()[2]
    controller.set_weight(0, 0, 0, 2.5)
    assert controller.run_state()[2] != exported
    with qtbot.waitSignal(controller.snapshot_ready):
        controller.import_weights(tmp_path / "net.npz")
    assert controller.run_state()[2] == exported


def test_a_sweep_starts_from_the_live_run_s_settings_and_data(controller):
    controller.update_config(learning_rate=0.2)
    sweep = controller.start_sweep("seed", "1, 2", epochs=3)
    assert sweep.n_runs == 2 and sweep.dataset is controller.dataset
    assert sweep.epochs == 3 and sweep.labels[0].endswith("1")


def test_a_lesson_s_run_starts_afresh_from_its_settings(controller):
    controller.train_now(10)
    controller.start_run(Config(dataset="xor", layers=(3,)))
    assert controller.step_count == 0 and controller.config.dataset == "xor"
