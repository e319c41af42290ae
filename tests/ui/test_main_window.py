"""The main window as a user drives it: its buttons, panels and menus, through the controller."""
import numpy as np
import pytest

from netsim import Config
from ui.panels import csv_dialog


def output_pixels(window) -> np.ndarray:
    return np.array(window.output_view.image.image, copy=True)


def test_default_window_shows_playground_default_ready_to_train(window):
    config = window.controller.config
    assert (config.dataset, config.layers, config.activation, config.learning_rate) == \
        ("circle", (4, 2), "tanh", 0.03)
    assert window.data_panel.dataset.currentData() == "circle"
    assert window.network_panel.hidden_layers() == (4, 2)
    assert window.training_panel.lr_spin.value() == pytest.approx(0.03)
    assert window.network_panel.output.text() == "Output: sigmoid · loss: binary cross-entropy"
    assert not window.controller.is_running


def test_step_advances_exactly_one_step_and_the_views_change(window):
    before = output_pixels(window)
    window.toolbar.step.trigger()
    assert window.controller.trainer.step_count == 1
    assert "Step 1 " in window.toolbar.counters.text()
    assert window.network_view.snapshot.step == 1
    assert not np.array_equal(before, output_pixels(window))


def test_epoch_trains_to_the_end_of_the_epoch(window):
    window.toolbar.epoch.trigger()
    trainer = window.controller.trainer
    assert trainer.epoch == 1
    assert trainer.step_count == -(-trainer.n_train // trainer.config.batch_size)


def test_with_regularization_the_figures_say_how_much_of_the_train_loss_is_penalty(window):
    window.controller.update_config(regularization="l2", reg_rate=0.01)
    window.toolbar.epoch.trigger()
    m = window.controller.trainer.metrics
    assert m.penalty > 0
    assert f"{m.penalty:.4f} is the regularization penalty" in window.toolbar.losses.toolTip()
    assert f"{m.penalty:.3f} is the regularization penalty" in window.output_view.title.toolTip()


def test_play_then_pause_stops_within_one_frame(window, qtbot):
    controller = window.controller
    window.toolbar.play.trigger()
    qtbot.waitUntil(lambda: controller.trainer.step_count > 20, timeout=5000)
    window.toolbar.play.trigger()
    stopped_at = controller.trainer.step_count
    qtbot.wait(150)
    assert controller.trainer.step_count == stopped_at
    assert not controller.is_running
    assert window.toolbar.play.text().endswith("Play")


def test_space_key_plays_and_pauses(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.toolbar.play.trigger()
    assert window.controller.is_running
    window.toolbar.play.trigger()
    assert not window.controller.is_running
    shortcuts = {a.shortcut().toString() for a in window.toolbar.actions_by_name.values()}
    assert {"Space", "S", "E", "R"} <= shortcuts


def test_changing_the_learning_rate_mid_run_keeps_the_weights(window, qtbot):
    controller = window.controller
    controller.play()
    qtbot.waitUntil(lambda: controller.trainer.step_count > 10, timeout=5000)
    controller.pause()
    weights = [w.copy() for w in controller.trainer.network.weights]
    step = controller.trainer.step_count
    trainer = controller.trainer
    window.training_panel.lr_spin.setValue(0.1)
    assert controller.config.learning_rate == pytest.approx(0.1)
    assert controller.trainer is trainer and trainer.step_count == step
    for kept, now in zip(weights, controller.trainer.network.weights):
        np.testing.assert_array_equal(kept, now)
    assert "applies now" in window.statusBar().currentMessage()


def test_learning_rate_slider_is_logarithmic_and_sets_the_spin_box(window):
    panel = window.training_panel
    panel.lr_slider.setValue(panel.lr_slider.maximum())
    assert window.controller.config.learning_rate == pytest.approx(10.0)
    panel.lr_slider.setValue(0)
    assert window.controller.config.learning_rate == pytest.approx(1e-5)
    assert panel.lr_spin.value() == pytest.approx(1e-5)


@pytest.mark.parametrize("spin, typed, field, value", [
    ("lr_spin", "50", "learning_rate", 50.0),           # past the slider's 10: the engine's 100
    ("batch", "100000", "batch_size", 100000)])
def test_a_typed_value_the_engine_accepts_is_taken_as_typed(window, qtbot, spin, typed, field,
                                                           value):
    from PySide6.QtCore import Qt
    panel = window.training_panel if spin == "lr_spin" else window.data_panel
    box = getattr(panel, spin)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), typed)
    qtbot.keyClick(box.lineEdit(), Qt.Key_Return)
    assert getattr(window.controller.config, field) == value


def test_changing_the_layers_resets_the_network(window):
    window.toolbar.step.trigger()
    old = window.controller.trainer
    window.network_panel.layer_count.setValue(3)
    trainer = window.controller.trainer
    assert trainer is not old and trainer.step_count == 0
    assert trainer.config.layers == (4, 2, 4)
    assert window.network_view.snapshot.sizes == (2, 4, 2, 4, 1)
    assert "resets the network" in window.statusBar().currentMessage()


def test_network_view_plus_minus_buttons_change_the_layers(window):
    window.network_view.layers_changed.emit((6,))
    assert window.controller.config.layers == (6,)
    assert window.network_panel.hidden_layers() == (6,)


def test_editing_a_weight_by_hand_reports_the_new_loss(window):
    window.network_view.weight_edited.emit(0, 1, 2, 1.5)
    assert window.controller.trainer.network.weights[0][1, 2] == 1.5
    message = window.statusBar().currentMessage()
    assert "set to 1.5" in message and "train loss now" in message
    assert "x\u2082 \u2192 H1.3" in message                   # named as hovering names it
    assert window.network_view.snapshot.weights[0][1, 2] == 1.5


def test_editing_a_bias_by_hand_sets_it(window):
    window.network_view.bias_edited.emit(2, 0, -0.25)          # the output's
    assert window.controller.trainer.network.biases[2][0] == -0.25
    assert "Bias of P(" in window.statusBar().currentMessage()


def test_opening_a_broken_csv_shows_an_error_and_keeps_the_old_data(window, tmp_path,
                                                                     monkeypatch, shown_notices):
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b,label\n1,2,x\n3,oops,y\n")
    monkeypatch.setattr(csv_dialog, "ask_csv", lambda parent: {
        "csv_path": str(broken), "target_column": None, "csv_task": "auto"})
    trainer = window.controller.trainer
    window.open_csv_action.trigger()
    assert window.controller.trainer is trainer
    assert window.controller.config.dataset == "circle"
    assert window.data_panel.dataset.currentData() == "circle"
    assert shown_notices and "broken.csv" in shown_notices[-1][1]
    assert "Not changed" in window.statusBar().currentMessage()


def open_csv(window, monkeypatch, path, labels):
    """Write a 40-row CSV whose target column `label` cycles through `labels`, and open it
    through File > Open CSV as a person would (the dialog answered)."""
    rows = "\n".join(f"{i % 7},{(i * 3) % 5},{labels[i % len(labels)]}" for i in range(40))
    path.write_text("width,height,label\n" + rows + "\n")
    monkeypatch.setattr(csv_dialog, "ask_csv", lambda parent: {
        "csv_path": str(path), "target_column": "label", "csv_task": "auto"})
    window.open_csv_action.trigger()


def test_opening_a_good_csv_trains_on_it(window, tmp_path, monkeypatch):
    open_csv(window, monkeypatch, tmp_path / "mine.csv", ("no", "yes"))
    assert window.controller.config.dataset == "csv"
    assert window.data_panel.dataset.currentText() == "mine.csv"
    assert window.controller.trainer.dataset.class_names == ("no", "yes")


def test_a_csv_of_0_1_labels_trains_a_classifier_and_says_so(window, tmp_path, monkeypatch):
    messages = []
    window.controller.status.connect(messages.append)
    open_csv(window, monkeypatch, tmp_path / "labels.csv", (0, 1))
    assert window.controller.trainer.dataset.task == "binary"
    assert window.network_panel.output.text() == "Output: sigmoid \u00b7 loss: binary cross-entropy"
    assert "40 rows, 2 input columns and 2 classes (0, 1)" in messages[-1]


def test_a_csv_of_many_whole_numbers_is_regression_and_says_how_to_make_them_classes(
        window, tmp_path, monkeypatch):
    messages = []
    window.controller.status.connect(messages.append)
    open_csv(window, monkeypatch, tmp_path / "twelve.csv", tuple(range(12)))
    assert window.controller.trainer.dataset.task == "regression"
    assert "12 distinct whole numbers" in messages[-1] and "classification" in messages[-1]


def test_a_diverging_run_shows_a_message_and_leaves_finite_weights(make_window, qtbot,
                                                                   shown_notices):
    window = make_window(Config(learning_rate=10.0, activation="relu"))
    controller = window.controller
    with qtbot.waitSignal(controller.diverged, timeout=10000):
        controller.play()
    assert not controller.is_running
    assert shown_notices[-1][0] == "Training diverged"
    assert "diverged" in window.statusBar().currentMessage()
    for w in controller.trainer.network.weights:
        assert np.isfinite(w).all()


def test_data_change_resets_and_multiclass_output_is_coloured_by_class(window):
    combo = window.data_panel.dataset
    combo.setCurrentIndex(combo.findData("blobs"))
    combo.activated.emit(combo.currentIndex())
    assert window.controller.config.dataset == "blobs"
    assert window.network_view.snapshot.sizes[-1] == 3
    assert window.network_panel.output.text() == "Output: softmax · loss: cross-entropy"
    image = output_pixels(window)
    assert image.shape[2] == 4 and len(np.unique(image.reshape(-1, 4), axis=0)) > 20


def test_data_with_many_columns_shows_a_slice_over_two_chosen_columns(window):
    window.controller.update_config(dataset="iris")
    view = window.output_view
    assert not view.x_axis.isHidden()
    assert (view.x_axis.currentIndex(), view.y_axis.currentIndex()) == (2, 3)
    view.x_axis.setCurrentIndex(0)
    assert window.controller.plane_axes == (0, 3)
    assert tuple(window.network_view.snapshot.plane.axes) == (0, 3)
    assert view.train_points.data["x"].tolist() == \
        window.controller.trainer.dataset.raw_train[:, 0].tolist()


def test_switching_to_many_columns_draws_the_points_over_the_plane_columns(window):
    window.controller.update_config(dataset="iris")          # from circle's (0, 1)
    view, data = window.output_view, window.controller.trainer.dataset
    x_col, y_col = window.controller.plane_axes
    assert (x_col, y_col) == (2, 3)                            # petal length x petal width
    assert view.train_points.data["x"].tolist() == data.raw_train[:, x_col].tolist()
    assert view.train_points.data["y"].tolist() == data.raw_train[:, y_col].tolist()
    x_range = view.plot.getViewBox().viewRange()[0]
    assert x_range[0] <= data.raw_train[:, x_col].min() and \
        x_range[1] >= data.raw_train[:, x_col].max()


def test_the_output_legend_names_each_class_in_its_points_colour(window):
    from ui import colors
    window.controller.update_config(dataset="iris")
    view = window.output_view
    entries = [(sample.item, label.text) for sample, label in view.class_legend.items]
    assert [text for _, text in entries] == ["setosa", "versicolor", "virginica"]
    palette = colors.class_colors(3)
    assert [item.opts["brush"].color().name() for item, _ in entries] == \
        [c.name() for c in palette]
    window.controller.update_config(dataset="wave")          # a regression target: no classes
    assert view.class_legend.items == [] and not view.class_legend.isVisibleTo(view.plot)


def test_the_wave_is_drawn_as_points_and_a_fitted_curve(window):
    window.controller.update_config(dataset="wave")
    view = window.output_view
    assert view.curve.isVisible() and not view.image.isVisible()
    xs, ys = view.curve.getData()
    assert len(xs) == len(window.network_view.snapshot.plane.xs)
    assert view.train_points.data["y"].tolist() == \
        window.controller.trainer.dataset.y_train.tolist()
    x2 = window.data_panel.features["x2"]
    assert not x2.isChecked() and not x2.isEnabled()       # 1-D data has no x2 to use


def test_the_wave_plot_names_its_axes_after_data_with_other_columns(window):
    window.controller.update_config(dataset="iris")
    window.controller.update_config(dataset="wave")
    plot = window.output_view.plot
    assert plot.getAxis("bottom").labelText == "x1"
    assert plot.getAxis("left").labelText == "target"


def test_hovering_a_neuron_shows_its_map_then_the_output_again(window):
    before = output_pixels(window)
    window.network_view.neuron_hovered.emit(1, 0)
    assert window.output_view.title.text() == "Hidden layer 1, neuron 1"
    assert not np.array_equal(before, output_pixels(window))
    window.network_view.neuron_hovered.emit(-1, -1)
    assert window.output_view.title.text().startswith("Output")
    np.testing.assert_array_equal(before, output_pixels(window))


def test_feature_checkboxes_change_the_inputs(window):
    window.data_panel.features["x1^2"].setChecked(True)
    assert window.controller.config.features == ("x1", "x2", "x1^2")
    assert window.network_view.snapshot.sizes[0] == 3


def test_regenerate_draws_new_data(window):
    old = window.controller.trainer.dataset.raw_train.copy()
    window.data_panel.regenerate.click()
    assert window.controller.config.data_seed == 1
    assert not np.array_equal(old, window.controller.trainer.dataset.raw_train)


def test_colour_blind_palette_recolours_the_output(window):
    before = output_pixels(window)
    window.set_palette("colorblind")
    assert not np.array_equal(before, output_pixels(window))


def test_menus_offer_every_action(window):
    assert {"file", "train", "view", "lessons", "help"} <= set(window.menus)
    train = [a.text() for a in window.menus["train"].actions()]
    assert len(train) == 4
    view = [a.text() for a in window.menus["view"].actions()]
    assert "&Reset layout" in view and "Charts" in view and "Output" in view


def test_quit_stays_last_in_the_file_menu(window):
    window.menus["file"].addAction("Added later")
    window._keep_quit_last()
    assert window.menus["file"].actions()[-1] is window.quit_action


def test_layout_is_remembered_between_launches(make_window):
    first = make_window()
    first.resize(700, 500)
    first.docks["Charts"].hide()
    first.close()
    second = make_window()
    assert second.docks["Charts"].isHidden()
    assert second.size() == first.size()
    assert second.settings.fileName() == first.settings.fileName()


def test_reset_layout_shows_every_dock_again(window):
    window.docks["Charts"].hide()
    window.reset_layout()
    assert not window.docks["Charts"].isHidden()


def test_add_dock_lists_the_panel_in_the_view_menu(window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel
    window.add_dock("Lessons", QLabel("lesson"), Qt.RightDockWidgetArea)
    assert "Lessons" in [a.text() for a in window.menus["view"].actions()]


def test_adopting_a_run_shows_its_settings_without_resetting_it(window):
    from netsim import Trainer
    trainer = Trainer(Config(dataset="xor", layers=(5, 3), learning_rate=0.3,
                             optimizer="adam", activation="relu"))
    trainer.step(12)
    window.controller.adopt(trainer)
    assert window.controller.trainer is trainer and trainer.step_count == 12
    assert window.data_panel.dataset.currentData() == "xor"
    assert window.network_panel.hidden_layers() == (5, 3)
    assert window.network_panel.activation.currentData() == "relu"
    assert window.training_panel.optimizer.currentData() == "adam"
    assert window.training_panel.lr_spin.value() == pytest.approx(0.3)


def test_rows_that_do_not_apply_to_real_data_are_hidden(window):
    window.controller.update_config(dataset="wine")
    panel = window.data_panel
    assert not panel.form.isRowVisible(panel.features_grid)
    assert not panel.form.isRowVisible(panel.classes)


def test_speed_slider_goes_from_one_step_per_frame_to_max(window):
    slider = window.toolbar.speed
    slider.setValue(0)
    assert window.controller.steps_per_frame == 1
    assert window.toolbar.speed_label.text() == "1 step/frame"
    slider.setValue(slider.maximum())
    assert window.controller.steps_per_frame is None
    assert window.toolbar.speed_label.text() == "max"


def test_running_shows_steps_per_second(window, qtbot):
    window.controller.play()
    qtbot.waitUntil(lambda: window.toolbar.rate.text().endswith("steps/s"), timeout=5000)
    window.controller.pause()
    assert window.toolbar.rate.text() == ""


def test_the_synthetic_plane_fills_a_square_plot_without_empty_bands(window, qtbot):
    view, data = window.output_view, window.controller.trainer.dataset
    window.resize(1400, 900)
    (x0, x1), (y0, y1) = data.raw_ranges[0], data.raw_ranges[1]

    def fills():
        (vx0, vx1), (vy0, vy1) = view.plot.getViewBox().viewRange()
        spare = 0.03 * (x1 - x0)                           # a few pixels of rounding
        return (abs(vx0 - x0) < spare and abs(vx1 - x1) < spare and
                abs(vy0 - y0) < spare and abs(vy1 - y1) < spare)
    qtbot.waitUntil(fills, timeout=2000)


def test_an_activation_added_to_the_registry_is_offered_by_the_network_panel(qtbot):
    from extension_helpers import softsign_registered
    from ui.panels.network import NetworkPanel
    with softsign_registered():
        panel = NetworkPanel()
        qtbot.addWidget(panel)
        items = {panel.activation.itemData(k): panel.activation.itemText(k)
                 for k in range(panel.activation.count())}
    assert items["softsign"] == "Softsign"


def test_a_picture_taken_right_after_training_shows_this_steps_legend(window, qapp):
    from ui.shell.main import settle_for_picture
    from ui.throttle import Throttle
    controller = window.controller
    settle_for_picture(qapp, window)             # a first legend, written at once
    for throttle in window.findChildren(Throttle):
        throttle.flush()                         # just written: the next write must wait
        throttle._interval = 60.0                # (a slow machine: it waits a long time)
    controller.train_now(2000)
    settle_for_picture(qapp, window)
    snapshot = window.network_view.snapshot
    largest = max(float(abs(a).max()) for a in snapshot.weights + snapshot.biases)
    assert window.network_view.legend.lines()[1] == f"+{largest:.3g}"
