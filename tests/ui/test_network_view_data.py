"""The network view on other data and sizes: 1-D curves, no plane, many classes, the largest net,
and export."""
import re

import pytest

from netsim import Config, Trainer
from ui.network.weight_editor import format_value

from network_view_helpers import make_view

ALL_FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")


def test_largest_network_draws_every_edge_and_hovers_one(qtbot):
    trainer = Trainer(Config(features=ALL_FEATURES, layers=(32,) * 8, n_samples=100))
    view = make_view(qtbot, trainer, resolution=8)
    assert view.edge_layer.n_edges == 7 * 32 + 7 * 32 * 32 + 32
    view.hover_at(view.edge_pick_point(4, 10, 20))     # a mouse pixel may be nearer a neighbour
    assert view.hit_test(view.edge_pick_point(4, 10, 20)) == ("edge", 4, 10, 20)
    assert "H4.11 \u2192 H5.21" in view.hover_text
    assert format_value(trainer.network.weights[4][10, 20]) in view.hover_text


def test_one_dimensional_data_draws_a_curve_per_neuron(qtbot):
    trainer = Trainer(Config(dataset="wave", features=("x1",), layers=(3,), n_samples=100))
    view = make_view(qtbot, trainer)
    neuron = view.neuron_item(1, 0)
    assert neuron.image() is None and neuron.curve() is not None
    assert neuron.curve().size() == 12


def test_without_a_plane_neurons_are_discs(qtbot):
    trainer = Trainer(Config(layers=(3,), n_samples=100))
    view = make_view(qtbot, trainer, resolution=0)
    assert view.neuron_item(1, 0).image() is None and view.neuron_item(1, 0).disc() is not None


def test_multiclass_outputs_are_named_by_class_and_each_bias_editable(qtbot):
    trainer = Trainer(Config(dataset="blobs", classes=4, layers=(3,), n_samples=120))
    view = make_view(qtbot, trainer)
    names = trainer.dataset.class_names
    view.hover_at(view.edge_pick_point(1, 0, 3))
    assert f"H1.1 \u2192 {names[3]}" in view.hover_text
    view.begin_edit(("bias", 1, 3))
    with qtbot.waitSignal(view.bias_edited) as edited:
        view.editor.submit("1.5")
    assert edited.args == [1, 3, 1.5]


def test_long_column_names_are_elided(qtbot):
    from ui.neuron_names import input_name
    name = input_name("flavanoids_per_litre_of_wine")
    assert len(name) <= 14 and "\u2026" in name


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_export_writes_an_image_file(qtbot, tmp_path, suffix):
    view = make_view(qtbot, Trainer(Config(n_samples=100)))
    path = tmp_path / f"net.{suffix}"
    view.export_image(str(path))
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data


def test_export_leaves_out_the_hover_text_and_keeps_it_on_screen(qtbot, tmp_path):
    view = make_view(qtbot, Trainer(Config(n_samples=100)))
    view.hover_at(view.edge_pick_point(0, 1, 2))
    assert view.info.isVisible()
    path = tmp_path / "net.svg"
    view.export_image(str(path))
    assert "x\u2082 \u2192 H1.3" not in path.read_text()
    assert view.info.isVisible() and view.hover_text.startswith("x\u2082 \u2192 H1.3")


def test_export_refuses_an_unknown_suffix_with_a_reason(qtbot, tmp_path):
    view = make_view(qtbot, Trainer(Config(n_samples=100)))
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        view.export_image(str(tmp_path / "net.jpg"))
    assert not (tmp_path / "net.jpg").exists()


def test_export_to_a_missing_folder_says_so(qtbot, tmp_path):
    view = make_view(qtbot, Trainer(Config(n_samples=100)))
    with pytest.raises(OSError, match="could not write"):
        view.export_image(str(tmp_path / "missing" / "net.png"))


def test_svg_export_draws_edges_as_vectors_and_embeds_only_the_neuron_maps(qtbot, tmp_path):
    trainer = Trainer(Config(n_samples=100))
    view = make_view(qtbot, trainer)
    path = tmp_path / "net.svg"
    view.export_image(str(path))
    svg = path.read_text()
    assert svg.count("<image") == sum(trainer.network.sizes)


def test_svg_export_keeps_the_screen_size_of_the_view_and_its_text(qtbot, tmp_path):
    from ui.network.captions import NAME_POINT_SIZE
    view = make_view(qtbot, Trainer(Config(n_samples=100)))
    path = tmp_path / "net.svg"
    view.export_image(str(path))
    svg = path.read_text()
    dpi = view.viewport().logicalDpiX()
    width_mm = float(re.search(r'<svg width="([0-9.]+)mm"', svg).group(1))
    assert width_mm == pytest.approx(view.viewport().width() / dpi * 25.4, rel=0.01)
    sizes = {float(v) for v in re.findall(r'font-size="([0-9.]+)"', svg)}
    assert any(abs(v - NAME_POINT_SIZE * dpi / 72) < 0.1 for v in sizes)   # x1, x2 in pixels


def test_names_of_tightly_packed_neurons_shrink_and_then_thin_out(qtbot):
    from ui.network.captions import MIN_NAME_POINT_SIZE, NAME_POINT_SIZE, name_style
    pixels = [f"pixel_{r}_{c}" for r in range(8) for c in range(8)]
    assert name_style(pixels, 40.0) == (NAME_POINT_SIZE, 1)
    size, stride = name_style(pixels, 12.0)
    assert MIN_NAME_POINT_SIZE <= size < NAME_POINT_SIZE and stride == 1
    assert name_style(pixels, 5.0)[1] >= 2
    assert name_style([str(k) for k in range(10)], 9.5)[1] == 1   # digits need less room


def test_digits_view_writes_every_class_and_a_readable_share_of_the_64_inputs(qtbot):
    from ui.network.items import LabelItem
    trainer = Trainer(Config(dataset="digits", layers=(8,)))
    view = make_view(qtbot, trainer, resolution=0, size=(1000, 700))
    texts = [item.text for item in view.scene().items() if isinstance(item, LabelItem)]
    assert all(str(k) in texts for k in range(10))
    written = [t for t in texts if t.startswith("pixel_")]
    assert "pixel_0_0" in written and 16 <= len(written) < 64
