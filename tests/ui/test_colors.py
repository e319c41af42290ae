"""The palette every view shares: TensorFlow Playground's meaning and a colour-blind option."""
import numpy as np
import pytest

from ui import colors
from ui.output.plane_colors import binary_image, multiclass_image


def test_negative_is_orange_zero_grey_positive_blue():
    lut = colors.diverging_lut(255)
    red, green, blue = (int(v) for v in lut[0, :3])
    assert red > 200 and blue < 60                 # orange
    r, g, b = (int(v) for v in lut[127, :3])
    assert abs(r - g) < 10 and abs(g - b) < 10     # grey
    r, g, b = (int(v) for v in lut[-1, :3])
    assert b > 150 and r < 60                      # blue
    assert colors.weight_color(-2.0, 1.0) == colors.weight_color(-1.0, 1.0)


@pytest.mark.parametrize("name", list(colors.PALETTES))
def test_every_palette_gives_distinct_class_colours(name):
    colors.set_palette(name)
    names = {c.name() for c in colors.class_colors(10)}
    assert len(names) == 10


def test_switching_palette_changes_the_map():
    before = colors.diverging_lut()
    colors.set_palette("colorblind")
    assert not np.array_equal(before, colors.diverging_lut())
    with pytest.raises(ValueError, match="playground"):
        colors.set_palette("rainbow")


def test_binary_output_colours_class_zero_orange_and_class_one_blue():
    p = np.array([[0.0, 1.0]])
    image = binary_image(p, discretize=False)
    assert image[0, 0, 0] > image[0, 0, 2] and image[0, 1, 2] > image[0, 1, 0]


def test_multiclass_output_is_grey_when_unsure_and_the_class_colour_when_sure():
    unsure = np.full((3, 1, 1), 1 / 3)
    sure = np.zeros((3, 1, 1))
    sure[2] = 1.0
    grey = multiclass_image(unsure, discretize=False)[0, 0, :3].astype(int)
    green = multiclass_image(sure, discretize=False)[0, 0, :3].astype(int)
    assert np.ptp(grey) < 10
    assert green[1] > green[0] and green[1] > green[2]


def test_upsampling_keeps_the_grid_values_and_interpolates_between_them():
    from ui.output.plane_colors import upsampled
    maps = np.array([[[0.0, 1.0], [2.0, 3.0]]])          # (1, 2, 2)
    fine = upsampled(maps, factor=2)
    assert fine.shape == (1, 3, 3)
    np.testing.assert_allclose(fine[0, ::2, ::2], maps[0])
    assert fine[0, 1, 1] == 1.5
