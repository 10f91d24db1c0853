"""simapp.charts.loglik_chart: log L per iteration, one line per start."""

from __future__ import annotations

import math

import numpy as np
import pytest
from simapp.charts.loglik_chart import draw_loglik_chart, off_chart_first
from simapp.text.loglik import off_chart_note

from emcore.experiment import run


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


@pytest.mark.parametrize("marker", [0, 3, 7, 40])
def test_loglik_chart_marks_the_timeline_iteration(ctx, marker):
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


def test_the_loglik_chart_names_iteration_and_log_likelihood(ctx):
    draw_loglik_chart(ctx, 600, 300, [[-3.0, -2.5, -2.2]], best=0)
    texts = ctx.texts()
    assert "iteration" in texts
    assert any("log-likelihood" in t for t in texts)


def loglik_for_chart(series):
    """The chart's series and the note under it, as the page shows them."""
    shown, hidden = off_chart_first(series)
    return shown, off_chart_note(hidden)


def test_off_chart_first_hides_only_outlying_first_iterations():
    traces = run(k=3, n=300, overlap=0, seed=7).start_traces
    shown, note = loglik_for_chart(traces)
    assert [s[1:] for s in shown] == [list(t[1:]) for t in traces]
    for s, t in zip(shown, traces, strict=True):
        assert math.isnan(s[0]) == (t[0] < -1e3)
    assert ("off the chart" in note) == any(t[0] < -1e3 for t in traces)
    same, note = loglik_for_chart([[-5.0, -4.8, -4.7], [-4.9, -4.75]])
    assert same == [[-5.0, -4.8, -4.7], [-4.9, -4.75]] and note == ""
    assert loglik_for_chart([[-3e6]]) == ([[-3e6]], "")
