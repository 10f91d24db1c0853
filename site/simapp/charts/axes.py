"""Axes, ticks, frames, legends and empty states shared by the charts.

Coordinates are canvas device pixels with an identity transform (see
:mod:`simapp.charts.viewport`); ``dpr`` only scales text, line widths and
markers. Data charts (the scatter, the k-means panel) frame a
:class:`~simapp.charts.viewport.Viewport` with :func:`draw_axes`; value
charts (log-likelihood, AIC/BIC, comparison) map their ranges with a
:class:`ChartFrame` from :func:`chart_axes`, and the criterion charts put
their legend in a band above the plot (:func:`legend_layout`), where no line
can run.

Examples
--------
>>> frame = ChartFrame(10.0, 0.0, 110.0, 100.0, 0.0, 1.0, -1.0, 1.0)
>>> float(frame.x_px(0.5)), float(frame.y_px(1.0))
(60.0, 0.0)
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simapp.charts.look import LIGHT, ChartLook
from simapp.charts.marks import font, line, marker, set_dash
from simapp.charts.viewport import Viewport, format_ticks, nice_ticks

__all__ = [
    "TITLED_MARGINS",
    "ChartFrame",
    "LegendEntry",
    "LegendLayout",
    "chart_axes",
    "draw_axes",
    "draw_current_k",
    "draw_empty",
    "draw_legend",
    "k_axes",
    "label_font_css",
    "legend_entry_width",
    "legend_layout",
]

#: Viewport margins (left, right, top, bottom; CSS px) of a data chart whose axes
#: carry titles: tick labels plus a title line below and to the left.
TITLED_MARGINS: tuple[float, float, float, float] = (54.0, 10.0, 10.0, 42.0)
#: Font size (CSS px) of a criterion chart's legend, its swatch's line length
#: and the height of one legend row.
LEGEND_FONT_CSS = 11.5
SWATCH_CSS = 22.0
LEGEND_ROW_CSS = 16.0

Rect = tuple[float, float, float, float]


def _tick_pairs(positions: Any, ticks: list[float]) -> list[tuple[float, str]]:
    """(pixel position, label) for each tick."""
    pos = np.asarray(positions, dtype=np.float64).reshape(-1)
    return list(zip(pos.tolist(), format_ticks(ticks), strict=True))


def label_font_css(width: float, dpr: float) -> float:
    """Tick-label size (CSS px) of a data chart ``width`` device pixels wide:
    11 up to 600 CSS px, one more per 100 CSS px after, at most 13.

    >>> label_font_css(550, 1.0), label_font_css(1400, 2.0), label_font_css(900, 1.0)
    (11.0, 12.0, 13.0)
    """
    return 11.0 + min(2.0, max(0.0, (width / dpr - 600.0) / 100.0))


def max_ticks(length_px: float, dpr: float, spacing_css: float) -> int:
    """How many ticks fit along ``length_px`` at ``spacing_css`` apart (2-10)."""
    return max(2, min(10, int(length_px / (spacing_css * dpr)) + 1))


def draw_axes(
    ctx: Any,
    view: Viewport,
    *,
    grid: bool = True,
    font_css: float | None = None,
    tick_spacing_css: float = 70.0,
    titles: tuple[str, str] | None = None,
    look: ChartLook = LIGHT,
) -> None:
    """Frame, ticks, tick labels, optional grid and titles of a data chart.

    Parameters
    ----------
    ctx : canvas 2D context
    view : Viewport
        Ticks follow ``view.data_bounds``; labels go into the view's margins.
    grid : bool, default True
        Faint grid lines at the ticks (drawn over the scatter, so very light).
    font_css : float, optional
        Label size in CSS pixels; by default :func:`label_font_css` of the
        canvas width (larger on a large chart).
    tick_spacing_css : float, default 70
        Approximate minimum distance between ticks, in CSS pixels.
    titles : (str, str), optional
        x and y axis titles, drawn in the margins below and left of the plot
        (build the view with :data:`TITLED_MARGINS` to leave room for them).
    look : ChartLook, default LIGHT
        The colours (:mod:`simapp.charts.look`).
    """
    dpr = view.dpr
    if font_css is None:
        font_css = label_font_css(view.width, dpr)
    x0, x1, y0, y1 = view.data_bounds
    xt = nice_ticks(x0, x1, max_ticks(view.right - view.left, dpr, tick_spacing_css))
    yt = nice_ticks(y0, y1, max_ticks(view.bottom - view.top, dpr, tick_spacing_css))
    xs = view.to_px(np.column_stack([xt, np.full(len(xt), view.cy)]))[:, 0]
    ys = view.to_px(np.column_stack([np.full(len(yt), view.cx), yt]))[:, 1]
    rect = (view.left, view.top, view.right, view.bottom)
    _draw_frame(
        ctx,
        rect,
        _tick_pairs(xs, xt),
        _tick_pairs(ys, yt),
        dpr,
        grid=grid,
        font_css=font_css,
        look=look,
    )
    if titles is not None:
        _draw_axis_titles(ctx, rect, titles, dpr, view.height, font_css + 1, look)


def _draw_frame(
    ctx: Any,
    rect: Rect,
    xticks: list[tuple[float, str]],
    yticks: list[tuple[float, str]],
    dpr: float,
    *,
    grid: bool,
    font_css: float,
    look: ChartLook,
) -> None:
    left, top, right, bottom = rect
    tick = 4 * dpr
    ctx.save()
    set_dash(ctx, [])
    if grid:
        ctx.strokeStyle = look.grid
        ctx.lineWidth = 1 * dpr
        ctx.beginPath()
        for x, _ in xticks:
            ctx.moveTo(x, top)
            ctx.lineTo(x, bottom)
        for y, _ in yticks:
            ctx.moveTo(left, y)
            ctx.lineTo(right, y)
        ctx.stroke()
    ctx.strokeStyle = look.ink
    ctx.fillStyle = look.ink
    ctx.lineWidth = 1 * dpr
    ctx.beginPath()
    ctx.moveTo(left, top)
    ctx.lineTo(left, bottom)
    ctx.lineTo(right, bottom)
    for x, _ in xticks:
        ctx.moveTo(x, bottom)
        ctx.lineTo(x, bottom + tick)
    for y, _ in yticks:
        ctx.moveTo(left, y)
        ctx.lineTo(left - tick, y)
    ctx.stroke()
    ctx.font = font(font_css, dpr)
    ctx.textAlign = "center"
    ctx.textBaseline = "top"
    for x, label in xticks:
        ctx.fillText(label, x, bottom + tick + 2 * dpr)
    ctx.textAlign = "right"
    ctx.textBaseline = "middle"
    for y, label in yticks:
        ctx.fillText(label, left - tick - 3 * dpr, y)
    ctx.restore()


def _draw_axis_titles(
    ctx: Any,
    rect: Rect,
    titles: tuple[str, str],
    dpr: float,
    height: float | None = None,
    font_css: float = 12.0,
    look: ChartLook = LIGHT,
) -> None:
    """x title under the tick labels, y title rotated left of them; both
    centred on the plot (the x title kept inside a canvas ``height`` tall)."""
    left, top, right, bottom = rect
    ctx.save()
    ctx.fillStyle = look.ink
    ctx.font = font(font_css, dpr)
    ctx.textAlign = "center"
    ctx.textBaseline = "bottom"
    y = bottom + 38 * dpr
    if height is not None:
        y = min(y, height - 2 * dpr)
    ctx.fillText(titles[0], (left + right) / 2, y)
    ctx.translate(14 * dpr, (top + bottom) / 2)
    ctx.rotate(-math.pi / 2)
    ctx.textBaseline = "middle"
    ctx.fillText(titles[1], 0, 0)
    ctx.restore()


def draw_empty(
    ctx: Any,
    width: float,
    height: float,
    dpr: float,
    message: str,
    look: ChartLook = LIGHT,
) -> None:
    """Clear the canvas and centre a short hint (the chart's empty state),
    wrapped onto as many lines as a narrow canvas needs."""
    ctx.clearRect(0, 0, width, height)
    ctx.save()
    ctx.fillStyle = look.muted
    ctx.font = font(13, dpr)
    ctx.textAlign = "center"
    ctx.textBaseline = "middle"
    # about 0.56 em a character (as legend_entry_width), 16 px side margins
    per_line = max(8, int((width - 32 * dpr) / (0.56 * 13 * dpr)))
    lines = textwrap.wrap(message, per_line) or [""]
    step = 18 * dpr
    top = height / 2 - step * (len(lines) - 1) / 2
    for i, text in enumerate(lines):
        ctx.fillText(text, width / 2, top + i * step)
    ctx.restore()


@dataclass(frozen=True)
class ChartFrame:
    """Linear map of a chart's value ranges onto its plot rectangle.

    Attributes
    ----------
    left, top, right, bottom : float
        Plot rectangle in device pixels.
    x_lo, x_hi, y_lo, y_hi : float
        Value range shown (``y_hi`` at the top).
    """

    left: float
    top: float
    right: float
    bottom: float
    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float

    def x_px(self, x: float | np.ndarray) -> float | np.ndarray:
        """Pixel x of value ``x``."""
        return self.left + (x - self.x_lo) / (self.x_hi - self.x_lo) * (
            self.right - self.left
        )

    def y_px(self, y: float | np.ndarray) -> float | np.ndarray:
        """Pixel y of value ``y`` (larger values higher up)."""
        return self.bottom - (y - self.y_lo) / (self.y_hi - self.y_lo) * (
            self.bottom - self.top
        )


def _chart_rect(width: float, height: float, dpr: float, top: float | None) -> Rect:
    # Room for y tick labels + rotated axis title on the left, x labels below;
    # ``top`` (device px) leaves a band above the plot for a legend.
    top = 12 * dpr if top is None else top
    return (62 * dpr, top, width - 14 * dpr, height - 40 * dpr)


def chart_axes(
    ctx: Any,
    width: float,
    height: float,
    dpr: float,
    x_ticks: list[float],
    x_range: tuple[float, float],
    y_values: np.ndarray,
    titles: tuple[str, str],
    top: float | None = None,
    look: ChartLook = LIGHT,
) -> ChartFrame:
    """Clear the canvas and draw a value chart's frame, grid, ticks and titles.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels.
    dpr : float
    x_ticks : list of float
        Ticks of the x axis, inside ``x_range``.
    x_range : (float, float)
        Values at the plot's left and right edges.
    y_values : ndarray of shape (n,)
        Finite values the y axis must cover (its ticks extend past them).
    titles : (str, str)
        x and y axis titles.
    top : float, optional
        Top of the plot in device pixels (below a legend band).
    look : ChartLook, default LIGHT

    Returns
    -------
    ChartFrame
        The value-to-pixel map of the plot rectangle.
    """
    y_ticks = nice_ticks(
        float(y_values.min()),
        float(y_values.max()),
        max_ticks(height - 40 * dpr - (12 * dpr if top is None else top), dpr, 36),
        extend=True,
    )
    rect = _chart_rect(width, height, dpr, top)
    frame = ChartFrame(*rect, x_range[0], x_range[1], y_ticks[0], y_ticks[-1])
    ctx.clearRect(0, 0, width, height)
    _draw_frame(
        ctx,
        rect,
        _tick_pairs(frame.x_px(np.asarray(x_ticks)), x_ticks),
        _tick_pairs(frame.y_px(np.asarray(y_ticks)), y_ticks),
        dpr,
        grid=True,
        font_css=11,
        look=look,
    )
    _draw_axis_titles(ctx, rect, titles, dpr, look=look)
    return frame


def k_axes(
    ctx: Any,
    width: float,
    height: float,
    dpr: float,
    ks: tuple[float, float],
    values: np.ndarray,
    titles: tuple[str, str],
    top: float | None = None,
    look: ChartLook = LIGHT,
) -> ChartFrame:
    """:func:`chart_axes` of a criterion against K from ``ks = (k_lo, k_hi)``
    (one tick per whole K at most, half a K of room at either end)."""
    k_lo, k_hi = ks
    x_ticks = nice_ticks(k_lo, k_hi, max_ticks(width - 76 * dpr, dpr, 28), min_step=1)
    return chart_axes(
        ctx,
        width,
        height,
        dpr,
        x_ticks,
        (k_lo - 0.5, k_hi + 0.5),
        values,
        titles,
        top,
        look,
    )


def draw_current_k(
    ctx: Any, frame: ChartFrame, k: int | None, dpr: float, look: ChartLook = LIGHT
) -> None:
    """A dashed vertical line at the K chosen in the controls (if in view)."""
    if k is None or not frame.x_lo <= k <= frame.x_hi:
        return
    ctx.strokeStyle = look.guide
    ctx.lineWidth = 1 * dpr
    set_dash(ctx, [3 * dpr, 3 * dpr])
    x = float(frame.x_px(k))
    line(ctx, x, frame.top, x, frame.bottom)


# ------------------------------------------------------------------ legend
@dataclass(frozen=True)
class LegendLayout:
    """Where a criterion chart's legend goes: a band above the plot, outside it.

    Attributes
    ----------
    entries : tuple of (float, float)
        Per entry, the right end ``x`` of its swatch line and the ``y`` of
        its middle (device pixels); the label is right-aligned before it.
    plot_top : float
        Top of the plot rectangle, below the legend's band.
    """

    entries: tuple[tuple[float, float], ...]
    plot_top: float

    def boxes(self, widths: Sequence[float]) -> list[Rect]:
        """``(left, top, right, bottom)`` of each entry, given its width."""
        half = LEGEND_ROW_CSS / 2
        return [
            (x - w, y - half, x, y + half)
            for (x, y), w in zip(self.entries, widths, strict=True)
        ]


def legend_entry_width(label: str, dpr: float = 1.0) -> float:
    """Estimated width (device px) of one legend entry: label, gap, swatch."""
    return (len(label) * 0.56 * LEGEND_FONT_CSS + 8 + SWATCH_CSS) * dpr


def legend_layout(
    width: float, labels: Sequence[str], dpr: float = 1.0
) -> LegendLayout:
    """Place a criterion chart's legend above the plot, where no line can run.

    Entries fill rows in reading order, as many per row as fit between the
    plot's left and right edges, each row right-aligned; the plot rectangle
    starts below the last row, so the legend never covers a curve. Used by
    the AIC/BIC chart and the comparison chart.

    Parameters
    ----------
    width : float
        Canvas width in device pixels.
    labels : sequence of str
        The entries' texts, e.g. ``["AIC: min at K=3", "BIC: min at K=2"]``.
    dpr : float, default 1

    Returns
    -------
    LegendLayout

    Examples
    --------
    >>> lay = legend_layout(600, ["AIC: min at K=3", "BIC: min at K=2"])
    >>> [y for _, y in lay.entries], lay.plot_top
    ([10.0, 10.0], 22.0)
    >>> [y for _, y in legend_layout(300, ["AIC: min at K=3"] * 2).entries]
    [10.0, 26.0]
    """
    left, _, right, _ = _chart_rect(width, 1e9, dpr, None)
    right -= 6 * dpr
    widths = [legend_entry_width(label, dpr) for label in labels]
    gap = 16 * dpr
    rows: list[list[int]] = []
    used = math.inf
    for i, w in enumerate(widths):
        if rows and used + gap + w <= right - left:
            rows[-1].append(i)
            used += gap + w
        else:
            rows.append([i])
            used = w
    entries: list[tuple[float, float]] = [(0.0, 0.0)] * len(widths)
    for r, row in enumerate(rows):
        y = (10 + LEGEND_ROW_CSS * r) * dpr
        x = right
        for i in reversed(row):
            entries[i] = (x, y)
            x -= widths[i] + gap
    return LegendLayout(tuple(entries), (6 + LEGEND_ROW_CSS * max(len(rows), 1)) * dpr)


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry: its text and the style of the line it names.

    Attributes
    ----------
    label : str
    colour : str
        CSS colour of the line and marker.
    dash : tuple of float
        Dash pattern in device pixels (empty: solid).
    shape : str
        Marker shape (:data:`simapp.charts.marks.MARKERS`).
    radius : float
        Marker half-size in device pixels.
    """

    label: str
    colour: str
    dash: tuple[float, ...]
    shape: str
    radius: float


def draw_legend(
    ctx: Any,
    layout: LegendLayout,
    entries: Sequence[LegendEntry],
    dpr: float,
    look: ChartLook = LIGHT,
) -> None:
    """Draw each entry where ``layout`` put it: label, swatch line, marker."""
    ctx.font = font(LEGEND_FONT_CSS, dpr)
    ctx.textAlign = "right"
    ctx.textBaseline = "middle"
    line_len = SWATCH_CSS * dpr
    for (x_end, y), entry in zip(layout.entries, entries, strict=True):
        ctx.fillStyle = look.ink
        ctx.fillText(entry.label, x_end - line_len - 8 * dpr, y)
        ctx.strokeStyle = entry.colour
        ctx.fillStyle = entry.colour
        ctx.lineWidth = 2 * dpr
        set_dash(ctx, entry.dash)
        line(ctx, x_end - line_len, y, x_end, y)
        set_dash(ctx, [])
        marker(ctx, entry.shape, x_end - line_len / 2, y, entry.radius)
