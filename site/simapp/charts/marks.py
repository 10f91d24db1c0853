"""Strokes, dashes, markers and fonts: the primitives every chart draws with.

Every function takes a canvas-2D-context-like ``ctx`` (duck-typed: the real
``CanvasRenderingContext2D`` proxied by Pyodide, or a recording fake in tests)
plus plain numbers. Coordinates are canvas device pixels; sizes given in CSS
pixels are scaled by ``dpr`` so they look the same on every screen.

Examples
--------
>>> font(11, 2.0)
"22px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
>>> as_float_array([1, None, "x"]).tolist()
[1.0, nan, nan]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from simapp.charts import palette

__all__ = [
    "MARKERS",
    "MIN_RING_CSS",
    "TAU",
    "as_float_array",
    "css_colour",
    "draw_series",
    "font",
    "line",
    "marker",
    "polyline",
    "ring",
    "set_dash",
    "set_js_array_converter",
]

TAU = 2 * math.pi
#: Radius (CSS px) of the ring marking a criterion's minimum.
MIN_RING_CSS = 8.0
#: Marker shapes :func:`marker` draws.
MARKERS = ("circle", "square", "triangle", "diamond")
_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# Converts a Python list for ctx.setLineDash. A Pyodide PyProxy of a list is
# iterable and accepted by the browser, but the page may install
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


def set_dash(ctx: Any, pattern: Sequence[float]) -> None:
    """``ctx.setLineDash(pattern)`` (device pixels; empty: a solid line)."""
    ctx.setLineDash(_js_array([float(p) for p in pattern]))


def font(size_css: float, dpr: float, weight: str = "") -> str:
    """CSS font shorthand sized in device pixels, e.g. ``'24px system-ui...'``."""
    px = max(1, round(size_css * dpr))
    return f"{weight + ' ' if weight else ''}{px}px {_FONT_FAMILY}"


def css_colour(color: Any) -> str:
    """Accept a CSS string, or an RGB triple in [0, 1] (floats) / 0-255 (ints)."""
    if isinstance(color, str):
        return color
    c = np.asarray(color).reshape(-1)[:3]
    if np.issubdtype(c.dtype, np.integer) or c.max(initial=0) > 1.0:
        c = c / 255.0
    return palette.rgb_to_css(c)


def as_float_array(values: Any) -> np.ndarray:
    """1-D float array with ``None`` (and anything non-numeric) as NaN."""
    out = []
    for v in values if values is not None else ():
        try:
            f = float(v) if v is not None else math.nan
        except (TypeError, ValueError):
            f = math.nan
        out.append(f)
    return np.asarray(out, dtype=np.float64)


def line(ctx: Any, x0: float, y0: float, x1: float, y1: float) -> None:
    """Stroke one straight segment."""
    ctx.beginPath()
    ctx.moveTo(x0, y0)
    ctx.lineTo(x1, y1)
    ctx.stroke()


def polyline(ctx: Any, xs: np.ndarray, ys: np.ndarray) -> None:
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


def marker(ctx: Any, shape: str, x: float, y: float, r: float) -> None:
    """Fill a marker of ``shape`` (one of :data:`MARKERS`) centred at ``(x, y)``.

    ``r`` is its half-size in device pixels. Raises ValueError on another shape.
    """
    if shape not in MARKERS:
        raise ValueError(f"shape must be one of {', '.join(MARKERS)}; got {shape!r}")
    ctx.beginPath()
    if shape == "circle":
        ctx.arc(x, y, r, 0, TAU)
    elif shape == "square":
        ctx.moveTo(x - r, y - r)
        ctx.lineTo(x + r, y - r)
        ctx.lineTo(x + r, y + r)
        ctx.lineTo(x - r, y + r)
        ctx.closePath()
    elif shape == "triangle":
        ctx.moveTo(x, y - 1.2 * r)
        ctx.lineTo(x + 1.1 * r, y + 0.8 * r)
        ctx.lineTo(x - 1.1 * r, y + 0.8 * r)
        ctx.closePath()
    else:  # diamond
        ctx.moveTo(x, y - 1.3 * r)
        ctx.lineTo(x + 1.3 * r, y)
        ctx.lineTo(x, y + 1.3 * r)
        ctx.lineTo(x - 1.3 * r, y)
        ctx.closePath()
    ctx.fill()


def ring(ctx: Any, x: float, y: float, dpr: float) -> None:
    """Ring a chart's best point (a minimum) in the current stroke colour."""
    ctx.lineWidth = 2 * dpr
    ctx.beginPath()
    ctx.arc(x, y, MIN_RING_CSS * dpr, 0, TAU)
    ctx.stroke()


def draw_series(
    ctx: Any,
    xs: np.ndarray,
    ys: np.ndarray,
    style: tuple[str, Sequence[float], str],
    radius: float,
    dpr: float,
) -> None:
    """A chart's line through ``(xs, ys)`` with a marker on every finite point.

    ``style`` is ``(CSS colour, dash pattern in device px, marker shape)``;
    ``radius`` the markers' half-size in device pixels. NaN values are gaps.
    """
    colour, dash, shape = style
    ctx.strokeStyle = colour
    ctx.fillStyle = colour
    ctx.lineWidth = 2 * dpr
    set_dash(ctx, dash)
    polyline(ctx, xs, ys)
    set_dash(ctx, [])
    for x, y in zip(xs, ys, strict=True):
        if math.isfinite(x) and math.isfinite(y):
            marker(ctx, shape, float(x), float(y), radius)
