"""Say in words what a chart shows, for screen readers and alt text.

A canvas is a picture; assistive technology reads its label. These functions
write that label from the numbers the chart was drawn from: what was fitted,
which iteration is on screen, the log-likelihood, and where each component
sits, how much weight it carries and what shape it has.

Examples
--------
>>> import numpy as np
>>> text = describe_fit(
...     means=np.array([[0.0, 0.0], [4.0, 1.0]]),
...     covariances=np.array([np.eye(2), [[4.0, 0.0], [0.0, 1.0]]]),
...     weights=np.array([0.25, 0.75]),
...     colour_names=("red", "teal"),
...     iteration=7, log_likelihood=-2.5, axis_labels=("u", "v"),
... )
>>> for sentence in text.split(". "):  # doctest: +NORMALIZE_WHITESPACE
...     print(sentence)
A 2-component Gaussian mixture at iteration 7, mean log-likelihood -2.500 per point
Component 1 (red), weight 25 %, centred at u = 0, v = 0, round
Component 2 (teal), weight 75 %, centred at u = 4, v = 1,
   elongated 2.0 : 1 horizontally.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "COLOUR_NAMES",
    "WHAT_A",
    "WHAT_FINAL",
    "colour_names",
    "describe_fit",
    "shape_words",
]

#: Plain names of the palette's colours, in :data:`simapp.charts.palette.HEX` order.
COLOUR_NAMES = (
    "blue",
    "orange",
    "green",
    "pink",
    "wine",
    "indigo",
    "vermilion",
    "sky blue",
)


#: How a description starts: of any frame, and of the finished fit.
WHAT_A = "A"
WHAT_FINAL = "The final"


def _num(value: float) -> str:
    """A short number for speech: 3 significant digits, no trailing zeros."""
    value = float(value)
    if not math.isfinite(value):
        return "not a number"
    if value == 0:
        return "0"
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa} times 10 to the {int(exponent)}"
    return text


def shape_words(covariance) -> str:
    """Describe a 2x2 covariance's shape: round, or elongated and which way.

    Parameters
    ----------
    covariance : array-like of shape (2, 2)

    Returns
    -------
    str
        ``"round"`` when the axes differ by less than 10 %; otherwise
        ``"elongated R : 1 horizontally"`` (or vertically, or ``"tilted
        A degrees"``), R the ratio of the ellipse's axes.

    Examples
    --------
    >>> shape_words([[1.0, 0.9], [0.9, 1.0]])
    'elongated 4.4 : 1, tilted 45 degrees'
    """
    c = np.asarray(covariance, dtype=np.float64)
    a, b, d = c[0, 0], c[0, 1], c[1, 1]
    # closed-form eigenvalues of a symmetric 2x2 matrix
    mid, half = (a + d) / 2, math.hypot((a - d) / 2, b)
    big, small = mid + half, max(mid - half, 0.0)
    if big <= 0:
        return "collapsed to a point"
    if small <= 1e-12 * big:
        return "collapsed onto a line"
    ratio = math.sqrt(big / small)
    if ratio < 1.1:
        return "round"
    angle = math.degrees(0.5 * math.atan2(2 * b, a - d)) % 180
    if min(angle, 180 - angle) < 10:
        where = "horizontally"
    elif abs(angle - 90) < 10:
        where = "vertically"
    else:
        where = f"tilted {angle:.0f} degrees"
    return (
        f"elongated {ratio:.1f} : 1{',' if where.startswith('tilted') else ''} {where}"
    )


def describe_fit(
    means,
    covariances,
    weights,
    *,
    colour_names=COLOUR_NAMES,
    iteration=None,
    log_likelihood=None,
    start=None,
    axis_labels=("x", "y"),
    what=WHAT_A,
) -> str:
    """One paragraph describing a fitted (or in-progress) 2-D mixture.

    Parameters
    ----------
    means : array-like of shape (K, 2)
    covariances : array-like of shape (K, 2, 2)
        Full covariances in the plotted plane.
    weights : array-like of shape (K,)
    colour_names : sequence of str
        Colour of each component on the chart.
    iteration, start : int, optional
        What the chart is showing (``start`` is 1-based when given).
    log_likelihood : float, optional
        Mean log-likelihood per point.
    axis_labels : tuple of str
        Names of the two axes (column names for your own data).
    what : str
        First word(s): :data:`WHAT_A` or :data:`WHAT_FINAL`.

    Returns
    -------
    str
    """
    means = np.asarray(means, dtype=np.float64).reshape(-1, 2)
    covariances = np.asarray(covariances, dtype=np.float64).reshape(-1, 2, 2)
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    k = len(means)
    if covariances.shape[0] != k or weights.shape[0] != k:
        raise ValueError(
            f"means, covariances and weights disagree on K: {k}, "
            f"{covariances.shape[0]}, {weights.shape[0]}"
        )
    head = f"{what} {k}-component Gaussian mixture"
    if iteration is not None:
        head += f" at iteration {int(iteration)}"
        if start is not None:
            head += f" of start {int(start)}"
    if log_likelihood is not None and math.isfinite(float(log_likelihood)):
        head += f", mean log-likelihood {float(log_likelihood):.3f} per point"
    parts = [head + "."]
    x_name, y_name = axis_labels
    for j in range(k):
        colour = colour_names[j] if j < len(colour_names) else f"colour {j + 1}"
        parts.append(
            f"Component {j + 1} ({colour}), weight {100 * weights[j]:.0f} %, "
            f"centred at {x_name} = {_num(means[j, 0])}, "
            f"{y_name} = {_num(means[j, 1])}, {shape_words(covariances[j])}."
        )
    return " ".join(parts)


def colour_names(indices) -> tuple[str, ...]:
    """The plain name of each palette colour.

    Parameters
    ----------
    indices : sequence of int
        Palette indices (:func:`simapp.charts.palette.nearest` of the drawn
        colours).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> colour_names([2, 0])
    ('green', 'blue')
    """
    return tuple(COLOUR_NAMES[int(i)] for i in indices)
