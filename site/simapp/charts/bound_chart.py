"""The bound panel: log L and the lower bound at every half-step of EM, the
gap between them shaded.

The x axis counts iterations: iteration ``t``'s E-step sits at ``t - 1/2``,
its M-step at ``t``. After each E-step the bound touches log L; after each
M-step both have risen and the gap (the KL divergence) has reopened, so the
bound climbs in a saw-tooth under a log L that never goes down.

Examples
--------
>>> shown, hidden = off_chart([-1e9, -20.0, -20.0, -10.0], [-1e9, -25.0, -20.0, -12.0])
>>> shown[0][0] != shown[0][0], shown[1][1:], hidden
(True, [-25.0, -20.0, -12.0], [-1000000000.0, -1000000000.0])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from simapp.charts import palette
from simapp.charts.axes import (
    ChartFrame,
    LegendEntry,
    chart_axes,
    draw_empty,
    draw_legend,
    legend_layout,
    max_ticks,
)
from simapp.charts.marks import TAU, line, polyline, set_dash
from simapp.charts.viewport import nice_ticks
from simapp.text import bound as words

__all__ = [
    "BOUND_CSS",
    "GAP_CSS",
    "LOGLIK_CSS",
    "draw_bound_chart",
    "half_step_x",
    "off_chart",
]

#: Colours of the log-likelihood, the bound and the shaded gap.
LOGLIK_CSS = palette.HEX[0]
BOUND_CSS = palette.HEX[1]
GAP_CSS = "rgba(230, 159, 0, 0.25)"


def half_step_x(iteration: int, step: str) -> float:
    """Where a half-step sits on the x axis: ``t - 0.5`` for iteration
    ``t``'s E-step, ``t`` for its M-step."""
    return float(iteration) - (0.5 if step == "E" else 0.0)


def off_chart(
    loglik: Sequence[float], bound: Sequence[float]
) -> tuple[tuple[list[float], list[float]], list[float]]:
    """Leave off the first half-steps that would flatten the chart.

    k-means++ starts every component on a single point, so log L at the
    initial parameters (the first E-step's value, where the bound touches
    it) can be a million times the final one: drawn to scale, the climb
    that matters is a flat line. Values of the first two half-steps far
    below the range of all later ones become NaN (gaps);
    :func:`simapp.text.bound.off_chart_note` says why.

    Parameters
    ----------
    loglik, bound : sequence of float
        One value per half-step, E and M alternating.

    Returns
    -------
    (loglik, bound) : (list of float, list of float)
        The same values, the outlying first ones replaced by NaN.
    hidden : list of float
        The log-likelihoods and bounds replaced (empty when none was).
    """
    curves = [[float(v) for v in loglik], [float(v) for v in bound]]
    rest = [v for c in curves for v in c[2:] if math.isfinite(v)]
    if not rest:
        return (curves[0], curves[1]), []
    lo, hi = min(rest), max(rest)
    limit = lo - 3.0 * max(hi - lo, 1e-3 * max(1.0, abs(lo)))
    hidden = []
    for c in curves:
        for i in range(min(2, len(c))):
            if math.isfinite(c[i]) and c[i] < limit:
                hidden.append(c[i])
                c[i] = math.nan
    return (curves[0], curves[1]), hidden


def draw_bound_chart(
    ctx: Any,
    width: float,
    height: float,
    steps: Sequence[dict],
    dpr: float = 1.0,
    current: int | None = None,
    window: int | None = None,
) -> ChartFrame | None:
    """log L and the bound after every half-step, the gap shaded.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels; the whole canvas is redrawn.
    steps : sequence of dict
        :func:`simapp.run.bound.series_records`: ``iteration``, ``step``,
        ``loglik``, ``bound``, ``gap`` per half-step, in order.
    dpr : float, default 1
    current : int, optional
        Index into ``steps`` of the half-step the timeline shows: a vertical
        line and dots on both curves mark it.
    window : int, optional
        With ``current``: show only the half-steps at most ``window`` away
        from it, on axes fitted to them. Near convergence the gap is a
        millionth of the climb so far; zoomed in, every half-step's touch
        and climb shows.

    Returns
    -------
    ChartFrame or None
        The value-to-pixel map, or None when the empty state was drawn.
    """
    (loglik, bound), _ = off_chart(
        [s["loglik"] for s in steps], [s["bound"] for s in steps]
    )
    lo, hi = 0, len(steps)
    if current is not None and window is not None and 0 <= current < hi:
        lo, hi = max(0, current - window), min(hi, current + window + 1)
        current -= lo
    ll = np.array(loglik[lo:hi], dtype=float)
    lb = np.array(bound[lo:hi], dtype=float)
    finite = np.concatenate([ll[np.isfinite(ll)], lb[np.isfinite(lb)]])
    if not finite.size:
        draw_empty(ctx, width, height, dpr, words.EMPTY)
        return None
    xs_val = np.array([half_step_x(s["iteration"], s["step"]) for s in steps[lo:hi]])
    first = 0.0 if lo == 0 else float(np.floor(xs_val.min()))
    last = max(float(xs_val.max()), first + 2.0)
    x_ticks = nice_ticks(
        first, last, max_ticks(width - 76 * dpr, dpr, 60), extend=True, min_step=1
    )
    labels = (words.LOGLIK_LABEL, words.BOUND_LABEL)
    legend = legend_layout(width, labels, dpr)
    frame = chart_axes(
        ctx,
        width,
        height,
        dpr,
        x_ticks,
        (x_ticks[0], x_ticks[-1]),
        finite,
        (words.X_TITLE, words.Y_TITLE),
        legend.plot_top,
    )
    xs, y_ll, y_lb = frame.x_px(xs_val), frame.y_px(ll), frame.y_px(lb)
    ctx.save()
    set_dash(ctx, [])
    ctx.lineJoin = "round"
    _shade_gap(ctx, xs, y_ll, y_lb)
    ctx.lineWidth = 2 * dpr
    ctx.strokeStyle = BOUND_CSS
    set_dash(ctx, [6 * dpr, 4 * dpr])
    polyline(ctx, xs, y_lb)
    set_dash(ctx, [])
    ctx.strokeStyle = LOGLIK_CSS
    ctx.lineWidth = 2.5 * dpr
    polyline(ctx, xs, y_ll)
    if current is not None and 0 <= current < len(xs):
        _mark(ctx, frame, float(xs[current]), (y_ll[current], y_lb[current]), dpr)
    entries = [
        LegendEntry(labels[0], LOGLIK_CSS, (), "circle", 3 * dpr),
        LegendEntry(labels[1], BOUND_CSS, (6 * dpr, 4 * dpr), "circle", 3 * dpr),
    ]
    draw_legend(ctx, legend, entries, dpr)
    ctx.restore()
    return frame


def _shade_gap(ctx: Any, xs: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> None:
    """Fill the band between the curves, one quadrilateral per pair of
    consecutive half-steps drawn on the chart."""
    ctx.fillStyle = GAP_CSS
    ok = np.isfinite(top) & np.isfinite(bottom)
    for i in range(len(xs) - 1):
        if not (ok[i] and ok[i + 1]):
            continue
        ctx.beginPath()
        ctx.moveTo(float(xs[i]), float(top[i]))
        ctx.lineTo(float(xs[i + 1]), float(top[i + 1]))
        ctx.lineTo(float(xs[i + 1]), float(bottom[i + 1]))
        ctx.lineTo(float(xs[i]), float(bottom[i]))
        ctx.closePath()
        ctx.fill()


def _mark(ctx: Any, frame: ChartFrame, x: float, ys, dpr: float) -> None:
    """The timeline's half-step: a vertical line, a dot on each curve."""
    ctx.strokeStyle = "rgba(0, 0, 0, 0.45)"
    ctx.lineWidth = 1 * dpr
    line(ctx, x, frame.top, x, frame.bottom)
    for y, colour in zip(ys, (LOGLIK_CSS, BOUND_CSS), strict=True):
        if math.isfinite(float(y)):
            ctx.fillStyle = colour
            ctx.beginPath()
            ctx.arc(x, float(y), 4 * dpr, 0, TAU)
            ctx.fill()
