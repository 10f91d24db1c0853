"""simapp.charts.bound_chart: log L and the bound per half-step, gap shaded."""

from __future__ import annotations

import math

import numpy as np
import pytest
from simapp.charts.bound_chart import (
    BOUND_CSS,
    GAP_CSS,
    LOGLIK_CSS,
    draw_bound_chart,
    half_step_x,
    off_chart,
)
from simapp.text import bound as words


def _series(rng, n_iter, first=None):
    """A made-up EM run: log L climbing, the bound touching it after each
    E-step and below it after each M-step."""
    ll = -2000.0 + np.cumsum(
        rng.exponential(20.0, n_iter + 1) * np.exp(-np.arange(n_iter + 1) / 4)
    )
    if first is not None:
        ll[0] = first
    out = []
    for t in range(1, n_iter + 1):
        gap = float(rng.uniform(0.1, 0.9) * min(ll[t] - ll[t - 1], 50.0))
        out.append(
            {
                "iteration": t,
                "step": "E",
                "loglik": ll[t - 1],
                "bound": ll[t - 1],
                "gap": 0.0,
            }
        )
        out.append(
            {
                "iteration": t,
                "step": "M",
                "loglik": ll[t],
                "bound": ll[t] - gap,
                "gap": gap,
            }
        )
    return out


def _strokes(ctx, colour):
    return [
        np.array([c.args for c in path])
        for path, call in ctx.paths()
        if path and call.state.get("strokeStyle") == colour and len(path) > 2
    ]


@pytest.mark.parametrize("seed", range(4))
def test_two_curves_and_the_gap_between_them(ctx, seed):
    rng = np.random.default_rng(seed)
    n_iter = int(rng.integers(3, 40))
    series = _series(rng, n_iter)
    dpr = float(rng.choice([1.0, 2.0]))
    frame = draw_bound_chart(ctx, 640 * dpr, 400 * dpr, series, dpr)
    assert frame is not None
    (ll_line,) = _strokes(ctx, LOGLIK_CSS)
    (bound_line,) = _strokes(ctx, BOUND_CSS)
    assert len(ll_line) == len(bound_line) == 2 * n_iter
    # the x positions: E at t - 1/2, M at t
    xs = [half_step_x(s["iteration"], s["step"]) for s in series]
    np.testing.assert_allclose(ll_line[:, 0], frame.x_px(np.array(xs)))
    # the bound lies on or under log L (y grows downwards)
    assert np.all(bound_line[:, 1] >= ll_line[:, 1] - 1e-9)
    np.testing.assert_allclose(bound_line[0::2, 1], ll_line[0::2, 1])
    # log L climbs up the canvas
    assert np.all(np.diff(ll_line[:, 1]) <= 1e-9)
    # one shaded band per pair of consecutive half-steps
    fills = [c for p, c in ctx.paths("fill") if c.state.get("fillStyle") == GAP_CSS]
    assert len(fills) == 2 * n_iter - 1
    texts = ctx.texts()
    for text in (words.X_TITLE, words.Y_TITLE, words.LOGLIK_LABEL, words.BOUND_LABEL):
        assert text in texts
    assert ctx.balanced()


def test_the_current_half_step_is_marked(ctx):
    series = _series(np.random.default_rng(1), 6)
    frame = draw_bound_chart(ctx, 600, 360, series, 1.0, current=5)
    dots = [c for c in ctx.named("arc") if c.args[2] == 4.0]
    assert len(dots) == 2
    x = float(frame.x_px(half_step_x(3, "M")))
    assert all(d.args[0] == pytest.approx(x) for d in dots)
    ys = sorted(d.args[1] for d in dots)
    assert ys == pytest.approx(
        sorted(
            [
                float(frame.y_px(series[5]["loglik"])),
                float(frame.y_px(series[5]["bound"])),
            ]
        )
    )
    unmarked = type(ctx)()
    draw_bound_chart(unmarked, 600, 360, series, 1.0)
    assert not [c for c in unmarked.named("arc") if c.args[2] == 4.0]


def test_the_initial_parameters_are_left_off_the_chart(ctx):
    series = _series(np.random.default_rng(2), 8, first=-1.6e9)
    frame = draw_bound_chart(ctx, 600, 360, series, 1.0)
    assert frame.y_lo > -1e6
    (shown, hidden) = off_chart(
        [s["loglik"] for s in series], [s["bound"] for s in series]
    )
    assert hidden == [-1.6e9, -1.6e9]
    assert math.isnan(shown[0][0]) and math.isnan(shown[1][0])
    assert shown[0][1:] == [s["loglik"] for s in series[1:]]
    (ll_line,) = _strokes(ctx, LOGLIK_CSS)
    assert len(ll_line) == len(series) - 1
    # nothing far off: nothing hidden
    assert off_chart([-3.0, -2.0, -2.0, -1.0], [-3.0, -2.5, -2.0, -1.5])[1] == []


def test_empty_state(ctx):
    assert draw_bound_chart(ctx, 500, 300, [], 1.0) is None
    assert " ".join(ctx.texts()) == words.EMPTY


def test_a_window_zooms_in_on_the_current_half_step(ctx):
    series = _series(np.random.default_rng(3), 40)
    current, window = 51, 8  # iteration 26's M-step
    frame = draw_bound_chart(ctx, 600, 360, series, 1.0, current, window)
    (ll_line,) = _strokes(ctx, LOGLIK_CSS)
    assert len(ll_line) == 2 * window + 1
    shown = series[current - window : current + window + 1]
    np.testing.assert_allclose(
        ll_line[:, 1], frame.y_px(np.array([s["loglik"] for s in shown]))
    )
    # the axes fit the window: its values span most of the plot's height
    values = [v for s in shown for v in (s["loglik"], s["bound"])]
    assert frame.y_lo <= min(values) and frame.y_hi >= max(values)
    assert (max(values) - min(values)) > 0.3 * (frame.y_hi - frame.y_lo)
    assert frame.x_lo <= half_step_x(22, "M") and frame.x_hi >= 30
    assert frame.x_hi - frame.x_lo <= 12
    dots = [c for c in ctx.named("arc") if c.args[2] == 4.0]
    assert all(d.args[0] == pytest.approx(frame.x_px(26.0)) for d in dots)
    # near the start the window is cut short, the mark still on its half-step
    start = type(ctx)()
    frame = draw_bound_chart(start, 600, 360, series, 1.0, 2, window)
    (ll_line,) = _strokes(start, LOGLIK_CSS)
    assert len(ll_line) == 2 + window + 1
    dots = [c for c in start.named("arc") if c.args[2] == 4.0]
    assert all(d.args[0] == pytest.approx(frame.x_px(1.5)) for d in dots)
