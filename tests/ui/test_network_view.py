"""The network view: every weight visible, readable on hover and editable in place."""
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from netsim import Config, Trainer
from netsim.snapshot import take_snapshot
from ui.limits import MAX_HIDDEN_LAYERS, MAX_NEURONS
from ui.network.items import ControlButton
from ui.network.network_view import NetworkView
from ui.network.weight_editor import format_value

from network_view_helpers import make_view

RESOLUTION = 16       # small neuron maps keep the tests fast


@pytest.fixture
def trainer():
    t = Trainer(Config(dataset="circle", layers=(4, 2), n_samples=200))
    t.step(20)
    return t


@pytest.fixture
def view(qtbot, trainer):
    return make_view(qtbot, trainer, RESOLUTION, size=(1000, 700))


def show(view, trainer):
    view.show_snapshot(take_snapshot(trainer, RESOLUTION))


def view_point(view, scene_point) -> QPoint:
    return view.mapFromScene(scene_point)


def button(view, tooltip) -> ControlButton:
    matches = [i for i in view.scene().items()
               if isinstance(i, ControlButton) and i.toolTip() == tooltip]
    assert len(matches) == 1, tooltip
    return matches[0]


def click_button(view, tooltip):
    item = button(view, tooltip)
    centre = item.mapToScene(item.boundingRect().center())
    QTest.mouseClick(view.viewport(), Qt.LeftButton, pos=view_point(view, centre))


# ---- reading weights ------------------------------------------------------------------------

def test_hovering_an_edge_shows_names_weight_gradient_and_last_update(view, trainer):
    QTest.mouseMove(view.viewport(), view_point(view, view.edge_pick_point(0, 1, 2)))
    w = trainer.network.weights[0][1, 2]
    text = view.hover_text
    assert "x\u2082 \u2192 H1.3" in text
    assert format_value(w) in text
    assert format_value(trainer.last_gradients[0][0][1, 2]) in text
    assert format_value(trainer.last_updates[0][0][1, 2]) in text
    assert view.info.isVisible() and view.info.text() == text


def test_hit_test_finds_every_edge_at_its_pick_point(view):
    sizes = view.snapshot.sizes
    for l in range(len(sizes) - 1):
        for i in range(sizes[l]):
            for j in range(sizes[l + 1]):
                assert view.hit_test(view.edge_pick_point(l, i, j)) == ("edge", l, i, j)


def test_hovering_a_neuron_emits_its_layer_and_index_and_leaving_emits_minus_one(view, qtbot):
    with qtbot.waitSignal(view.neuron_hovered) as entered:
        QTest.mouseMove(view.viewport(), view_point(view, view.neuron_position(1, 2)))
    assert entered.args == [1, 2]
    with qtbot.waitSignal(view.neuron_hovered) as left:
        QTest.mouseMove(view.viewport(), QPoint(3, 3))
    assert left.args == [-1, -1]


def test_inputs_are_named_by_feature_and_the_output_by_class(view):
    labels = {item.text for item in view.scene().items() if hasattr(item, "text")
              and isinstance(getattr(item, "text"), str)}
    assert {"x\u2081", "x\u2082", "P(1)"} <= labels


def test_layer_summary_shows_norm_mean_and_near_zero_fraction(view, trainer):
    summary = take_snapshot(trainer, 0).layers[1]
    text = view.summary_text(1)
    assert f"{summary.weight_norm:.3g}" in text
    assert f"{summary.mean_abs_weight:.3g}" in text
    assert f"{summary.near_zero_fraction:.0%} near 0" in text


def test_layer_summaries_keep_three_digits_so_they_line_up(view, trainer):
    trainer.set_weight(2, 0, 0, 2.0)
    trainer.set_weight(2, 1, 0, 0.0)            # norm 2, mean |w| 1, half of them zero
    show(view, trainer)
    text = view.summary_text(2)
    assert "\u2016W\u2016 2.00" in text and "mean |w| 1.00" in text and "50% near 0" in text


# ---- drawing weights ------------------------------------------------------------------------

def test_edge_width_grows_with_abs_weight_and_colour_follows_sign(view, trainer):
    values = [-2.0, -1.0, -0.3, 0.3, 1.0, 2.0]
    for j, value in enumerate(values[:4]):
        trainer.set_weight(0, 0, j, value)
    trainer.set_weight(0, 1, 0, values[4])
    trainer.set_weight(0, 1, 1, values[5])
    show(view, trainer)
    edges = [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 3), (0, 1, 0), (0, 1, 1)]
    pens = {v: view.edge_pen(*e) for v, e in zip(values, edges)}
    for small, large in ((0.3, 1.0), (1.0, 2.0)):
        assert pens[small].widthF() < pens[large].widthF()
        assert pens[-small].widthF() < pens[-large].widthF()
        assert pens[small].widthF() == pens[-small].widthF()
    for value, pen in pens.items():
        colour = pen.color()
        if value > 0:
            assert colour.blue() > colour.red(), value
        else:
            assert colour.red() > colour.blue(), value


def test_near_zero_weight_is_drawn_dashed(view, trainer):
    trainer.set_weight(1, 0, 0, 0.001)
    show(view, trainer)
    assert view.edge_pen(1, 0, 0).dashPattern()           # dash, gap, ...
    assert view.edge_pen(1, 0, 1).style() == Qt.SolidLine


def test_large_weight_is_haloed(view, trainer):
    trainer.set_weight(1, 2, 1, 6.0)
    show(view, trainer)
    assert view.edge_is_haloed(1, 2, 1)
    assert not view.edge_is_haloed(1, 2, 0)


def test_fixed_scale_keeps_a_weight_the_same_width_when_others_grow(view, trainer):
    trainer.set_weight(0, 0, 0, 1.0)
    view.set_fixed_scale(True)
    show(view, trainer)
    before = view.edge_pen(0, 0, 0).widthF()
    trainer.set_weight(2, 0, 0, 10.0)
    show(view, trainer)
    assert view.edge_pen(0, 0, 0).widthF() == before
    view.set_fixed_scale(False)
    assert view.edge_pen(0, 0, 0).widthF() < before


def test_legend_says_what_a_pixel_of_width_means_in_either_scale_mode(view, trainer, qtbot):
    trainer.set_weight(1, 0, 0, 3.0)                 # the largest weight: the widest edge
    show(view, trainer)
    qtbot.waitUntil(lambda: view.legend.lines()[:2] == ["\u22123", "+3"])
    widest_px = view.edge_pen(1, 0, 0).widthF() * view.transform().m11()
    words = view.legend.lines()[2]
    per_px = float(words.split("1 px = ")[1].split()[0])
    assert "auto" in words and per_px == pytest.approx(3.0 / widest_px, rel=0.2)
    view.set_fixed_scale(True)
    qtbot.waitUntil(lambda: "fixed scale" in view.legend.lines()[2])
    assert view.legend.lines()[:2] == ["\u22124", "+4"]


def test_rising_layer_norm_turns_its_summary_red(view, trainer):
    weights = trainer.network.weights[1]
    for step_gap in range(3):
        trainer.step(10)
        weights *= 1.3          # in place: the network's own array
        show(view, trainer)
    assert "\u25b2" in view.summary_text(1)
    assert "\u25b2" not in view.summary_text(0)


def test_input_thumbnails_run_orange_to_blue_along_their_axis(view):
    x1 = view.neuron_item(0, 0).image()
    middle_row = x1.height() // 2
    left = QColor(x1.pixel(0, middle_row))
    right = QColor(x1.pixel(x1.width() - 1, middle_row))
    assert left.red() > left.blue() and right.blue() > right.red()
    x2 = view.neuron_item(0, 1).image()
    middle_column = x2.width() // 2
    top = QColor(x2.pixel(middle_column, 0))
    bottom = QColor(x2.pixel(middle_column, x2.height() - 1))
    assert top.blue() > top.red() and bottom.red() > bottom.blue()


def test_dead_relu_unit_is_marked_and_described(qtbot):
    trainer = Trainer(Config(dataset="circle", layers=(3,), activation="relu", n_samples=200))
    for i in range(2):
        trainer.set_weight(0, i, 0, 0.0)
    trainer.set_bias(0, 0, -5.0)              # z = -5 for every example: the unit never fires
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.show_snapshot(take_snapshot(trainer, RESOLUTION))
    assert view.neuron_item(1, 0).dead
    assert not view.neuron_item(1, 1).dead
    view.hover_at(view.neuron_position(1, 0))
    assert "dead" in view.hover_text


# ---- editing weights ------------------------------------------------------------------------

def test_clicking_an_edge_and_typing_a_value_changes_exactly_that_weight(view, trainer, qtbot):
    view.weight_edited.connect(trainer.set_weight)
    before = [w.copy() for w in trainer.network.weights]
    click_at = view_point(view, view.edge_pick_point(1, 2, 0))
    QTest.mouseClick(view.viewport(), Qt.LeftButton, pos=click_at)
    assert view.editor.isVisible()
    view.editor.line.setText("0.75")
    with qtbot.waitSignal(view.weight_edited) as edited:
        QTest.keyClick(view.editor.line, Qt.Key_Return)
    assert edited.args == [1, 2, 0, 0.75]
    expected = [w.copy() for w in before]
    expected[1][2, 0] = 0.75
    for got, want in zip(trainer.network.weights, expected):
        np.testing.assert_array_equal(got, want)
    assert not view.editor.isVisible()


def test_the_output_bias_is_editable(view, trainer, qtbot):
    view.bias_edited.connect(trainer.set_bias)
    last = len(trainer.network.biases) - 1
    click_at = view_point(view, view.bias_position(last, 0))
    QTest.mouseClick(view.viewport(), Qt.LeftButton, pos=click_at)
    assert view.editor.isVisible()
    with qtbot.waitSignal(view.bias_edited) as edited:
        view.editor.submit("-0.3")
    assert edited.args == [last, 0, -0.3]
    assert trainer.network.biases[last][0] == -0.3


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "", "1e400", "2e7"])
def test_invalid_text_changes_nothing_and_says_why(view, trainer, qtbot, text):
    before = [w.copy() for w in trainer.network.weights]
    emitted = []
    view.weight_edited.connect(lambda *args: emitted.append(args))
    view.begin_edit(("edge", 0, 0, 0))
    assert not view.editor.submit(text)
    assert emitted == []
    assert view.editor.isVisible()
    assert view.editor.message.isVisible() and view.editor.message.text()
    for got, want in zip(trainer.network.weights, before):
        np.testing.assert_array_equal(got, want)


def test_escape_closes_the_editor_without_a_change(view, qtbot):
    emitted = []
    view.weight_edited.connect(lambda *args: emitted.append(args))
    view.begin_edit(("edge", 0, 1, 1))
    view.editor.line.setText("3")
    QTest.keyClick(view.editor.line, Qt.Key_Escape)
    assert not view.editor.isVisible() and emitted == []


def test_editor_starts_with_the_current_value(view, trainer):
    view.begin_edit(("bias", 0, 2))
    assert view.editor.line.text() == format_value(trainer.network.biases[0][2])


def test_an_open_editor_follows_training_until_the_person_types(view, trainer, qtbot):
    view.begin_edit(("edge", 0, 1, 2))
    trainer.step(50)
    show(view, trainer)
    assert view.editor.line.text() == format_value(trainer.network.weights[0][1, 2])
    qtbot.keyClicks(view.editor.line, "0.5")
    trainer.step(50)
    show(view, trainer)
    assert view.editor.line.text() == "0.5"


# ---- changing the architecture --------------------------------------------------------------

@pytest.mark.parametrize("tooltip, expected", [
    ("Add a hidden layer", (4, 2, 2)),
    ("Remove a hidden layer", (4,)),
    ("Add a neuron of hidden layer 1", (5, 2)),
    ("Remove a neuron of hidden layer 2", (4, 1)),
])
def test_plus_and_minus_emit_the_new_hidden_widths(view, qtbot, tooltip, expected):
    with qtbot.waitSignal(view.layers_changed) as changed:
        click_button(view, tooltip)
    assert changed.args == [expected]


def test_limits_disable_the_buttons(qtbot):
    widest_then_narrow = (MAX_NEURONS,) + (1,) * (MAX_HIDDEN_LAYERS - 1)
    trainer = Trainer(Config(dataset="circle", layers=widest_then_narrow, n_samples=100))
    view = NetworkView()
    qtbot.addWidget(view)
    view.show_snapshot(take_snapshot(trainer, 0))
    assert not button(view, "Add a hidden layer").enabled
    assert not button(view, "Add a neuron of hidden layer 1").enabled
    assert not button(view, "Remove a neuron of hidden layer 2").enabled
    emitted = []
    view.layers_changed.connect(emitted.append)
    click_button(view, "Add a hidden layer")
    assert emitted == []


def test_a_network_without_hidden_layers_can_get_one(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.show_snapshot(take_snapshot(Trainer(Config(layers=(), n_samples=100)), RESOLUTION))
    assert not button(view, "Remove a hidden layer").enabled
    with qtbot.waitSignal(view.layers_changed) as changed:
        click_button(view, "Add a hidden layer")
    assert changed.args == [(4,)]


def test_items_are_built_once_per_architecture(view, trainer):
    edges = view.edge_layer
    trainer.step(5)
    show(view, trainer)
    assert view.edge_layer is edges
    view.show_snapshot(take_snapshot(Trainer(Config(layers=(3,), n_samples=100)), RESOLUTION))
    assert view.edge_layer is not edges


def test_switching_to_the_colour_blind_palette_recolours_edges_and_thumbnails(view, trainer):
    from ui import colors
    before = view.edge_pen(0, 0, 0).color()
    try:
        colors.set_palette("colorblind")
        show(view, trainer)
        assert view.edge_pen(0, 0, 0).color() != before
    finally:
        colors.set_palette("playground")


def test_shift_wheel_over_an_edge_nudges_that_weight(view, trainer, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    view.weight_edited.connect(trainer.set_weight)
    before = trainer.network.weights[0][1, 3]
    point = QPointF(view_point(view, view.edge_pick_point(0, 1, 3)))
    wheel = QWheelEvent(point, QPointF(view.viewport().mapToGlobal(point.toPoint())), QPoint(0, 0),
                        QPoint(0, 120), Qt.NoButton, Qt.ShiftModifier, Qt.NoScrollPhase, False)
    with qtbot.waitSignal(view.weight_edited) as edited:
        view.wheelEvent(wheel)
    assert edited.args[:3] == [0, 1, 3]
    assert trainer.network.weights[0][1, 3] == pytest.approx(before + 0.05)


def cross(a, b) -> float:
    return float(a[0] * b[1] - a[1] * b[0])


def test_weights_written_on_edges_run_along_their_own_edge_and_never_overlap(view, trainer):
    from PySide6.QtCore import QPointF
    from ui.network.layout import NEURON_SIZE
    sizes = trainer.network.sizes
    edges = [(l, i, j) for l in range(len(sizes) - 1) for i in range(sizes[l])
             for j in range(sizes[l + 1])]
    labels = view.written_edge_values()
    assert len(labels) >= len(edges) * 2 // 3
    for k, outline in labels.items():
        l, i, j = edges[k]
        start = view.mapFromScene(view.neuron_position(l, i) + QPointF(NEURON_SIZE / 2, 0))
        end = view.mapFromScene(view.neuron_position(l + 1, j) - QPointF(NEURON_SIZE / 2, 0))
        along = np.array([end.x() - start.x(), end.y() - start.y()], float)
        along /= np.linalg.norm(along)
        side = np.array([outline[1].x() - outline[0].x(), outline[1].y() - outline[0].y()])
        assert abs(cross(along, side / np.linalg.norm(side))) < 0.02        # parallel
        centre = outline.boundingRect().center()
        offset = np.array([centre.x() - start.x(), centre.y() - start.y()])
        assert abs(cross(along, offset)) < 1.5                               # on the edge
    polygons = list(labels.values())
    assert not any(a.intersects(b) for n, a in enumerate(polygons) for b in polygons[n + 1:])


def test_a_near_zero_weight_is_not_written_by_its_faint_edge(view, trainer, qtbot):
    flat = trainer.network.weights[0].size              # weights[1][0, 0] in flat order
    qtbot.waitUntil(lambda: flat in view.written_edge_values())
    trainer.set_weight(1, 0, 0, 0.0004)
    show(view, trainer)
    qtbot.waitUntil(lambda: view.edge_value_texts()[flat] == format_value(0.0004))
    assert flat not in view.written_edge_values() and view.written_edge_values()


def test_small_network_writes_every_weight_on_its_edge(view, trainer):
    flat = np.concatenate([w.ravel() for w in trainer.network.weights])
    assert view.edge_value_texts() == [format_value(w) for w in flat]
    view.set_show_values(False)
    assert view.edge_value_texts() == []

