"""The bound panel: log L and the lower bound at every half-step of EM, the
gap between them shaded.

The x axis counts iterations: iteration ``t``'s E-step sits at ``t - 1/2``,
its M-step at ``t``. After each E-step the bound touches log L; after each
M-step both have risen and the gap (the KL divergence) has reopened, so the
bound climbs in a saw-tooth under a log L that never goes down.

:func:`draw_bound_path_chart` draws one iteration the other way (Bishop,
PRML figure 9.14): log L and the bound ``L(q_t, theta(s))`` against the
position ``s`` on a path from ``theta_{t-1}`` (``s = 0``, where the bound
touches log L) to ``theta_t`` (``s = 1``, the bound's maximum), with a
labelled vertical guide at each.

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
    draw_empty,
    draw_legend,
    line_chart_axes,
)
from simapp.charts.marks import TAU, font, line, polyline, set_dash
from simapp.text import bound as words

__all__ = [
    "BOUND_CSS",
    "GAP_CSS",
    "GUIDE_CSS",
    "LOGLIK_CSS",
    "draw_bound_chart",
    "draw_bound_path_chart",
    "path_floor",
    "half_step_x",
    "off_chart",
]

#: Colours of the log-likelihood, the bound and the shaded gap.
LOGLIK_CSS = palette.HEX[0]
BOUND_CSS = palette.HEX[1]
GAP_CSS = "rgba(230, 159, 0, 0.25)"
#: The path chart's guides at s = 0 and s = 1, and their labels.
GUIDE_CSS = "rgba(0, 0, 0, 0.6)"


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
    frame, legend = line_chart_axes(
        ctx,
        width,
        height,
        dpr,
        (first, last),
        finite,
        (words.X_TITLE, words.Y_TITLE),
        labels=(words.LOGLIK_LABEL, words.BOUND_LABEL),
        whole=True,
    )
    xs, y_ll, y_lb = frame.x_px(xs_val), frame.y_px(ll), frame.y_px(lb)
    ctx.save()
    set_dash(ctx, [])
    ctx.lineJoin = "round"
    _shade_gap(ctx, xs, y_ll, y_lb)
    _draw_curves(ctx, xs, y_ll, y_lb, dpr)
    if current is not None and 0 <= current < len(xs):
        _mark(ctx, frame, float(xs[current]), (y_ll[current], y_lb[current]), dpr)
    draw_legend(ctx, legend, _legend_entries(dpr), dpr)
    ctx.restore()
    return frame


def _draw_curves(
    ctx: Any, xs: np.ndarray, y_ll: np.ndarray, y_lb: np.ndarray, dpr: float
) -> None:
    """The bound dashed, then log L solid over it."""
    ctx.lineWidth = 2 * dpr
    ctx.strokeStyle = BOUND_CSS
    set_dash(ctx, [6 * dpr, 4 * dpr])
    polyline(ctx, xs, y_lb)
    set_dash(ctx, [])
    ctx.strokeStyle = LOGLIK_CSS
    ctx.lineWidth = 2.5 * dpr
    polyline(ctx, xs, y_ll)


def _legend_entries(dpr: float) -> list[LegendEntry]:
    """The legend of both log L and bound charts, styled as :func:`_draw_curves`."""
    return [
        LegendEntry(words.LOGLIK_LABEL, LOGLIK_CSS, (), "circle", 3 * dpr),
        LegendEntry(
            words.BOUND_LABEL, BOUND_CSS, (6 * dpr, 4 * dpr), "circle", 3 * dpr
        ),
    ]


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


def path_floor(s: Sequence[float], loglik: Sequence[float], bound: Sequence[float]):
    """The lowest value the path chart shows: three spans of the values at
    ``s = 0`` and ``s = 1`` below their minimum.

    Away from the ends the bound can fall steeply (quadratically in a mean,
    faster in a variance, without limit where the path passes near a
    singular covariance, as from k-means++'s point-sized first components):
    drawn to scale, the part that matters, the touch and the top, would be
    a flat line. Values below the floor are left off; a parabola with its
    top at ``s = 1`` keeps its whole range from -0.5 to 1.5.
    """
    s = np.asarray(s, dtype=float)
    both = np.concatenate([np.asarray(loglik, float), np.asarray(bound, float)])
    ends = np.concatenate([(s == 0) | (s == 1)] * 2) & np.isfinite(both)
    if not ends.any():
        return -math.inf
    lo, hi = float(both[ends].min()), float(both[ends].max())
    return lo - 3.0 * max(hi - lo, 1e-9 * max(1.0, abs(lo)))


def draw_bound_path_chart(
    ctx: Any,
    width: float,
    height: float,
    path: dict | None,
    dpr: float = 1.0,
    empty: str = words.PATH_EMPTY,
) -> ChartFrame | None:
    """log L (solid) and the bound (dashed) along the path of one iteration.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels; the whole canvas is redrawn.
    path : dict or None
        :func:`simapp.run.bound.path_record`: ``s``, ``loglik`` and
        ``bound``, one value per point on the path; None draws the empty
        state.
    dpr : float, default 1
    empty : str, default :data:`simapp.text.bound.PATH_EMPTY`
        The empty state's message.

    Returns
    -------
    ChartFrame or None
        The value-to-pixel map, or None when the empty state was drawn.
    """
    if not path or not path["s"]:
        draw_empty(ctx, width, height, dpr, empty)
        return None
    s = np.asarray(path["s"], dtype=float)
    floor = path_floor(s, path["loglik"], path["bound"])
    ll, lb = (np.asarray(path[key], dtype=float) for key in ("loglik", "bound"))
    ll, lb = (np.where(v >= floor, v, np.nan) for v in (ll, lb))
    finite = np.concatenate([ll[np.isfinite(ll)], lb[np.isfinite(lb)]])
    if not finite.size:
        draw_empty(ctx, width, height, dpr, words.PATH_EMPTY)
        return None
    frame, legend = line_chart_axes(
        ctx,
        width,
        height,
        dpr,
        (float(s.min()), float(s.max())),
        finite,
        (words.PATH_X_TITLE, words.Y_TITLE),
        labels=(words.LOGLIK_LABEL, words.BOUND_LABEL),
    )
    xs, y_ll, y_lb = frame.x_px(s), frame.y_px(ll), frame.y_px(lb)
    ctx.save()
    set_dash(ctx, [])
    ctx.lineJoin = "round"
    _shade_gap(ctx, xs, y_ll, y_lb)
    _guides(ctx, frame, dpr)
    _draw_curves(ctx, xs, y_ll, y_lb, dpr)
    for at, ys in ((0.0, (y_ll,)), (1.0, (y_ll, y_lb))):
        hit = np.flatnonzero(s == at)
        for y, colour in zip(ys, (LOGLIK_CSS, BOUND_CSS), strict=False):
            if hit.size and math.isfinite(float(y[hit[0]])):
                ctx.fillStyle = colour
                ctx.beginPath()
                ctx.arc(float(xs[hit[0]]), float(y[hit[0]]), 4 * dpr, 0, TAU)
                ctx.fill()
    draw_legend(ctx, legend, _legend_entries(dpr), dpr)
    ctx.restore()
    return frame


def _guides(ctx: Any, frame: ChartFrame, dpr: float) -> None:
    """Dotted vertical lines at s = 0 and s = 1, labelled at the top: the
    first label right of its line, the second left of it, a row lower, so
    they never overlap."""
    ctx.save()
    ctx.strokeStyle = GUIDE_CSS
    ctx.fillStyle = GUIDE_CSS
    ctx.lineWidth = 1 * dpr
    ctx.font = font(11, dpr)
    ctx.textBaseline = "top"
    set_dash(ctx, [2 * dpr, 3 * dpr])
    rows = (
        (0.0, words.PATH_TOUCH_LABEL, "left", 4),
        (1.0, words.PATH_MAX_LABEL, "right", -4),
    )
    for row, (at, label, align, dx) in enumerate(rows):
        x = float(frame.x_px(at))
        line(ctx, x, frame.top, x, frame.bottom)
        ctx.textAlign = align
        ctx.fillText(label, x + dx * dpr, frame.top + (4 + 15 * row) * dpr)
    ctx.restore()


def draw_elbo_chart(
    ctx: Any, width: float, height: float, elbo: Sequence[float], dpr: float = 1.0
) -> ChartFrame | None:
    """The Bayesian fit's ELBO after every iteration (``elbo[t - 1]`` after
    iteration ``t``), one solid curve; None when the empty state was drawn."""
    ys = np.array(elbo, dtype=float)
    finite = ys[np.isfinite(ys)]
    if not finite.size:
        draw_empty(ctx, width, height, dpr, words.EMPTY)
        return None
    xs_val = np.arange(1, len(ys) + 1, dtype=float)
    frame, legend = line_chart_axes(
        ctx,
        width,
        height,
        dpr,
        (1.0, max(float(len(ys)), 2.0)),
        finite,
        (words.ELBO_X_TITLE, words.ELBO_Y_TITLE),
        labels=(words.ELBO_LABEL,),
        whole=True,
    )
    ctx.save()
    set_dash(ctx, [])
    ctx.lineJoin = "round"
    ctx.strokeStyle = BOUND_CSS
    ctx.lineWidth = 2.5 * dpr
    polyline(ctx, frame.x_px(xs_val), frame.y_px(ys))
    entry = LegendEntry(words.ELBO_LABEL, BOUND_CSS, (), "circle", 3 * dpr)
    draw_legend(ctx, legend, [entry], dpr)
    ctx.restore()
    return frame
