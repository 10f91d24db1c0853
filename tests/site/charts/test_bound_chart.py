"""simapp.charts.bound_chart: log L and the bound per half-step, gap shaded."""

from __future__ import annotations

import math

import numpy as np
import pytest
from simapp.charts.bound_chart import (
    BOUND_CSS,
    GAP_CSS,
    GUIDE_CSS,
    LOGLIK_CSS,
    draw_bound_chart,
    draw_bound_path_chart,
    draw_elbo_chart,
    half_step_x,
    off_chart,
    path_floor,
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


def _path(rng, n_points=41):
    """A made-up path: the bound a parabola with its top at s = 1, log L
    the bound plus a gap growing from 0 at s = 0."""
    s = np.linspace(-0.5, 1.5, n_points)
    top = -1500.0 + rng.normal(0, 100)
    bound = top - rng.uniform(5, 50) * (s - 1) ** 2
    loglik = bound + rng.uniform(1, 10) * s**2
    return {
        "iteration": 2,
        "s": s.tolist(),
        "loglik": loglik.tolist(),
        "bound": bound.tolist(),
    }


@pytest.mark.parametrize("seed", range(3))
def test_the_path_chart_draws_both_curves_against_s(ctx, seed):
    rng = np.random.default_rng(seed)
    n_points = int(rng.choice([21, 41]))
    path = _path(rng, n_points)
    dpr = float(rng.choice([1.0, 2.0]))
    frame = draw_bound_path_chart(ctx, 640 * dpr, 400 * dpr, path, dpr)
    assert frame is not None
    assert (frame.x_lo, frame.x_hi) == (-0.5, 1.5)
    (ll_line,) = _strokes(ctx, LOGLIK_CSS)
    (bound_line,) = _strokes(ctx, BOUND_CSS)
    assert len(ll_line) == len(bound_line) == n_points
    np.testing.assert_allclose(ll_line[:, 0], frame.x_px(np.array(path["s"])))
    np.testing.assert_allclose(bound_line[:, 1], frame.y_px(np.array(path["bound"])))
    # the bound is dashed, log L solid
    dashes = {
        call.state.get("strokeStyle"): call.state.get("lineDash")
        for _, call in ctx.paths()
    }
    assert dashes[BOUND_CSS] and not dashes[LOGLIK_CSS]
    texts = ctx.texts()
    for text in (
        words.PATH_X_TITLE,
        words.Y_TITLE,
        words.LOGLIK_LABEL,
        words.BOUND_LABEL,
        words.PATH_TOUCH_LABEL,
        words.PATH_MAX_LABEL,
    ):
        assert text in texts
    assert ctx.balanced()


def test_the_path_chart_has_guides_at_zero_and_one(ctx):
    path = _path(np.random.default_rng(5))
    frame = draw_bound_path_chart(ctx, 600, 360, path, 1.0)
    guides = [
        np.array([c.args for c in p])
        for p, call in ctx.paths()
        if call.state.get("strokeStyle") == GUIDE_CSS
    ]
    assert len(guides) == 2
    for guide, at in zip(guides, (0.0, 1.0), strict=True):
        # vertical, from the top of the plot to its bottom
        assert guide[:, 0] == pytest.approx([frame.x_px(at)] * 2)
        assert sorted(guide[:, 1]) == pytest.approx([frame.top, frame.bottom])
    # the labels sit by their guides
    labels = {c.args[0]: c.args[1] for c in ctx.named("fillText")}
    assert labels[words.PATH_TOUCH_LABEL] > frame.x_px(0.0)
    assert labels[words.PATH_MAX_LABEL] < frame.x_px(1.0)
    # dots: log L at the touch, both curves at s = 1
    dots = sorted((c.args[0], c.args[1]) for c in ctx.named("arc") if c.args[2] == 4.0)
    want = sorted(
        [
            (frame.x_px(0.0), frame.y_px(path["loglik"][10])),
            (frame.x_px(1.0), frame.y_px(path["loglik"][30])),
            (frame.x_px(1.0), frame.y_px(path["bound"][30])),
        ]
    )
    assert np.allclose(dots, want)


def test_the_path_chart_leaves_off_a_steep_fall(ctx):
    path = _path(np.random.default_rng(6))
    path["bound"][0] = path["loglik"][0] = -1e12
    floor = path_floor(path["s"], path["loglik"], path["bound"])
    assert -1e12 < floor < min(path["bound"][10:31])
    frame = draw_bound_path_chart(ctx, 600, 360, path, 1.0)
    assert frame.y_lo > -1e6
    (ll_line,) = _strokes(ctx, LOGLIK_CSS)
    assert len(ll_line) == 40


def test_the_path_chart_leaves_off_a_plunge_between_the_guides(ctx):
    """From point-sized components the path dips far below both ends just
    after s = 0: the chart keeps the touch and the top in view."""
    path = _path(np.random.default_rng(7))
    for i in (11, 12, 13):  # s = 0.05 to 0.15
        path["bound"][i] = path["loglik"][i] = -1e11
    frame = draw_bound_path_chart(ctx, 600, 360, path, 1.0)
    assert frame.y_lo > -1e6
    lines = _strokes(ctx, LOGLIK_CSS)
    assert sum(len(part) for part in lines) == 38


def test_the_path_chart_empty_state(ctx):
    assert draw_bound_path_chart(ctx, 500, 300, None, 1.0) is None
    assert " ".join(ctx.texts()) == words.PATH_EMPTY


def test_the_path_chart_empty_state_says_what_it_is_told(ctx):
    assert draw_bound_path_chart(ctx, 500, 300, None, 1.0, words.PATH_WAITS) is None
    assert " ".join(ctx.texts()) == words.PATH_WAITS


@pytest.mark.parametrize("seed", range(3))
def test_the_elbo_is_one_curve_an_iteration_apart(ctx, seed):
    rng = np.random.default_rng(seed)
    n_iter = int(rng.integers(2, 30))
    elbo = -1500.0 + np.cumsum(rng.exponential(10.0, n_iter))
    frame = draw_elbo_chart(ctx, 640, 400, list(elbo), 1.0)
    (line,) = _strokes(ctx, BOUND_CSS)
    assert not _strokes(ctx, LOGLIK_CSS)  # no log L in Bayes mode
    np.testing.assert_allclose(line[:, 0], frame.x_px(np.arange(1.0, n_iter + 1)))
    np.testing.assert_allclose(line[:, 1], frame.y_px(elbo))
    assert np.all(np.diff(line[:, 1]) <= 1e-9)  # the ELBO climbs up the canvas
    texts = ctx.texts()
    for text in (words.ELBO_LABEL, words.ELBO_X_TITLE, words.ELBO_Y_TITLE):
        assert text in texts
    assert words.LOGLIK_LABEL not in texts
    assert ctx.balanced()


def test_the_elbo_chart_without_a_bound_is_the_empty_state(ctx):
    assert draw_elbo_chart(ctx, 500, 300, [], 1.0) is None
    assert " ".join(ctx.texts()) == words.EMPTY
