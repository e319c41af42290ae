"""How the app writes the numbers people read: losses, norms, growth, the penalty's share."""


def figure(value: float, digits: int) -> str:
    """value to `digits` significant digits, trailing zeros kept (2.00 beside 1.78, not 2)."""
    text = f"{value:#.{digits}g}"
    return text[:-1] if text.endswith(".") else text


def loss_figure(value: float, decimals: int) -> str:
    """A loss with fixed decimals (0.6931), as long as that stays short: a diverging run's
    24100683189019.6602 is written 2.410e+13."""
    return f"{value:.{decimals}f}" if abs(value) < 1000 else f"{value:.{decimals - 1}e}"


def growth(rise: float) -> str:
    """A relative rise: +25% ... +900%, then x12, x1.8e+12 (a layer norm exploding)."""
    return f"+{rise:.0%}" if rise < 9 else f"\u00d7{figure(1 + rise, 2)}"


def penalty_note(metrics, digits: int) -> str:
    """Why the train loss may sit above the test loss: the part of it that is penalty."""
    if not metrics.penalty:
        return ""
    return (f"Of the train loss, {metrics.penalty:.{digits}f} is the regularization penalty "
            f"(the Loss chart draws it); the test loss is the data loss alone.")
