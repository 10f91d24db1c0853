"""Frame a chart for a slide: opaque background, title, legend, source line.

A chart on the page is drawn on a transparent canvas and explained by the
page around it. A downloaded PNG has no page around it, so :func:`layout`
reserves room above the chart for a title and a legend and below it for a
line saying which settings (or link) made it, and :func:`draw_frame` paints
those on a white background. The caller then copies the chart's own pixels
into :attr:`Layout.chart` (``drawImage``), so the exported chart is the one on
screen, axes and axis titles included.

Examples
--------
>>> lay = layout(600, 400, legend=[("component 1", "#0072b2")] * 3)
>>> lay.chart[:2], lay.width, lay.height > 400
((0, 63), 600, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from simapp.charts.marks import font, marker

__all__ = ["BACKGROUND", "Layout", "draw_frame", "layout"]

#: The exported figure's background colour.
BACKGROUND = "#ffffff"
_INK = "#1a1a1a"
_MUTED = "#555555"
_PAD = 12
_TITLE = 18
_LEGEND = 13
_FOOTER = 11
_SWATCH = 12
# average advance of a character in the sans-serif font, as a share of its size
_CHAR = 0.56


@dataclass(frozen=True)
class Layout:
    """Where everything goes on the exported figure (device pixels).

    Attributes
    ----------
    width, height : int
        Size of the whole figure.
    chart : tuple of int
        ``(x, y, width, height)`` of the chart's own pixels.
    legend_rows : tuple of tuple of int
        Indices of the legend entries on each legend row.
    dpr : float
        Device pixels per CSS pixel the sizes were scaled by.
    """

    width: int
    height: int
    chart: tuple
    legend_rows: tuple
    dpr: float


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR


def layout(chart_width: int, chart_height: int, *, legend=(), dpr: float = 1.0):
    """Size the figure around a chart of ``chart_width`` x ``chart_height``.

    Parameters
    ----------
    chart_width, chart_height : int
        The chart canvas's size in device pixels.
    legend : sequence of (str, str) or (str, str, str)
        ``(label, css colour)`` entries, or ``(label, css colour, marker)``
        with a :data:`simapp.charts.marks.MARKERS` shape for the swatch
        (default a square); they wrap onto as many rows as the chart's
        width needs.
    dpr : float
        Device pixel ratio the chart was drawn at; text scales with it.

    Returns
    -------
    Layout
    """
    w, h = int(chart_width), int(chart_height)
    if w < 1 or h < 1:
        raise ValueError(f"chart size {chart_width} x {chart_height} must be positive")
    s = float(dpr)
    if not s > 0:
        raise ValueError(f"dpr={dpr}; must be positive")
    rows, row, used = [], [], 0.0
    room = w - 2 * _PAD * s
    for i, (label, *_style) in enumerate(legend):
        need = (_SWATCH + 6 + 16) * s + _text_width(str(label), _LEGEND * s)
        if row and used + need > room:
            rows.append(tuple(row))
            row, used = [], 0.0
        row.append(i)
        used += need
    if row:
        rows.append(tuple(row))
    top = round((_PAD + _TITLE + _PAD) * s + len(rows) * (_LEGEND + 8) * s)
    bottom = round((_PAD + _FOOTER + _PAD) * s)
    return Layout(
        width=w,
        height=top + h + bottom,
        chart=(0, top, w, h),
        legend_rows=tuple(rows),
        dpr=s,
    )


def _fit(text: str, size: float, room: float) -> str:
    """``text`` cut with an ellipsis so it fits ``room`` pixels."""
    most = max(int(room / (size * _CHAR)), 1)
    return text if len(text) <= most else text[: most - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _swatch(ctx, x: float, y_mid: float, s: float, shape: str) -> None:
    """A legend swatch in the current fill: a square, or another marker."""
    if shape == "square":
        ctx.fillRect(x, y_mid - _SWATCH * s / 2, _SWATCH * s, _SWATCH * s)
    else:
        marker(ctx, shape, x + _SWATCH * s / 2, y_mid, _SWATCH * s / 2)


def draw_frame(ctx, lay: Layout, *, title: str, legend=(), footer: str = "") -> None:
    """Paint background, title, legend and footer; leave the chart area empty.

    Parameters
    ----------
    ctx : CanvasRenderingContext2D
        Of a canvas of ``lay.width`` x ``lay.height``.
    lay : Layout
        From :func:`layout`, with the same ``legend``.
    title : str
    legend : sequence of (str, str) or (str, str, str)
    footer : str
        The settings or link that made the chart.
    """
    s, w = lay.dpr, lay.width
    ctx.save()
    ctx.fillStyle = BACKGROUND
    ctx.fillRect(0, 0, w, lay.height)
    ctx.textBaseline = "middle"
    ctx.textAlign = "left"
    ctx.fillStyle = _INK
    ctx.font = font(_TITLE, s, "600")
    y = (_PAD + _TITLE / 2) * s
    ctx.fillText(_fit(title, _TITLE * s, w - 2 * _PAD * s), _PAD * s, y)
    y += (_TITLE / 2 + _PAD) * s
    ctx.font = font(_LEGEND, s)
    for row in lay.legend_rows:
        x = _PAD * s
        y_mid = y + (_LEGEND / 2 + 4) * s
        for i in row:
            label, colour, *shape = legend[i]
            ctx.fillStyle = colour
            _swatch(ctx, x, y_mid, s, shape[0] if shape else "square")
            ctx.fillStyle = _INK
            ctx.fillText(str(label), x + (_SWATCH + 6) * s, y_mid)
            x += (_SWATCH + 6 + 16) * s + _text_width(str(label), _LEGEND * s)
        y += (_LEGEND + 8) * s
    if footer:
        ctx.fillStyle = _MUTED
        ctx.font = font(_FOOTER, s)
        y_foot = lay.height - (_PAD + _FOOTER / 2) * s
        ctx.fillText(_fit(footer, _FOOTER * s, w - 2 * _PAD * s), _PAD * s, y_foot)
    ctx.restore()
