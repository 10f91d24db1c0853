"""Canvas drawing for the simulator: ellipses, centres, axes and charts.

Every function takes a canvas-2D-context-like ``ctx`` (duck-typed: the real
``CanvasRenderingContext2D`` proxied by Pyodide, or a recording fake in tests)
plus plain numbers and numpy arrays. Nothing here imports the browser.

Coordinates are canvas device pixels with an identity transform (see
:mod:`simapp.charts.viewport`); ``dpr`` only scales text, line widths and markers so
they look the same on every screen. The scatter itself is not drawn here: it is
rasterised by :func:`simapp.charts.raster.render_points` and put on the canvas by the
page before these vector overlays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simapp.charts import palette
from simapp.charts.viewport import Viewport, format_ticks, nice_ticks

__all__ = [
    "AIC_COLOR",
    "BIC_COLOR",
    "COMPARISON_STYLES",
    "TITLED_MARGINS",
    "ChartFrame",
    "LegendLayout",
    "draw_axes",
    "draw_comparison_chart",
    "draw_ellipses",
    "draw_empty",
    "draw_ic_chart",
    "draw_loglik_chart",
    "draw_true_centres",
    "font",
    "ic_legend_layout",
    "set_js_array_converter",
]

TAU = 2 * math.pi
AIC_COLOR = palette.HEX[1]  # orange, dashed line, circles
BIC_COLOR = palette.HEX[0]  # blue, solid line, squares
GRID_CSS = "rgba(0, 0, 0, 0.08)"
FAINT_RUN_CSS = "#7a8794"
EMPTY_CSS = "#666666"
#: Radius (CSS px) of the ring marking an AIC/BIC minimum.
MIN_RING_CSS = 8.0
#: Viewport margins (left, right, top, bottom; CSS px) of a data chart whose axes
#: carry titles: tick labels plus a title line below and to the left.
TITLED_MARGINS: tuple[float, float, float, float] = (54.0, 10.0, 10.0, 42.0)
_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# Converts a Python list for ctx.setLineDash. A Pyodide PyProxy of a list is
# iterable and accepted by the browser, but main.py may install
# ``pyodide.ffi.to_js`` here to pass a real JS array (no proxy to manage).
_js_array: Callable[[list[float]], Any] = list


def set_js_array_converter(fn: Callable[[list[float]], Any]) -> None:
    """Install the list -> JS array converter used for ``setLineDash``.

    Parameters
    ----------
    fn : callable
        E.g. ``pyodide.ffi.to_js``; the default ``list`` suits tests.
    """
    global _js_array
    _js_array = fn


def _dash(ctx: Any, pattern: Sequence[float]) -> None:
    ctx.setLineDash(_js_array([float(p) for p in pattern]))


def font(size_css: float, dpr: float, weight: str = "") -> str:
    """CSS font shorthand sized in device pixels, e.g. ``'24px system-ui...'``."""
    px = max(1, round(size_css * dpr))
    return f"{weight + ' ' if weight else ''}{px}px {_FONT_FAMILY}"


def _css(color: Any) -> str:
    """Accept a CSS string, or an RGB triple in [0, 1] (floats) / 0-255 (ints)."""
    if isinstance(color, str):
        return color
    c = np.asarray(color).reshape(-1)[:3]
    if np.issubdtype(c.dtype, np.integer) or c.max(initial=0) > 1.0:
        c = c / 255.0
    return palette.rgb_to_css(c)


def _ellipse_parts(e: Any) -> tuple[np.ndarray, np.ndarray, float] | None:
    """(center, semi_axes, angle) of an Ellipse-like object or 3-tuple.

    Returns ``None`` when any number is non-finite so a diverged component is
    skipped instead of making the canvas API throw.
    """
    if hasattr(e, "center"):
        center, axes, angle = e.center, e.semi_axes, e.angle
    else:
        center, axes, angle = e
    center = np.asarray(center, dtype=np.float64).reshape(2)
    axes = np.abs(np.asarray(axes, dtype=np.float64).reshape(2))
    angle = float(angle)
    if not (
        np.isfinite(center).all() and np.isfinite(axes).all() and math.isfinite(angle)
    ):
        return None
    return center, axes, angle


def draw_ellipses(
    ctx: Any,
    view: Viewport,
    ellipses: Sequence[Any],
    colors: Sequence[Any],
    n_std_list: Sequence[float] = (1, 2),
    *,
    line_width_css: float = 2.0,
    principal_axes: bool = True,
) -> None:
    """Draw fitted-component ellipses and their principal axes.

    Parameters
    ----------
    ctx : canvas 2D context (duck-typed)
    view : Viewport
        Data-to-pixel map of the clustering canvas.
    ellipses : sequence
        Objects with ``center`` (2,), ``semi_axes`` (2,) - the **1-sigma**
        semi-axis lengths, major first - and ``angle`` (radians, major axis
        counter-clockwise from +x in data space), or ``(center, semi_axes,
        angle)`` tuples. Non-finite entries are skipped.
    colors : sequence
        One CSS string or RGB triple per ellipse.
    n_std_list : sequence of float, default (1, 2)
        Contours to draw, in standard deviations; the first is solid and the
        others dashed.
    line_width_css : float, default 2
        Contour width in CSS pixels.
    principal_axes : bool, default True
        Also draw both principal axes, spanning the first contour.
    """
    dpr = view.dpr
    for e, color in zip(ellipses, colors, strict=False):
        parts = _ellipse_parts(e)
        if parts is None:
            continue
        center, axes, angle = parts
        cx, cy = view.to_px(center)
        css = _css(color)
        ctx.save()
        for i, n_std in enumerate(n_std_list):
            rx = float(view.length_to_px(axes[0] * n_std))
            ry = float(view.length_to_px(axes[1] * n_std))
            _dash(ctx, [] if i == 0 else [6 * dpr, 4 * dpr])
            # Canvas y points down, so a counter-clockwise data angle is a
            # clockwise canvas rotation: negate it.
            for stroke, width in (("rgba(255, 255, 255, 0.85)", 2.0), (css, 0.0)):
                ctx.strokeStyle = stroke
                ctx.beginPath()
                ctx.ellipse(cx, cy, rx, ry, -angle, 0, TAU)
                ctx.lineWidth = (
                    line_width_css * (1.0 if i == 0 else 0.75) + width
                ) * dpr
                ctx.stroke()
        if principal_axes and len(n_std_list):
            n_std = n_std_list[0]
            u = np.array([math.cos(angle), math.sin(angle)])
            v = np.array([-u[1], u[0]])
            _dash(ctx, [])
            ctx.strokeStyle = css
            ctx.lineWidth = 0.75 * line_width_css * dpr
            ctx.beginPath()
            for direction, length in ((u, axes[0]), (v, axes[1])):
                a, b = view.to_px(
                    [
                        center - direction * length * n_std,
                        center + direction * length * n_std,
                    ]
                )
                ctx.moveTo(a[0], a[1])
                ctx.lineTo(b[0], b[1])
            ctx.stroke()
        ctx.restore()


def draw_true_centres(
    ctx: Any,
    view: Viewport,
    centres: np.ndarray | Sequence[Sequence[float]],
    *,
    size_css: float = 6.0,
) -> None:
    """Mark the true cluster centres with a black cross on a white halo.

    Parameters
    ----------
    ctx : canvas 2D context
    view : Viewport
    centres : array_like, shape (k, 2)
        True means in data coordinates; non-finite rows are skipped.
    size_css : float, default 6
        Half the cross's arm length in CSS pixels.
    """
    C = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    C = C[np.isfinite(C).all(axis=1)]
    if C.shape[0] == 0:
        return
    P = view.to_px(C)
    h = size_css * view.dpr
    ctx.save()
    _dash(ctx, [])
    ctx.lineCap = "round"
    for stroke, width in (("#ffffff", 5.0), ("#000000", 2.0)):
        ctx.strokeStyle = stroke
        ctx.lineWidth = width * view.dpr
        ctx.beginPath()
        for x, y in P:
            ctx.moveTo(x - h, y - h)
            ctx.lineTo(x + h, y + h)
            ctx.moveTo(x - h, y + h)
            ctx.lineTo(x + h, y - h)
        ctx.stroke()
    ctx.restore()


def _tick_pairs(positions: Any, ticks: list[float]) -> list[tuple[float, str]]:
    """(pixel position, label) for each tick."""
    pos = np.asarray(positions, dtype=np.float64).reshape(-1)
    return list(zip(pos.tolist(), format_ticks(ticks), strict=True))


def _line(ctx: Any, x0: float, y0: float, x1: float, y1: float) -> None:
    ctx.beginPath()
    ctx.moveTo(x0, y0)
    ctx.lineTo(x1, y1)
    ctx.stroke()


def _max_ticks(length_px: float, dpr: float, spacing_css: float) -> int:
    return max(2, min(10, int(length_px / (spacing_css * dpr)) + 1))


def draw_axes(
    ctx: Any,
    view: Viewport,
    *,
    grid: bool = True,
    font_css: float = 11.0,
    tick_spacing_css: float = 70.0,
    titles: tuple[str, str] | None = None,
) -> None:
    """Frame, ticks, tick labels, optional grid and titles of a data chart.

    Parameters
    ----------
    ctx : canvas 2D context
    view : Viewport
        Ticks follow ``view.data_bounds``; labels go into the view's margins.
    grid : bool, default True
        Faint grid lines at the ticks (drawn over the scatter, so very light).
    font_css : float, default 11
        Label size in CSS pixels.
    tick_spacing_css : float, default 70
        Approximate minimum distance between ticks, in CSS pixels.
    titles : (str, str), optional
        x and y axis titles, drawn in the margins below and left of the plot
        (build the view with :data:`TITLED_MARGINS` to leave room for them).
    """
    dpr = view.dpr
    x0, x1, y0, y1 = view.data_bounds
    xt = nice_ticks(x0, x1, _max_ticks(view.right - view.left, dpr, tick_spacing_css))
    yt = nice_ticks(y0, y1, _max_ticks(view.bottom - view.top, dpr, tick_spacing_css))
    xs = view.to_px(np.column_stack([xt, np.full(len(xt), view.cy)]))[:, 0]
    ys = view.to_px(np.column_stack([np.full(len(yt), view.cx), yt]))[:, 1]
    _draw_frame(
        ctx,
        (view.left, view.top, view.right, view.bottom),
        _tick_pairs(xs, xt),
        _tick_pairs(ys, yt),
        dpr,
        grid=grid,
        font_css=font_css,
    )
    if titles is not None:
        rect = (view.left, view.top, view.right, view.bottom)
        _axis_titles(ctx, rect, titles[0], titles[1], dpr, view.height)


def _draw_frame(
    ctx: Any,
    rect: tuple[float, float, float, float],
    xticks: list[tuple[float, str]],
    yticks: list[tuple[float, str]],
    dpr: float,
    *,
    grid: bool,
    font_css: float,
) -> None:
    left, top, right, bottom = rect
    tick = 4 * dpr
    ctx.save()
    _dash(ctx, [])
    if grid:
        ctx.strokeStyle = GRID_CSS
        ctx.lineWidth = 1 * dpr
        ctx.beginPath()
        for x, _ in xticks:
            ctx.moveTo(x, top)
            ctx.lineTo(x, bottom)
        for y, _ in yticks:
            ctx.moveTo(left, y)
            ctx.lineTo(right, y)
        ctx.stroke()
    ctx.strokeStyle = palette.AXIS_CSS
    ctx.fillStyle = palette.AXIS_CSS
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


def draw_empty(
    ctx: Any,
    width: float,
    height: float,
    dpr: float = 1.0,
    message: str = "Press Simulate",
) -> None:
    """Clear the canvas and centre a short hint (the chart's empty state)."""
    ctx.clearRect(0, 0, width, height)
    ctx.save()
    ctx.fillStyle = EMPTY_CSS
    ctx.font = font(13, dpr)
    ctx.textAlign = "center"
    ctx.textBaseline = "middle"
    ctx.fillText(message, width / 2, height / 2)
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


def _chart_rect(
    width: float, height: float, dpr: float, top: float | None = None
) -> tuple[float, float, float, float]:
    # Room for y tick labels + rotated axis title on the left, x labels below;
    # ``top`` (device px) leaves a band above the plot for a legend.
    top = 12 * dpr if top is None else top
    return (62 * dpr, top, width - 14 * dpr, height - 40 * dpr)


def _axis_titles(
    ctx: Any,
    rect: tuple[float, float, float, float],
    x_title: str,
    y_title: str,
    dpr: float,
    height: float | None = None,
) -> None:
    """x title under the tick labels, y title rotated left of them; both
    centred on the plot (the x title kept inside a canvas ``height`` tall)."""
    left, top, right, bottom = rect
    ctx.save()
    ctx.fillStyle = palette.AXIS_CSS
    ctx.font = font(12, dpr)
    ctx.textAlign = "center"
    ctx.textBaseline = "bottom"
    y = bottom + 38 * dpr
    if height is not None:
        y = min(y, height - 2 * dpr)
    ctx.fillText(x_title, (left + right) / 2, y)
    ctx.translate(14 * dpr, (top + bottom) / 2)
    ctx.rotate(-math.pi / 2)
    ctx.textBaseline = "middle"
    ctx.fillText(y_title, 0, 0)
    ctx.restore()


def _as_float_array(values: Any) -> np.ndarray:
    """1-D float array with ``None`` (and anything non-numeric) as NaN."""
    out = []
    for v in values if values is not None else ():
        try:
            f = float(v) if v is not None else math.nan
        except (TypeError, ValueError):
            f = math.nan
        out.append(f)
    return np.asarray(out, dtype=np.float64)


def _polyline(ctx: Any, xs: np.ndarray, ys: np.ndarray) -> None:
    """Stroke a line through finite points, breaking it at NaN gaps."""
    ctx.beginPath()
    pen_down = False
    for x, y in zip(xs, ys, strict=True):
        if math.isfinite(x) and math.isfinite(y):
            if pen_down:
                ctx.lineTo(x, y)
            else:
                ctx.moveTo(x, y)
                pen_down = True
        else:
            pen_down = False
    ctx.stroke()


def draw_loglik_chart(
    ctx: Any,
    width: float,
    height: float,
    series: Sequence[Sequence[float]],
    best: int | None = None,
    max_iter: int | None = None,
    dpr: float = 1.0,
    marker: float | None = None,
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
        The step-through's iteration: a vertical line marks it (clamped to
        the x axis; iteration 0, the initial parameters, sits at its left).

    Returns
    -------
    ChartFrame or None
        The value-to-pixel map used, or ``None`` when the empty state was drawn.
    """
    runs = [_as_float_array(s) for s in (series or ())]
    finite = [r[np.isfinite(r)] for r in runs]
    if not any(f.size for f in finite):
        draw_empty(ctx, width, height, dpr, "Press Simulate to watch log L climb")
        return None
    longest = max(r.size for r in runs)
    floor_iters = min(int(max_iter), 10) if max_iter else 2
    x_ticks = nice_ticks(
        1,
        max(longest, floor_iters, 2),
        _max_ticks(width - 76 * dpr, dpr, 60),
        extend=True,
        min_step=1,
    )
    all_y = np.concatenate([f for f in finite if f.size])
    rect, frame = _axes(
        ctx,
        width,
        height,
        dpr,
        x_ticks,
        (x_ticks[0], x_ticks[-1]),
        all_y,
        ("iteration", "mean log-likelihood per point"),
    )

    ctx.save()
    _dash(ctx, [])
    ctx.lineJoin = "round"
    if max_iter and frame.x_lo <= max_iter <= frame.x_hi:
        ctx.strokeStyle = "rgba(0, 0, 0, 0.35)"
        ctx.lineWidth = 1 * dpr
        _dash(ctx, [4 * dpr, 4 * dpr])
        x = float(frame.x_px(max_iter))
        _line(ctx, x, frame.top, x, frame.bottom)
        _dash(ctx, [])
    if marker is not None and math.isfinite(float(marker)):
        ctx.strokeStyle = palette.HEX[0]
        ctx.lineWidth = 2 * dpr
        at = min(max(float(marker), frame.x_lo), frame.x_hi)
        x = float(frame.x_px(at))
        _line(ctx, x, frame.top, x, frame.bottom)
    bold = best if best is not None and 0 <= best < len(runs) else None
    for i, r in enumerate(runs):
        if i == bold or r.size == 0:
            continue
        ctx.globalAlpha = 0.45
        ctx.strokeStyle = FAINT_RUN_CSS
        ctx.lineWidth = 1.25 * dpr
        _polyline(ctx, frame.x_px(np.arange(1, r.size + 1)), frame.y_px(r))
    ctx.globalAlpha = 1.0
    if bold is not None and runs[bold].size:
        r = runs[bold]
        xs, ys = frame.x_px(np.arange(1, r.size + 1)), frame.y_px(r)
        ctx.strokeStyle = palette.HEX[0]
        ctx.lineWidth = 2.5 * dpr
        _polyline(ctx, xs, ys)
        ok = np.flatnonzero(np.isfinite(ys))
        if ok.size:
            ctx.fillStyle = palette.HEX[0]
            ctx.beginPath()
            ctx.arc(float(xs[ok[-1]]), float(ys[ok[-1]]), 3.5 * dpr, 0, TAU)
            ctx.fill()
    ctx.restore()
    return frame


def _marker(ctx: Any, shape: str, x: float, y: float, r: float) -> None:
    ctx.beginPath()
    if shape == "circle":
        ctx.arc(x, y, r, 0, TAU)
    else:
        ctx.moveTo(x - r, y - r)
        ctx.lineTo(x + r, y - r)
        ctx.lineTo(x + r, y + r)
        ctx.lineTo(x - r, y + r)
        ctx.closePath()
    ctx.fill()


def _axes(
    ctx: Any,
    width: float,
    height: float,
    dpr: float,
    x_ticks: list[float],
    x_range: tuple[float, float],
    y_values: np.ndarray,
    titles: tuple[str, str],
    top: float | None = None,
) -> tuple[tuple[float, float, float, float], ChartFrame]:
    """Clear the canvas and draw a chart's frame, grid, ticks and axis titles.

    The y ticks cover ``y_values``; returns the plot rectangle and the
    value-to-pixel map.
    """
    y_ticks = nice_ticks(
        float(y_values.min()),
        float(y_values.max()),
        _max_ticks(height - 40 * dpr - (12 * dpr if top is None else top), dpr, 36),
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
    )
    _axis_titles(ctx, rect, titles[0], titles[1], dpr)
    return rect, frame


def _k_axes(ctx, width, height, dpr, k_lo, k_hi, values, y_title, top=None):
    """Axes of a criterion-against-K chart (one tick per whole K at most)."""
    x_ticks = nice_ticks(k_lo, k_hi, _max_ticks(width - 76 * dpr, dpr, 28), min_step=1)
    return _axes(
        ctx,
        width,
        height,
        dpr,
        x_ticks,
        (k_lo - 0.5, k_hi + 0.5),
        values,
        ("number of components K", y_title),
        top,
    )


#: Font size (CSS px) of the AIC/BIC legend, and its swatch's line length.
_IC_LEGEND_FONT = 11.5
_IC_SWATCH = 22.0
_IC_ROW = 16.0


@dataclass(frozen=True)
class LegendLayout:
    """Where the AIC/BIC legend goes: a band above the plot, outside it.

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

    def boxes(self, widths: Sequence[float]) -> list[tuple[float, float, float, float]]:
        """``(left, top, right, bottom)`` of each entry, given its width."""
        half = _IC_ROW / 2
        return [
            (x - w, y - half, x, y + half)
            for (x, y), w in zip(self.entries, widths, strict=True)
        ]


def ic_legend_entry_width(label: str, dpr: float = 1.0) -> float:
    """Estimated width (device px) of one legend entry: label, gap, swatch."""
    return (len(label) * 0.56 * _IC_LEGEND_FONT + 8 + _IC_SWATCH) * dpr


def ic_legend_layout(
    width: float, labels: Sequence[str], dpr: float = 1.0
) -> LegendLayout:
    """Place a criterion chart's legend above the plot, where no line can run.

    Entries fill rows in reading order, as many per row as fit between the
    plot's left and right edges, each row right-aligned; the plot rectangle
    starts below the last row, so the legend never covers a curve (it used
    to sit inside the plot, over the line at K = 8). Used by the AIC/BIC
    chart and the comparison chart.

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
    >>> lay = ic_legend_layout(600, ["AIC: min at K=3", "BIC: min at K=2"])
    >>> [y for _, y in lay.entries], lay.plot_top
    ([10.0, 10.0], 22.0)
    >>> [y for _, y in ic_legend_layout(300, ["AIC: min at K=3"] * 2).entries]
    [10.0, 26.0]
    """
    left, _, right, _ = _chart_rect(width, 1e9, dpr)
    right -= 6 * dpr
    widths = [ic_legend_entry_width(label, dpr) for label in labels]
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
        y = (10 + _IC_ROW * r) * dpr
        x = right
        for i in reversed(row):
            entries[i] = (x, y)
            x -= widths[i] + gap
    return LegendLayout(tuple(entries), (6 + _IC_ROW * max(len(rows), 1)) * dpr)


def draw_ic_chart(
    ctx: Any,
    width: float,
    height: float,
    ks: Sequence[int],
    aic: Sequence[float | None],
    bic: Sequence[float | None],
    dpr: float = 1.0,
    current_k: int | None = None,
) -> tuple[int | None, int | None]:
    """AIC and BIC against the number of components, minima marked.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels; the whole canvas is redrawn.
    ks : sequence of int
        Candidate numbers of components, ascending (e.g. 1..8).
    aic, bic : sequence of float or None, same length as ``ks``
        Criterion values; NaN/None for K not computed yet (the sweep may
        arrive progressively), drawn as gaps.
    dpr : float, default 1
    current_k : int, optional
        K chosen in the controls, shown as a dashed vertical line.

    Returns
    -------
    best_aic_k, best_bic_k : int or None
        K with the smallest finite AIC / BIC (first one on ties), ``None``
        when that criterion has no finite value yet.
    """
    k_arr = np.asarray(list(ks), dtype=np.float64)
    a = _as_float_array(aic)
    b = _as_float_array(bic)
    if not (a.shape == b.shape == k_arr.shape):
        raise ValueError(
            f"ks, aic, bic lengths differ: {k_arr.size}, {a.size}, {b.size}"
        )

    def best_of(v: np.ndarray) -> int | None:
        ok = np.isfinite(v) & np.isfinite(k_arr)
        if not ok.any():
            return None
        idx = np.flatnonzero(ok)
        return int(k_arr[idx[np.argmin(v[idx])]])

    best = (best_of(a), best_of(b))
    vals = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])
    if vals.size == 0 or not np.isfinite(k_arr).any():
        draw_empty(ctx, width, height, dpr, "AIC/BIC per K appear after a run")
        return best

    k_fin = k_arr[np.isfinite(k_arr)]
    k_lo, k_hi = float(k_fin.min()), float(k_fin.max())
    labels = [
        f"{name}: min at K={k}" if k is not None else f"{name}: pending"
        for name, k in zip(("AIC", "BIC"), best, strict=True)
    ]
    legend = ic_legend_layout(width, labels, dpr)
    rect, frame = _k_axes(
        ctx,
        width,
        height,
        dpr,
        k_lo,
        k_hi,
        vals,
        "AIC or BIC (lower is better)",
        legend.plot_top,
    )

    ctx.save()
    if current_k is not None and k_lo - 0.5 <= current_k <= k_hi + 0.5:
        ctx.strokeStyle = "rgba(0, 0, 0, 0.3)"
        ctx.lineWidth = 1 * dpr
        _dash(ctx, [3 * dpr, 3 * dpr])
        x = float(frame.x_px(current_k))
        _line(ctx, x, frame.top, x, frame.bottom)
    xs = frame.x_px(k_arr)
    # Colour is doubled by dash style and marker shape for colour-blind users.
    styles = (
        ("AIC", a, AIC_COLOR, [6 * dpr, 4 * dpr], "circle", best[0]),
        ("BIC", b, BIC_COLOR, [], "square", best[1]),
    )
    for _, v, color, dash, shape, k_best in styles:
        ys = frame.y_px(v)
        ctx.strokeStyle = color
        ctx.fillStyle = color
        ctx.lineWidth = 2 * dpr
        _dash(ctx, dash)
        _polyline(ctx, xs, ys)
        _dash(ctx, [])
        for x, y in zip(xs, ys, strict=True):
            if math.isfinite(x) and math.isfinite(y):
                _marker(ctx, shape, float(x), float(y), 3.5 * dpr)
        if k_best is not None:
            i = int(np.flatnonzero(k_arr == k_best)[0])
            ctx.lineWidth = 2 * dpr
            ctx.beginPath()
            ctx.arc(float(xs[i]), float(ys[i]), MIN_RING_CSS * dpr, 0, TAU)
            ctx.stroke()

    # Legend above the plot (ic_legend_layout), naming each minimum in words.
    ctx.font = font(_IC_LEGEND_FONT, dpr)
    ctx.textAlign = "right"
    ctx.textBaseline = "middle"
    line_len = _IC_SWATCH * dpr
    for (x_end, y), label, (_, _, color, dash, shape, _) in zip(
        legend.entries, labels, styles, strict=True
    ):
        ctx.fillStyle = palette.AXIS_CSS
        ctx.fillText(label, x_end - line_len - 8 * dpr, y)
        ctx.strokeStyle = color
        ctx.fillStyle = color
        ctx.lineWidth = 2 * dpr
        _dash(ctx, dash)
        _line(ctx, x_end - line_len, y, x_end, y)
        _dash(ctx, [])
        _marker(ctx, shape, x_end - line_len / 2, y, 3 * dpr)
    ctx.restore()
    return best


# ------------------------------------------------------------- model comparison
#: Style per covariance type in the comparison chart: colour, dash (CSS px),
#: marker. Colour is doubled by dash and marker for colour-blind readers.
COMPARISON_STYLES: dict[str, tuple[str, tuple[float, ...], str]] = {
    "full": (palette.HEX[0], (), "square"),
    "tied": (palette.HEX[1], (7.0, 4.0), "circle"),
    "diag": (palette.HEX[2], (2.0, 3.0), "triangle"),
    "spherical": (palette.HEX[4], (9.0, 3.0, 2.0, 3.0), "diamond"),
}


def _shape(ctx: Any, shape: str, x: float, y: float, r: float) -> None:
    if shape in ("circle", "square"):
        _marker(ctx, shape, x, y, r)
        return
    ctx.beginPath()
    if shape == "triangle":
        ctx.moveTo(x, y - 1.2 * r)
        ctx.lineTo(x + 1.1 * r, y + 0.8 * r)
        ctx.lineTo(x - 1.1 * r, y + 0.8 * r)
    else:  # diamond
        ctx.moveTo(x, y - 1.3 * r)
        ctx.lineTo(x + 1.3 * r, y)
        ctx.lineTo(x, y + 1.3 * r)
        ctx.lineTo(x - 1.3 * r, y)
    ctx.closePath()
    ctx.fill()


def draw_comparison_chart(
    ctx: Any,
    width: float,
    height: float,
    ks: Sequence[int],
    series: dict[str, Sequence[float | None]],
    dpr: float = 1.0,
    *,
    y_title: str = "BIC (lower is better)",
    best: tuple[str, int] | None = None,
    current: tuple[str, int] | None = None,
) -> None:
    """One criterion against K, one line per covariance type (mclust-style).

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels; the whole canvas is redrawn.
    ks : sequence of int
        Candidate numbers of components, ascending.
    series : dict
        ``cov -> values`` (same length as ``ks``; None/NaN = not computed
        yet, drawn as a gap), already signed as they should be plotted
        (see :func:`simapp.charts.compare.series`).
    dpr : float, default 1
    y_title : str
        Axis title; it should say whether lower or higher is better.
    best : (cov, k), optional
        The best cell, ringed.
    current : (cov, k), optional
        The fitted model of the run, marked by a dashed vertical line at k.
    """
    k_arr = np.asarray(list(ks), dtype=np.float64)
    arrays = {cov: _as_float_array(v) for cov, v in series.items()}
    for cov, a in arrays.items():
        if a.shape != k_arr.shape:
            raise ValueError(f"series {cov!r} has {a.size} values for {k_arr.size} K")
    finite = [a[np.isfinite(a)] for a in arrays.values()]
    vals = np.concatenate(finite) if finite else np.empty(0)
    if vals.size == 0 or not np.isfinite(k_arr).any():
        draw_empty(ctx, width, height, dpr, "The comparison fills in as fits finish")
        return
    k_lo, k_hi = float(np.nanmin(k_arr)), float(np.nanmax(k_arr))
    legend = ic_legend_layout(width, list(arrays), dpr)
    rect, frame = _k_axes(
        ctx, width, height, dpr, k_lo, k_hi, vals, y_title, legend.plot_top
    )
    ctx.save()
    if current is not None and k_lo - 0.5 <= current[1] <= k_hi + 0.5:
        ctx.strokeStyle = "rgba(0, 0, 0, 0.3)"
        ctx.lineWidth = 1 * dpr
        _dash(ctx, [3 * dpr, 3 * dpr])
        x = float(frame.x_px(current[1]))
        _line(ctx, x, frame.top, x, frame.bottom)
    xs = frame.x_px(k_arr)
    fallback = (palette.AXIS_CSS, (), "circle")
    for cov, a in arrays.items():
        color, dash, shape = COMPARISON_STYLES.get(cov, fallback)
        ys = frame.y_px(a)
        ctx.strokeStyle = color
        ctx.fillStyle = color
        ctx.lineWidth = 2 * dpr
        _dash(ctx, [d * dpr for d in dash])
        _polyline(ctx, xs, ys)
        _dash(ctx, [])
        for x, y in zip(xs, ys, strict=True):
            if math.isfinite(x) and math.isfinite(y):
                _shape(ctx, shape, float(x), float(y), 3.2 * dpr)
        if best is not None and best[0] == cov:
            hit = np.flatnonzero(k_arr == best[1])
            if hit.size and math.isfinite(ys[hit[0]]):
                ctx.lineWidth = 2 * dpr
                ctx.beginPath()
                x, y = float(xs[hit[0]]), float(ys[hit[0]])
                ctx.arc(x, y, MIN_RING_CSS * dpr, 0, TAU)
                ctx.stroke()

    # Legend above the plot (ic_legend_layout): it covers no line.
    ctx.font = font(_IC_LEGEND_FONT, dpr)
    ctx.textAlign = "right"
    ctx.textBaseline = "middle"
    line_len = _IC_SWATCH * dpr
    for (x_end, y), cov in zip(legend.entries, arrays, strict=True):
        color, dash, shape = COMPARISON_STYLES.get(cov, fallback)
        ctx.fillStyle = palette.AXIS_CSS
        ctx.fillText(cov, x_end - line_len - 8 * dpr, y)
        ctx.strokeStyle = color
        ctx.fillStyle = color
        ctx.lineWidth = 2 * dpr
        _dash(ctx, [d * dpr for d in dash])
        _line(ctx, x_end - line_len, y, x_end, y)
        _dash(ctx, [])
        _shape(ctx, shape, x_end - line_len / 2, y, 2.8 * dpr)
    ctx.restore()
