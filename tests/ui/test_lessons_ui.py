"""The Lessons menu and side panel, driven as a person would."""
import dataclasses
import json

import pytest

from netsim import Config
from netsim.lessons import load_lessons
from ui.panels.lessons_panel import LessonsPanel, bundled_lessons, install_lessons, setup_summary
from ui.panels.sweep_panel import install_compare

BUNDLED = load_lessons()


@pytest.fixture
def lesson_window(window):
    _pins, sweep_panel = install_compare(window)
    panel = install_lessons(window, sweep_panel)
    return window, panel, sweep_panel


def by_name(panel, key):
    (lesson,) = [l for l in panel.lessons if key in l.name]
    return lesson


def test_lessons_menu_lists_every_bundled_lesson_then_open_file(lesson_window):
    window, panel, _ = lesson_window
    texts = [a.text() for a in window.menus["lessons"].actions() if not a.isSeparator()]
    assert len(texts) == len(BUNDLED) + 1
    assert texts[0] == f"&1. {BUNDLED[0].title}"
    assert texts[-1] == "&Open lesson file…"


def test_choosing_a_lesson_from_the_menu_sets_up_its_run_paused_at_step_zero(lesson_window):
    window, panel, _ = lesson_window
    zero = by_name(panel, "zero_init")
    action = [a for a in window.menus["lessons"].actions() if zero.title in a.text()][0]
    action.trigger()
    controller = window.controller
    assert controller.config == zero.config
    assert controller.trainer.step_count == 0 and not controller.is_running
    assert window.network_panel.hidden_layers() == (4,)
    assert panel.title.text() == zero.title
    assert zero.watch[:30] in panel.body.toPlainText()
    assert zero.try_next[:30] in panel.body.toPlainText()


def test_start_trains_the_lesson_for_its_steps_then_pauses(lesson_window, qtbot):
    window, panel, _ = lesson_window
    lesson = by_name(panel, "too_small")
    panel.choose(lesson)
    window.controller.trainer.step(7)
    panel.start_button.click()
    assert window.controller.is_running
    qtbot.waitUntil(lambda: not window.controller.is_running, timeout=20000)
    assert window.controller.trainer.step_count == lesson.steps          # not a frame later
    assert f"Paused at step {lesson.steps}" in panel.status.text()


@pytest.mark.parametrize("lesson", BUNDLED, ids=[l.name for l in BUNDLED])
def test_every_bundled_lesson_opens_in_the_app(lesson_window, lesson):
    window, panel, _ = lesson_window
    assert panel.choose(lesson), panel.status.text()
    assert window.controller.config == lesson.config
    assert panel.title.text() == lesson.title


def test_a_lesson_the_app_cannot_show_leaves_the_panel_and_the_run_as_they_were(
        lesson_window):
    window, panel, _ = lesson_window
    first = BUNDLED[0]
    panel.choose(first)
    window.controller.trainer.step(5)
    too_deep = dataclasses.replace(first, config=first.config.replace(layers=(4,) * 12),
                                   title="Too deep")
    assert not panel.choose(too_deep)
    assert panel.title.text() == first.title and panel.lesson is first
    assert window.controller.trainer.step_count == 5
    assert "cannot start" in panel.status.text() and "netsim-train" in panel.status.text()


def test_lesson_brings_its_chart_forward(lesson_window):
    window, panel, _ = lesson_window
    panel.choose(by_name(panel, "vanishing"))
    assert window.charts.currentWidget() is window.charts.grad_norms
    panel.choose(by_name(panel, "l1_sparsity"))
    assert window.charts.currentWidget() is window.charts.histogram


def test_compare_button_follows_whether_the_lesson_declares_a_sweep(lesson_window):
    _, panel, _ = lesson_window
    panel.choose(by_name(panel, "overfitting"))
    assert not panel.compare_button.isEnabled()
    panel.choose(by_name(panel, "optimizers"))
    assert panel.compare_button.isEnabled()


def test_compare_runs_the_lessons_sweep_side_by_side(lesson_window, qtbot):
    window, panel, sweep_panel = lesson_window
    lesson = by_name(panel, "zero_init")
    panel.choose(lesson)
    panel.compare_button.click()
    assert sweep_panel.is_running
    qtbot.waitUntil(lambda: sweep_panel.result is not None, timeout=30000)
    assert [row["value"] for row in sweep_panel.result.rows] == list(lesson.sweep.values)
    group = sweep_panel.sweep.groups[0]
    assert lesson.steps <= group.step_count < lesson.steps + group.steps_per_epoch


def test_next_lesson_moves_along_the_list(lesson_window):
    _, panel, _ = lesson_window
    panel.choose(panel.lessons[0])
    panel.next_button.click()
    assert panel.lesson is panel.lessons[1]


def test_a_teachers_lesson_file_opens_and_joins_the_menu(lesson_window, tmp_path):
    window, panel, _ = lesson_window
    path = tmp_path / "gauss.json"
    path.write_text(json.dumps({
        "schema_version": 1, "title": "Two clouds", "text": "A straight line separates them.",
        "watch": "The single hidden unit's line.", "try_next": "Add noise.",
        "config": {"dataset": "gaussian", "layers": [1]}}), encoding="utf-8")
    assert panel.open_file(path)
    assert window.controller.config == Config(dataset="gaussian", layers=(1,))
    assert any("Two clouds" in a.text() for a in window.menus["lessons"].actions())


def test_a_bad_lesson_file_is_refused_and_the_run_is_kept(lesson_window, tmp_path):
    window, panel, _ = lesson_window
    before = window.controller.config
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": 1, "title": "x"', encoding="utf-8")
    assert not panel.open_file(path)
    assert "broken.json" in panel.status.text() and "not valid JSON" in panel.status.text()
    assert window.controller.config == before


def test_panel_reports_bundled_files_that_fail_to_load(window, tmp_path, qtbot):
    (tmp_path / "01_bad.json").write_text("[]", encoding="utf-8")
    lessons, errors = bundled_lessons(tmp_path)
    panel = LessonsPanel(window.controller, lessons)
    qtbot.addWidget(panel)
    assert lessons == [] and "01_bad.json" in errors[0]


def test_setup_summary_names_the_settings_that_matter():
    summary = setup_summary(by_name_in(BUNDLED, "l2_regularization"))
    assert "circle" in summary and "l2 0.03" in summary and "40 points" in summary


def by_name_in(lessons, key):
    (lesson,) = [l for l in lessons if key in l.name]
    return lesson
