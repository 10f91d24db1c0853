"""Tests for simapp.charts.plotting against a recording canvas context."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from simapp.charts import palette, plotting
from simapp.charts.plotting import (
    AIC_COLOR,
    BIC_COLOR,
    MIN_RING_CSS,
    draw_axes,
    draw_ellipses,
    draw_empty,
    draw_ic_chart,
    draw_loglik_chart,
    draw_true_centres,
)
from simapp.charts.viewport import Viewport


def _view(dpr=2.0):
    return Viewport.fit((-5, 5, -4, 4), 800, 600, dpr=dpr)


# ------------------------------------------------------------------ ellipses


@pytest.mark.parametrize("seed", range(5))
def test_ellipse_calls_match_the_data_geometry(ctx, seed):
    rng = np.random.default_rng(seed)
    v = _view()
    center = rng.uniform(-2, 2, size=2)
    a, b = sorted(rng.uniform(0.2, 2.0, size=2), reverse=True)
    angle = rng.uniform(-math.pi, math.pi)
    e = SimpleNamespace(center=center, semi_axes=(a, b), angle=angle)
    draw_ellipses(ctx, v, [e], ["#123456"], n_std_list=(1, 2))
    # Ellipses as stroked: (ellipse call, stroke call with the style used).
    stroked = [
        (p[0], c) for p, c in ctx.paths() if len(p) == 1 and p[0].name == "ellipse"
    ]
    coloured = [e for e, c in stroked if c.state["strokeStyle"] == "#123456"]
    halos = [c for e, c in stroked if c.state["strokeStyle"] != "#123456"]
    assert len(halos) == 2 and all(h.state["lineWidth"] > 0 for h in halos)
    assert len(coloured) == 2
    for n_std, c in zip((1, 2), coloured, strict=True):
        x, y, rx, ry, rot, start, end = c.args
        np.testing.assert_allclose([x, y], v.to_px(center))
        assert math.isclose(rx, a * n_std * v.scale) and math.isclose(
            ry, b * n_std * v.scale
        )
        assert start == 0 and math.isclose(end, 2 * math.pi)
        # Where the canvas puts the end of the major axis (rotation is
        # clockwise on screen) must map back to centre + n * a * (cos, sin).
        tip_px = np.array([x + rx * math.cos(rot), y + rx * math.sin(rot)])
        expected = center + n_std * a * np.array([math.cos(angle), math.sin(angle)])
        np.testing.assert_allclose(v.to_data(tip_px), expected, atol=1e-9)
        minor_px = np.array([x - ry * math.sin(rot), y + ry * math.cos(rot)])
        d = v.to_data(minor_px) - center
        assert math.isclose(np.hypot(*d), n_std * b, rel_tol=1e-9)
        assert abs(d @ [math.cos(angle), math.sin(angle)]) < 1e-9
    # 1 sigma solid, 2 sigma dashed.
    assert coloured[0].state["lineDash"] == () or coloured[0].state["lineDash"] == []
    assert len(coloured[1].state["lineDash"]) == 2
    # Principal axes: two segments through the centre, lengths 2a and 2b.
    segs = [
        p
        for p, c in ctx.paths()
        if c.state["strokeStyle"] == "#123456" and p and p[0].name == "moveTo"
    ]
    assert len(segs) == 1
    pts = np.array([c.args for c in segs[0]])
    lengths = sorted(np.hypot(*(pts[1::2] - pts[0::2]).T))
    np.testing.assert_allclose(lengths, sorted([2 * b * v.scale, 2 * a * v.scale]))
    np.testing.assert_allclose((pts[0::2] + pts[1::2]) / 2, [v.to_px(center)] * 2)
    assert ctx.balanced()


def test_ellipses_accept_tuples_and_skip_non_finite(ctx):
    v = _view(1.0)
    good = ((0.0, 0.0), (1.0, 0.5), 0.3)
    bad = ((np.nan, 0.0), (1.0, 0.5), 0.3)
    draw_ellipses(ctx, v, [good, bad], [palette.RGB[0], (255, 0, 0)], n_std_list=(1,))
    styles = {
        c.state["strokeStyle"] for p, c in ctx.paths() if p and p[0].name == "ellipse"
    }
    assert palette.HEX[0] in styles and "#ff0000" not in styles


def test_true_centres_are_crosses_over_a_white_halo(ctx):
    v = _view()
    centres = np.array([[0.0, 0.0], [1.5, -2.0], [np.nan, 1.0]])
    draw_true_centres(ctx, v, centres)
    strokes = ctx.paths()
    assert [c.state["strokeStyle"] for _, c in strokes] == ["#ffffff", "#000000"]
    assert strokes[0][1].state["lineWidth"] > strokes[1][1].state["lineWidth"]
    pts = np.array([c.args for c in strokes[1][0]])
    assert len(pts) == 8  # two finite centres x two strokes x two points
    mids = (pts[0::2] + pts[1::2]) / 2
    expected = v.to_px(centres[:2])
    np.testing.assert_allclose(mids, np.repeat(expected, 2, axis=0))


def test_axes_labels_are_numbers_at_their_positions(ctx):
    v = _view()
    draw_axes(ctx, v)
    texts = ctx.named("fillText")
    assert len(texts) >= 4
    x0, x1, y0, y1 = v.data_bounds
    for c in texts:
        value = float(c.args[0])
        if c.state["textAlign"] == "center":  # x-axis label
            assert x0 <= value <= x1
            assert math.isclose(c.args[1], v.to_px([value, 0.0])[0], abs_tol=1e-6)
            assert c.args[2] > v.bottom
        else:
            assert y0 <= value <= y1
            assert math.isclose(c.args[2], v.to_px([0.0, value])[1], abs_tol=1e-6)
            assert c.args[1] < v.left
    assert ctx.balanced()


# ------------------------------------------------------------------ charts


def _ic_curves(rng, ks):
    k = np.asarray(ks, float)
    k_true = rng.integers(2, 6)
    base = 1000 + 80 * (k - k_true) ** 2 + rng.normal(0, 5, size=k.size)
    return base + 10 * k, base + 25 * k


@pytest.mark.parametrize("seed", range(8))
def test_ic_chart_marks_the_true_minima(ctx, seed):
    rng = np.random.default_rng(seed)
    ks = list(range(1, 9))
    aic, bic = _ic_curves(rng, ks)
    aic[rng.integers(0, 8)] = np.nan  # progressive: one K not computed yet
    dpr = 2.0
    best = draw_ic_chart(
        ctx,
        900,
        500,
        ks,
        list(aic),
        [None if not np.isfinite(x) else x for x in bic],
        dpr,
        current_k=3,
    )
    exp_aic = ks[int(np.nanargmin(aic))]
    exp_bic = ks[int(np.nanargmin(bic))]
    assert best == (exp_aic, exp_bic)

    rings = [c for c in ctx.named("arc") if math.isclose(c.args[2], MIN_RING_CSS * dpr)]
    assert len(rings) == 2
    by_colour = {c.state["strokeStyle"]: c for c in rings}
    assert set(by_colour) == {AIC_COLOR, BIC_COLOR}
    # AIC markers are filled circles: the ring must sit on the lowest one
    # (largest canvas y, since y grows downwards) and nowhere else.
    dots = [
        c
        for c in ctx.named("arc")
        if c.state["fillStyle"] == AIC_COLOR and c.args[2] < MIN_RING_CSS * dpr
    ]
    dots = [d for d in dots if d.args[1] < 500 - 10]  # exclude the legend swatch row
    assert len(dots) >= int(np.isfinite(aic).sum())
    lowest = max(dots[: int(np.isfinite(aic).sum())], key=lambda d: d.args[1])
    ring = by_colour[AIC_COLOR]
    assert ring.args[0] == lowest.args[0] and ring.args[1] == lowest.args[1]
    # Markers appear in K order, so the ring's x ranks the right K.
    xs = sorted({d.args[0] for d in dots[: int(np.isfinite(aic).sum())]})
    finite_ks = [k for k, v in zip(ks, aic, strict=True) if np.isfinite(v)]
    assert finite_ks[xs.index(ring.args[0])] == exp_aic
    # BIC ring: same x as AIC's marker for that K would have, lower y = smaller value.
    texts = " ".join(ctx.texts())
    assert f"AIC: min at K={exp_aic}" in texts and f"BIC: min at K={exp_bic}" in texts
    assert ctx.balanced()


def test_ic_chart_rings_agree_with_bic_values(ctx):
    rng = np.random.default_rng(42)
    ks = [1, 2, 3, 4, 5, 6]
    aic, bic = _ic_curves(rng, ks)
    draw_ic_chart(ctx, 600, 400, ks, aic, bic, 1.0)
    rings = {
        c.state["strokeStyle"]: c
        for c in ctx.named("arc")
        if math.isclose(c.args[2], MIN_RING_CSS)
    }
    # Smaller criterion value = lower on screen = larger canvas y.
    ra, rb = rings[AIC_COLOR], rings[BIC_COLOR]
    assert (ra.args[1] > rb.args[1]) == (np.min(aic) < np.min(bic))
    assert ra.args[0] == rb.args[0]  # same K for both minima in this example
    assert np.argmin(aic) == np.argmin(bic)


def test_ic_chart_empty_and_pending_states(ctx):
    best = draw_ic_chart(
        ctx, 400, 300, [1, 2, 3], [None, None, None], [math.nan] * 3, 1.0
    )
    assert best == (None, None)
    assert ctx.named("clearRect") and ctx.texts()
    other = type(ctx)()
    best = draw_ic_chart(other, 400, 300, [1, 2, 3], [5.0, None, None], [None] * 3, 1.0)
    assert best == (1, None)
    assert any("BIC: pending" in t for t in other.texts())
    with pytest.raises(ValueError):
        draw_ic_chart(ctx, 400, 300, [1, 2], [1.0], [1.0, 2.0], 1.0)


def _runs(rng, n_runs):
    out = []
    for _ in range(n_runs):
        length = int(rng.integers(3, 60))
        gains = rng.exponential(0.3, size=length) * np.exp(-np.arange(length) / 5)
        out.append(list(-4.0 + rng.normal(0, 0.3) + np.cumsum(gains)))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_loglik_chart_draws_one_line_per_run_bold_best(ctx, seed):
    rng = np.random.default_rng(seed)
    series = _runs(rng, int(rng.integers(1, 6)))
    best = int(rng.integers(0, len(series)))
    dpr = 1.5
    W, H = 700, 360
    frame = draw_loglik_chart(ctx, W, H, series, best=best, max_iter=100, dpr=dpr)
    assert frame is not None
    lines = [
        (p, c)
        for p, c in ctx.paths()
        if p and c.state.get("lineJoin") == "round" and p[0].name == "moveTo"
    ]
    bold = [(p, c) for p, c in lines if c.state["lineWidth"] == 2.5 * dpr]
    faint = [(p, c) for p, c in lines if c.state.get("globalAlpha", 1.0) < 1.0]
    assert len(bold) == 1 and len(faint) == len(series) - 1
    pts = np.array([c.args for c in bold[0][0]])
    assert len(pts) == len(series[best])
    # Log-likelihood increases, so the bold line goes up the canvas (y down).
    assert np.all(np.diff(pts[:, 1]) <= 1e-9) and np.all(np.diff(pts[:, 0]) > 0)
    all_pts = np.vstack([[c.args for c in p] for p, _ in lines])
    assert np.all(all_pts[:, 0] >= frame.left - 1e-9) and np.all(
        all_pts[:, 0] <= frame.right + 1e-9
    )
    assert np.all(all_pts[:, 1] >= frame.top - 1e-9) and np.all(
        all_pts[:, 1] <= frame.bottom + 1e-9
    )
    # The data's extremes fall inside the chart's value range.
    flat = np.concatenate(series)
    assert frame.y_lo <= flat.min() and frame.y_hi >= flat.max()
    texts = ctx.texts()
    assert "iteration" in texts and "mean log-likelihood per point" in texts
    assert ctx.balanced()


def test_loglik_chart_handles_gaps_and_empty_state(ctx):
    frame = draw_loglik_chart(
        ctx,
        500,
        300,
        [[-3.0, None, -2.0, math.nan, -1.5]],
        best=0,
        max_iter=50,
        dpr=1.0,
    )
    assert frame is not None
    empty = type(ctx)()
    assert (
        draw_loglik_chart(empty, 500, 300, [], best=None, max_iter=100, dpr=1.0) is None
    )
    assert any("Simulate" in t for t in empty.texts())
    empty2 = type(ctx)()
    assert (
        draw_loglik_chart(
            empty2, 500, 300, [[math.nan]], best=3, max_iter=None, dpr=2.0
        )
        is None
    )


def test_draw_empty_centres_the_message(ctx):
    draw_empty(ctx, 300, 200, 2.0, "press Simulate")
    (call,) = ctx.named("fillText")
    assert call.args == ("press Simulate", 150, 100)
    assert call.state["font"].startswith("26px")


def test_line_dash_converter_is_used(ctx, monkeypatch):
    seen = []
    monkeypatch.setattr(plotting, "_js_array", lambda xs: seen.append(xs) or tuple(xs))
    draw_ellipses(ctx, _view(1.0), [((0, 0), (1, 1), 0.0)], ["#000000"])
    assert seen and all(isinstance(x, list) for x in seen)


@pytest.mark.parametrize("marker", [0, 3, 7, 40])
def test_loglik_chart_marks_the_step_through_iteration(ctx, marker):
    series = [[-3.0, -2.5, -2.2, -2.1, -2.05, -2.04, -2.035, -2.034]]
    frame = draw_loglik_chart(
        ctx, 600, 320, series, best=0, max_iter=100, marker=marker
    )
    vertical = [
        p
        for p, c in ctx.paths()
        if len(p) == 2
        and c.state.get("lineWidth") == 2
        and abs(p[0].args[0] - p[1].args[0]) < 1e-9
        and p[0].args[1] == frame.top
        and p[1].args[1] == frame.bottom
    ]
    assert len(vertical) == 1
    x = vertical[0][0].args[0]
    want = min(max(marker, frame.x_lo), frame.x_hi)
    assert x == pytest.approx(float(frame.x_px(want)))
    # without a marker, no such line
    plain = type(ctx)()
    frame = draw_loglik_chart(plain, 600, 320, series, best=0, max_iter=100)
    assert not [
        p
        for p, c in plain.paths()
        if len(p) == 2 and c.state.get("lineWidth") == 2 and p[0].args[1] == frame.top
    ]
