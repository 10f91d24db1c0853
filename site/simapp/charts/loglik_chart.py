"""The log-likelihood chart: per-point log L against EM iteration, every start.

Examples
--------
>>> runs, hidden = off_chart_first([[-3e6, -4.7, -4.6], [-2e6, -4.8]])
>>> runs[0][0] != runs[0][0], runs[0][1:], hidden
(True, [-4.7, -4.6], [-3000000.0, -2000000.0])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from simapp.charts import palette
from simapp.charts.axes import ChartFrame, chart_axes, draw_empty, max_ticks
from simapp.charts.look import LIGHT, ChartLook
from simapp.charts.marks import TAU, as_float_array, line, polyline, set_dash
from simapp.charts.viewport import nice_ticks
from simapp.text import loglik as words

__all__ = ["FAINT_RUN_CSS", "draw_loglik_chart", "off_chart_first"]

#: Colour of the starts not drawn bold.
FAINT_RUN_CSS = "#7a8794"


def off_chart_first(
    series: Sequence[Sequence[float]],
) -> tuple[list[list[float]], list[float]]:
    """Leave off first iterations that would flatten the chart.

    With k-means++ initialisation (scikit-learn's semantics) every component
    starts on a single point with covariance ``reg_covar``, so the first
    E-step's log-likelihood per point can be around -1e6 while every later
    one is near -5: drawn to scale, the climb that matters is a flat line.
    A first value far below the range of all later values is replaced by NaN
    (a gap); :func:`simapp.text.loglik.off_chart_note` says why.

    Parameters
    ----------
    series : sequence of sequences of float
        Per start, log-likelihood per point after each iteration.

    Returns
    -------
    shown : list of list of float
        Same shape, outlying first values replaced by NaN.
    hidden : list of float
        The values replaced, in start order (empty when none was).
    """
    runs = [[float(v) for v in s] for s in series]
    rest = [v for r in runs for v in r[1:] if math.isfinite(v)]
    if not rest:
        return runs, []
    lo, hi = min(rest), max(rest)
    limit = lo - 3.0 * max(hi - lo, 1e-3 * max(1.0, abs(lo)))
    hidden = []
    for r in runs:
        if r and math.isfinite(r[0]) and r[0] < limit:
            hidden.append(r[0])
            r[0] = math.nan
    return runs, hidden


def draw_loglik_chart(
    ctx: Any,
    width: float,
    height: float,
    series: Sequence[Sequence[float]],
    best: int | None = None,
    max_iter: int | None = None,
    dpr: float = 1.0,
    marker: float | None = None,
    look: ChartLook = LIGHT,
) -> ChartFrame | None:
    """Per-sample log-likelihood against EM iteration, one line per start.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels; the whole canvas is redrawn.
    series : sequence of sequences of float
        ``series[r][t]`` is the mean log-likelihood per point of start ``r``
        after iteration ``t + 1``. Runs may have different lengths (still
        running, or converged early); NaN/None values are gaps.
    best : int, optional
        Index of the run to draw bold (the current or best start); the others
        are faint.
    max_iter : int, optional
        Iteration cap; the x axis spans at least ``min(max_iter, 10)``
        iterations so early frames are not stretched, and a dashed line marks
        the cap when it is in view.
    dpr : float, default 1
        ``devicePixelRatio`` for text and line sizes.
    marker : float, optional
        The timeline's iteration: a vertical line marks it (clamped to the x
        axis; iteration 0, the initial parameters, sits at its left).
    look : ChartLook, default LIGHT
        The theme's colours (:mod:`simapp.charts.look`).

    Returns
    -------
    ChartFrame or None
        The value-to-pixel map used, or ``None`` when the empty state was drawn.
    """
    runs = [as_float_array(s) for s in (series or ())]
    finite = [r[np.isfinite(r)] for r in runs]
    if not any(f.size for f in finite):
        draw_empty(ctx, width, height, dpr, words.EMPTY, look)
        return None
    longest = max(r.size for r in runs)
    floor_iters = min(int(max_iter), 10) if max_iter else 2
    x_ticks = nice_ticks(
        1,
        max(longest, floor_iters, 2),
        max_ticks(width - 76 * dpr, dpr, 60),
        extend=True,
        min_step=1,
    )
    frame = chart_axes(
        ctx,
        width,
        height,
        dpr,
        x_ticks,
        (x_ticks[0], x_ticks[-1]),
        np.concatenate([f for f in finite if f.size]),
        (words.X_TITLE, words.Y_TITLE),
        look=look,
    )
    ctx.save()
    set_dash(ctx, [])
    ctx.lineJoin = "round"
    _draw_guides(ctx, frame, max_iter, marker, dpr, look.guide)
    _draw_runs(ctx, frame, runs, best, dpr)
    ctx.restore()
    return frame


def _draw_guides(
    ctx: Any, frame: ChartFrame, max_iter: int | None, marker, dpr: float, guide: str
) -> None:
    """The iteration cap (dashed) and the timeline's iteration (solid)."""
    if max_iter and frame.x_lo <= max_iter <= frame.x_hi:
        ctx.strokeStyle = guide
        ctx.lineWidth = 1 * dpr
        set_dash(ctx, [4 * dpr, 4 * dpr])
        x = float(frame.x_px(max_iter))
        line(ctx, x, frame.top, x, frame.bottom)
        set_dash(ctx, [])
    if marker is not None and math.isfinite(float(marker)):
        ctx.strokeStyle = palette.HEX[0]
        ctx.lineWidth = 2 * dpr
        at = min(max(float(marker), frame.x_lo), frame.x_hi)
        x = float(frame.x_px(at))
        line(ctx, x, frame.top, x, frame.bottom)


def _draw_runs(
    ctx: Any, frame: ChartFrame, runs: list[np.ndarray], best: int | None, dpr: float
) -> None:
    """Every start faint, then ``best`` bold with a dot at its latest value."""
    bold = best if best is not None and 0 <= best < len(runs) else None
    for i, r in enumerate(runs):
        if i == bold or r.size == 0:
            continue
        ctx.globalAlpha = 0.45
        ctx.strokeStyle = FAINT_RUN_CSS
        ctx.lineWidth = 1.25 * dpr
        polyline(ctx, frame.x_px(np.arange(1, r.size + 1)), frame.y_px(r))
    ctx.globalAlpha = 1.0
    if bold is None or not runs[bold].size:
        return
    r = runs[bold]
    xs, ys = frame.x_px(np.arange(1, r.size + 1)), frame.y_px(r)
    ctx.strokeStyle = palette.HEX[0]
    ctx.lineWidth = 2.5 * dpr
    polyline(ctx, xs, ys)
    ok = np.flatnonzero(np.isfinite(ys))
    if ok.size:
        ctx.fillStyle = palette.HEX[0]
        ctx.beginPath()
        ctx.arc(float(xs[ok[-1]]), float(ys[ok[-1]]), 3.5 * dpr, 0, TAU)
        ctx.fill()
