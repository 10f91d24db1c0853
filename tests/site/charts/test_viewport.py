"""Tests for simapp.charts.viewport: aspect-preserving mapping and nice ticks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from simapp.charts.viewport import Viewport, format_ticks, nice_ticks

coord = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(
    coord,
    st.floats(min_value=0, max_value=1e5),
    coord,
    st.floats(min_value=0, max_value=1e5),
    st.integers(150, 2500),
    st.integers(150, 2500),
    st.sampled_from([1.0, 1.5, 2.0, 3.0]),
)
def test_view_keeps_aspect_and_maps_bounds_inside(x0, wx, y0, wy, width, height, dpr):
    assume(width > 60 * dpr and height > 40 * dpr)
    bounds = (x0, x0 + wx, y0, y0 + wy)
    v = Viewport.fit(bounds, width, height, dpr=dpr)
    corners = np.array(
        [
            [bounds[0], bounds[2]],
            [bounds[1], bounds[3]],
            [bounds[0], bounds[3]],
            [bounds[1], bounds[2]],
        ]
    )
    P = v.to_px(corners)
    tol = 1e-6 * max(width, height)
    assert np.all(P[:, 0] >= v.left - tol) and np.all(P[:, 0] <= v.right + tol)
    assert np.all(P[:, 1] >= v.top - tol) and np.all(P[:, 1] <= v.bottom + tol)
    assert 0 <= v.left < v.right <= width and 0 <= v.top < v.bottom <= height
    # Equal aspect: a unit step in x and in y has the same pixel length.
    o = np.array([x0, y0])
    dx = v.to_px(o + [1.0, 0.0]) - v.to_px(o)
    dy = v.to_px(o + [0.0, 1.0]) - v.to_px(o)
    assert math.isclose(abs(dx[0]), abs(dy[1]), rel_tol=1e-9)
    assert (
        abs(dx[1]) < 1e-6 * abs(dx[0]) + 1e-9 and abs(dy[0]) < 1e-6 * abs(dy[1]) + 1e-9
    )
    # y up: increasing data y moves up the canvas.
    assert dy[1] < 0 < dx[0]
    assert math.isclose(float(v.length_to_px(2.5)), 2.5 * dx[0], rel_tol=1e-9)


@given(st.integers(0, 10_000))
def test_view_fills_one_direction_and_inverts(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(50, 2)) * rng.uniform(0.01, 100, size=2) + rng.uniform(
        -1e3, 1e3, size=2
    )
    v = Viewport.from_points(X, 800, 600, dpr=2.0, padding=0.05)
    P = v.to_px(X)
    span_px = P.max(axis=0) - P.min(axis=0)
    plot = np.array([v.right - v.left, v.bottom - v.top])
    # The tighter direction uses the plot size minus the padding exactly.
    ratio = span_px / plot
    assert ratio.max() <= 1.0 + 1e-9
    span = max(np.ptp(X[:, 0]), np.ptp(X[:, 1]))
    fill = np.ptp(X, axis=0) / (np.ptp(X, axis=0) + 0.1 * span)
    assert np.any(np.isclose(ratio, fill, rtol=1e-9))
    np.testing.assert_allclose(v.to_data(P), X, rtol=1e-9, atol=1e-9 * np.abs(X).max())
    b = v.data_bounds
    assert b[0] <= X[:, 0].min() and b[1] >= X[:, 0].max()
    assert b[2] <= X[:, 1].min() and b[3] >= X[:, 1].max()


def test_view_degenerate_inputs():
    for pts in (
        np.zeros((0, 2)),
        np.array([[np.nan, 1.0]]),
        np.array([[3.0, 3.0]]),
        np.array([[1.0, 0.0], [1.0, 5.0]]),
    ):
        v = Viewport.from_points(pts, 300, 200)
        assert np.isfinite(v.scale) and v.scale > 0
    with pytest.raises(ValueError):
        Viewport.fit((0, np.inf, 0, 1), 300, 200)
    with pytest.raises(ValueError):
        Viewport.fit((0, 1, 0, 1), 30, 20)


def _is_125(step: float) -> bool:
    e = math.floor(math.log10(step))
    m = step / 10**e
    return any(math.isclose(m, c, rel_tol=1e-6) for c in (1, 2, 5, 10))


lo_hi = st.tuples(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.floats(min_value=1e-6, max_value=1.0),
    st.floats(min_value=-6, max_value=9),
).map(lambda t: (t[0], t[0] + max(t[1] * 10 ** t[2], 1e-6 * max(abs(t[0]), 1.0))))


@given(lo_hi, st.integers(2, 12))
def test_nice_ticks_inside_range_with_125_steps(bounds, max_ticks):
    lo, hi = bounds
    ticks = nice_ticks(lo, hi, max_ticks)
    assert 1 <= len(ticks) <= max_ticks
    span = hi - lo
    eps = 1e-9 * max(abs(lo), abs(hi), span)
    assert all(lo - eps <= t <= hi + eps for t in ticks)
    if len(ticks) >= 2:
        d = np.diff(ticks)
        step = float(np.median(d))
        np.testing.assert_allclose(d, step, rtol=1e-6)
        assert _is_125(step)
        # Covering: no gap at either end as wide as a step (no missing tick).
        assert ticks[0] - lo < step + eps and hi - ticks[-1] < step + eps
        # Ticks are multiples of the step.
        assert math.isclose(ticks[0] / step, round(ticks[0] / step), abs_tol=1e-6)
        # Densest allowed: the next smaller 1-2-5 step would give too many ticks.
        mantissa = round(step / 10 ** math.floor(math.log10(step) + 1e-9))
        smaller = step / (2.5 if mantissa == 5 else 2)
        n_smaller = math.floor(hi / smaller + 1e-9) - math.ceil(lo / smaller - 1e-9) + 1
        assert n_smaller >= max_ticks


@given(lo_hi, st.integers(3, 12))
def test_nice_ticks_extend_covers_range(bounds, max_ticks):
    lo, hi = bounds
    ticks = nice_ticks(lo, hi, max_ticks, extend=True)
    assert 2 <= len(ticks) <= max_ticks
    step = ticks[1] - ticks[0]
    eps = 1e-9 * max(abs(lo), abs(hi), step)
    assert ticks[0] <= lo + eps and ticks[-1] >= hi - eps
    assert _is_125(step)
    # Not wastefully wide: the axis overshoots by less than a step on each side.
    assert lo - ticks[0] < step + eps and ticks[-1] - hi < step + eps


def test_nice_ticks_examples_and_errors():
    assert nice_ticks(0, 1, 6) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(1, 7, 10, min_step=1) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert nice_ticks(0.25, 0.35, 3) == [0.25, 0.3, 0.35]  # exact decimals
    with pytest.raises(ValueError):
        nice_ticks(0, math.nan)
    with pytest.raises(ValueError):
        nice_ticks(0, 1, 1)
    assert nice_ticks(5, 5)  # zero-width range is widened, not an error


@given(lo_hi, st.integers(2, 10), st.booleans())
def test_tick_labels_are_exact_short_and_distinct(bounds, max_ticks, extend):
    ticks = nice_ticks(*bounds, max_ticks, extend=extend)
    labels = format_ticks(ticks)
    assert len(labels) == len(ticks)
    assert len(set(labels)) == len(labels)
    # A lone tick must print exactly; otherwise to well within a step.
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 0.0
    for t, s in zip(ticks, labels, strict=True):
        assert len(s) <= 14, s
        if step > 0 and "e" not in s:
            # No more decimals than the step needs (rules out 0.30000000000000004).
            decimals = len(s.partition(".")[2])
            assert decimals <= max(0, -math.floor(math.log10(step) + 1e-9)), s
        assert abs(float(s) - t) <= 1e-6 * step + 1e-12 * abs(t)


def test_tick_label_formats():
    assert format_ticks([0.1, 0.2, 0.3]) == ["0.1", "0.2", "0.3"]
    assert format_ticks([-0.5, 0.0, 0.5]) == ["-0.5", "0.0", "0.5"]
    assert format_ticks([2e6, 4e6]) == ["2e6", "4e6"]
    assert format_ticks([1e-5, 2e-5]) == ["1e-5", "2e-5"]
    assert format_ticks([-20000.0, -10000.0, 0.0]) == ["-20000", "-10000", "0"]
