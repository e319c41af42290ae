"""The view's pure parts: layout geometry, edge styling, value parsing, norm watching."""
import numpy as np
import pytest

from ui.network.edge_layer import MIN_WIDTH, edge_style, edge_widths
from ui.network.layout import layout_network
from ui.network.norm_watch import NormWatch, is_rising
from ui.network.weight_editor import parse_value


def test_layout_orders_edges_like_the_flattened_weights():
    layout = layout_network((2, 3, 1))
    seg = layout.segments[0][1 * 3 + 2]       # weights[0][1, 2]
    assert np.allclose(seg[[0, 1]], layout.centres[0][1] + [20, 0])
    assert np.allclose(seg[[2, 3]], layout.centres[1][2] - [20, 0])


def test_a_point_inside_a_neuron_is_not_an_edge():
    layout = layout_network((2, 3, 1))
    x, y = layout.centres[1][0]
    assert layout.nearest_edge(x, y, 10.0) is None
    assert layout.neuron_at(x, y) == (1, 0)


def test_edge_widths_are_monotonic_and_bounded():
    w = np.linspace(0, 5, 50)
    widths = edge_widths(w, 2.0, 8.0)
    assert np.all(np.diff(widths) >= 0)
    assert widths.min() == MIN_WIDTH and widths.max() == 8.0


def test_edges_are_grouped_into_few_pens():
    weights = np.random.default_rng(0).normal(size=8000)
    style = edge_style(weights, float(np.abs(weights).max()), 4.0, 256)
    assert len(style.keys) < 200
    assert sorted(style.order.tolist()) == list(range(8000))


@pytest.mark.parametrize("text, value", [("0.5", 0.5), (" -1.25 ", -1.25), ("\u22122", -2.0),
                                         ("3,5", 3.5), ("1e-3", 0.001)])
def test_parse_value_accepts_numbers_as_people_type_them(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text, reason", [("abc", "not a number"), ("nan", "finite"),
                                          ("-inf", "finite"), ("", "Type a number"),
                                          ("5e6", "too large")])
def test_parse_value_rejects_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_value(text)


def test_norm_watch_flags_fast_growth_and_forgets_on_reset():
    watch = NormWatch()
    assert watch.update(0, [1.0, 1.0]) == [None, None]
    growth = watch.update(50, [1.5, 1.05])
    assert is_rising(growth[0]) and not is_rising(growth[1])
    assert watch.update(10, [1.0, 1.0]) == [None, None]      # stepped back: a new run
