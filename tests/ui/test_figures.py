"""Numbers as the app writes them: they line up, and a diverging run's stay short."""
from ui.figures import figure, growth, loss_figure


def test_figures_keep_their_digits():
    assert [figure(v, 3) for v in (2.0, 1.78, 123.4, 5.53)] == ["2.00", "1.78", "123", "5.53"]


def test_losses_have_fixed_decimals_until_they_explode():
    assert loss_figure(0.69314, 4) == "0.6931"
    assert loss_figure(24100683189019.66, 4) == "2.410e+13"


def test_growth_is_a_percentage_then_a_factor():
    assert growth(0.25) == "+25%"
    assert growth(18205563326.98) == "\u00d71.8e+10"
