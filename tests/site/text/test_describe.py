"""Chart descriptions name what is drawn, in words."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.charts.palette import HEX
from simapp.text.describe import COLOUR_NAMES, describe_fit, shape_words


def _rotated(ratio: float, degrees: float, scale: float = 1.0) -> np.ndarray:
    t = math.radians(degrees)
    r = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    return scale * r @ np.diag([ratio**2, 1.0]) @ r.T


@settings(max_examples=60, deadline=None)
@given(
    ratio=st.floats(1.2, 50),
    degrees=st.floats(12, 78) | st.floats(102, 168),
    scale=st.floats(1e-3, 1e3),
)
def test_tilted_ellipses_report_their_ratio_and_angle(ratio, degrees, scale):
    words = shape_words(_rotated(ratio, degrees, scale))
    got_ratio = float(words.split()[1])
    got_angle = float(words.split("tilted ")[1].split()[0])
    assert got_ratio == pytest.approx(ratio, abs=0.051)
    assert got_angle == pytest.approx(degrees, abs=0.51)


@pytest.mark.parametrize(
    ("cov", "words"),
    [
        (np.eye(2), "round"),
        (np.diag([1.0, 1.15]), "round"),
        (np.diag([9.0, 1.0]), "elongated 3.0 : 1 horizontally"),
        (np.diag([1.0, 9.0]), "elongated 3.0 : 1 vertically"),
        (np.zeros((2, 2)), "collapsed to a point"),
        (np.array([[1.0, 1.0], [1.0, 1.0]]), "collapsed onto a line"),
    ],
)
def test_shape_words_examples(cov, words):
    assert shape_words(cov) == words


def test_description_names_every_component_with_its_colour():
    means = np.array([[1.5, -2.0], [0.0, 3.25], [10.0, 10.0]])
    text = describe_fit(
        means,
        np.stack([np.eye(2)] * 3),
        np.array([0.2, 0.3, 0.5]),
        iteration=4,
        start=2,
        log_likelihood=-3.14159,
        axis_labels=("petal length", "petal width"),
    )
    assert text.startswith("A 3-component Gaussian mixture at iteration 4 of start 2")
    assert "mean log-likelihood -3.142 per point" in text
    for j, colour in enumerate(COLOUR_NAMES[:3]):
        assert f"Component {j + 1} ({colour})" in text
    assert "petal length = 1.5, petal width = -2" in text
    assert "weight 50 %" in text
    assert len(COLOUR_NAMES) == len(HEX)


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="disagree on K: 2, 1, 2"):
        describe_fit(np.zeros((2, 2)), np.eye(2)[None], np.ones(2) / 2)


@pytest.mark.parametrize("k", range(1, 9))
def test_colour_names_follow_the_drawn_colours(k):
    from simapp.charts import palette
    from simapp.text.describe import COLOUR_NAMES, colour_names

    rng = np.random.default_rng(k)
    order = rng.permutation(len(COLOUR_NAMES))[:k]
    # slightly off the palette (blending, rounding): still the nearest name
    drawn = palette.RGB[order] + rng.uniform(-0.02, 0.02, size=(k, 3))
    names = colour_names(palette.nearest(drawn))
    assert names == tuple(COLOUR_NAMES[i] for i in order)
