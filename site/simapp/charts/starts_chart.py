"""The starts chart: every start's final log-likelihood per point, one dot each.

Which optimum each start reached is emcore's (``StartSummary.optimum``,
from ``emcore.selection.optima_groups``, the count of the local-optima
verdict); the chart stacks each optimum's starts in a column and colours
those that reached the best one; starts that did not converge reached none.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from simapp.charts.look import LIGHT, ChartLook
from simapp.charts.marks import font
from simapp.charts.viewport import format_ticks, nice_ticks
from simapp.text import starts as words

__all__ = ["BEST_CSS", "OTHER_CSS", "draw_starts_chart"]

#: Dots of the starts that reached the best optimum, and of the others.
BEST_CSS = "#1a7f37"
OTHER_CSS = "#7a8794"


def draw_starts_chart(
    ctx: Any,
    width: int,
    height: int,
    finals: Sequence[float],
    groups: Sequence[int],
    best: int,
    selected: int | None,
    dpr: float = 1.0,
    look: ChartLook = LIGHT,
) -> list[tuple[float, float]]:
    """Strip chart: one dot per start at its final log-likelihood per point.

    Starts are stacked per optimum (``groups``, one column each); starts
    that reached the best (group 0, emcore's ``best_hits``) are green, the
    others grey-blue; the best start is ringed and the selected one drawn
    larger with a dark outline.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : int
        Canvas size in device pixels; the whole canvas is redrawn.
    finals : sequence of float, shape (n_starts,)
    groups : sequence of int, shape (n_starts,)
        The optimum each start reached, 0 the best (``StartSummary.optimum``);
        -1 for a start that did not converge.
    best : int
        Index of the best start.
    selected : int or None
        Index of the start shown on the data chart.
    dpr : float, default 1
    look : ChartLook, default LIGHT
        The theme's colours (:mod:`simapp.charts.look`).

    Returns
    -------
    list of (x, y)
        Canvas pixel centre of each start's dot (for hit tests and tests).
    """
    values = np.asarray(finals, dtype=np.float64)
    ctx.clearRect(0, 0, width, height)
    if len(values) == 0:
        return []
    left, right = 18 * dpr, width - 18 * dpr
    top, bottom = 8 * dpr, height - 36 * dpr
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
    pad = max((hi - lo) * 0.08, 1e-3 * max(1.0, abs(hi)))
    lo, hi = lo - pad, hi + pad

    def x_of(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    ctx.save()
    _draw_axis(ctx, (left, right, bottom), (lo, hi), x_of, dpr, look)
    radius = 7 * dpr
    ring = radius + 4.5 * dpr  # the best start's ring
    rows = max(Counter(int(g) for g in groups).values())
    room = bottom - top - 2 * ring - 3 * dpr
    step = min(2 * ring + 1 * dpr, room / max(rows - 1, 1))
    seen: dict[int, int] = {}
    centres: list[tuple[float, float]] = []
    for i, v in enumerate(values.tolist()):
        g = int(groups[i])
        row = seen.get(g, 0)
        seen[g] = row + 1
        x = x_of(v) if math.isfinite(v) else left
        y = max(bottom - ring - 3 * dpr - row * step, top + ring)
        centres.append((float(x), float(y)))
    for i, (x, y) in enumerate(centres):
        r = radius * (1.3 if i == selected else 1.0)
        kind = (int(groups[i]) == 0, i == best, i == selected)
        _draw_dot(ctx, i, (x, y, r), kind, dpr)
    ctx.restore()
    return centres


def _draw_axis(ctx: Any, span, values, x_of, dpr: float, look: ChartLook) -> None:
    """The value axis along the bottom: line, ticks, labels and title."""
    left, right, bottom = span
    ctx.strokeStyle = look.ink
    ctx.lineWidth = 1 * dpr
    ctx.beginPath()
    ctx.moveTo(left, bottom)
    ctx.lineTo(right, bottom)
    ctx.stroke()
    ticks = nice_ticks(*values, max(2, int((right - left) / (80 * dpr)) + 1))
    ctx.fillStyle = look.ink
    ctx.font = font(10.5, dpr)
    ctx.textAlign = "center"
    ctx.textBaseline = "top"
    for t, label in zip(ticks, format_ticks(ticks), strict=True):
        x = x_of(float(t))
        if left - 1 <= x <= right + 1:
            ctx.beginPath()
            ctx.moveTo(x, bottom)
            ctx.lineTo(x, bottom + 4 * dpr)
            ctx.stroke()
            ctx.fillText(label, x, bottom + 6 * dpr)
    ctx.fillStyle = look.muted
    ctx.fillText(words.X_TITLE, (left + right) / 2, bottom + 21 * dpr)


def _draw_dot(ctx: Any, i: int, disc, kind, dpr: float) -> None:
    """Start ``i``'s numbered dot, ``disc = (x, y, radius)``; ``kind`` is
    (reached the best optimum, is the best start, is the selected start)."""
    x, y, r = disc
    hit, is_best, is_selected = kind
    ctx.fillStyle = BEST_CSS if hit else OTHER_CSS
    ctx.strokeStyle = "#ffffff"
    ctx.lineWidth = 1.5 * dpr
    ctx.beginPath()
    ctx.arc(x, y, r, 0.0, 2 * math.pi)
    ctx.fill()
    ctx.stroke()
    if is_best:
        ctx.strokeStyle = BEST_CSS
        ctx.lineWidth = 2 * dpr
        ctx.beginPath()
        ctx.arc(x, y, r + 3.5 * dpr, 0.0, 2 * math.pi)
        ctx.stroke()
    if is_selected:
        ctx.strokeStyle = "#111111"
        ctx.lineWidth = 2 * dpr
        ctx.beginPath()
        ctx.arc(x, y, r, 0.0, 2 * math.pi)
        ctx.stroke()
    ctx.fillStyle = "#ffffff"
    ctx.font = font(10, dpr, "700")
    ctx.textAlign = "center"
    ctx.textBaseline = "middle"
    ctx.fillText(str(i + 1), x, y + 0.5 * dpr)
