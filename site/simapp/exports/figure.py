"""Frame a chart for a slide: opaque background, title, legend, source line.

A chart on the page is drawn on a transparent canvas and explained by the
page around it. A downloaded PNG has no page around it, so :func:`layout`
reserves room above the chart for a title, a line of settings and a legend
and below it for the page's link, and :func:`draw_frame` paints those on a
white background. Every text is wrapped to the figure's width (measured with
the canvas's own ``measureText`` when the caller passes it), so nothing is
clipped: the link is written out whole, over as many lines as it needs. The
caller then copies the chart's own pixels into :attr:`Layout.chart`
(``drawImage``), so the exported chart is the one on screen, axes and axis
titles included. :func:`export_scale` says how many device pixels per CSS
pixel to draw the chart at: twice the CSS size at least, and at least
:data:`LEAST_WIDTH` wide.

Examples
--------
>>> lay = layout(600, 400, legend=[("component 1", "#0072b2")] * 3, title="Fit")
>>> lay.chart[:2], lay.width, lay.height > 400
((0, 68), 600, True)
>>> export_scale(640, 1.0), export_scale(400, 1.0), export_scale(640, 3.0)
(2.0, 2.5, 3.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from simapp.charts.marks import font, marker

__all__ = [
    "BACKGROUND",
    "LEAST_WIDTH",
    "Layout",
    "draw_frame",
    "export_scale",
    "layout",
]

#: The exported figure's background colour.
BACKGROUND = "#ffffff"
#: The narrowest exported figure, in device pixels.
LEAST_WIDTH = 1000
_INK = "#1a1a1a"
_MUTED = "#555555"
_PAD = 12
_TITLE = 18
_LEGEND = 13
_FOOTER = 11
_SWATCH = 12
_LINE = 1.3  # line height, in font sizes
#: Most lines of title, of settings and of link (a longer text is cut).
_MOST_LINES = {"title": 3, "subtitle": 2, "footer": 20}
# average advance of a character in the sans-serif font, as a share of its
# size: the estimate used without the canvas's own measure
_CHAR = 0.56


def export_scale(css_width: float, dpr: float = 1.0) -> float:
    """Device pixels per CSS pixel to draw an exported chart at.

    At least 2 (and the screen's own ``dpr`` if higher), and enough for the
    chart to be :data:`LEAST_WIDTH` pixels wide.
    """
    w, s = float(css_width), float(dpr)
    if not (w > 0 and s > 0):
        raise ValueError(f"css_width={css_width}, dpr={dpr}: must be positive")
    return max(2.0, s, LEAST_WIDTH / w)


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
    title_lines, subtitle_lines, footer_lines : tuple of str
        The title, the settings line and the link, wrapped to the width.
    legend_x : tuple of tuple of float
        Left edge of each legend entry, row by row.
    texts : tuple of (str, str, str, float)
        Every line of title, settings and link as ``(text, css font,
        colour, y of its middle)``, all starting at :attr:`margin`.
    legend_top : float
        Top of the first legend row.
    margin : float
        Left edge of the texts; each may be :attr:`room` wide.
    room : float
    """

    width: int
    height: int
    chart: tuple
    legend_rows: tuple
    dpr: float
    title_lines: tuple = ()
    subtitle_lines: tuple = ()
    footer_lines: tuple = ()
    legend_x: tuple = ()
    texts: tuple = ()
    legend_top: float = 0.0
    margin: float = 0.0
    room: float = 0.0


def _estimate(text: str, css_font: str) -> float:
    """Width of ``text`` in ``css_font`` (``'600 24px ...'``), estimated."""
    size = float(css_font.split("px")[0].split()[-1])
    return len(text) * size * _CHAR


def _wrap(text: str, room: float, width, most: int) -> tuple:
    """``text`` in lines of at most ``room`` pixels (``width(text)``): broken
    at spaces, or anywhere in a word too long for a line (a link); past
    ``most`` lines the last is cut with an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:  # a word wider than a line: break it anywhere
            if line and width(line + ch) > room:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    if len(lines) > most:
        last = lines[most - 1] + "\N{HORIZONTAL ELLIPSIS}"
        while len(last) > 1 and width(last) > room:
            last = last[:-2] + "\N{HORIZONTAL ELLIPSIS}"
        lines = [*lines[: most - 1], last]
    return tuple(lines)


def _legend_rows(legend, room: float, s: float, measure) -> tuple[list, list]:
    """Indices and left edges of the legend entries, row by row."""
    legend_css = font(_LEGEND, s)
    rows, row, xs, row_x, used = [], [], [], [], 0.0
    for i, (label, *_style) in enumerate(legend):
        need = (_SWATCH + 6 + 16) * s + measure(str(label), legend_css)
        if row and used + need > room:
            rows.append(tuple(row))
            xs.append(tuple(row_x))
            row, row_x, used = [], [], 0.0
        row.append(i)
        row_x.append(_PAD * s + used)
        used += need
    if row:
        rows.append(tuple(row))
        xs.append(tuple(row_x))
    return rows, xs


def layout(
    chart_width: int,
    chart_height: int,
    *,
    legend=(),
    dpr: float = 1.0,
    title: str = "",
    subtitle: str = "",
    footer: str = "",
    measure=None,
):
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
        Device pixels per CSS pixel the chart was drawn at; text scales with it.
    title, subtitle, footer : str
        The title, a line of settings under it and the link below the chart.
    measure : callable, optional
        ``measure(text, css_font) -> width`` in device pixels (the canvas's
        ``measureText``); default an estimate from the font size.

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
    measure = measure or _estimate
    room = w - 2 * _PAD * s

    def wrapped(text: str, size: float, weight: str, part: str) -> tuple:
        css = font(size, s, weight)
        return _wrap(str(text), room, lambda t: measure(t, css), _MOST_LINES[part])

    titles = wrapped(title, _TITLE, "600", "title") if title else ()
    subtitles = wrapped(subtitle, _FOOTER, "", "subtitle") if subtitle else ()
    footers = wrapped(footer, _FOOTER, "", "footer") if footer else ()
    rows, xs = _legend_rows(legend, room, s, measure)
    legend_top = (
        _PAD
        + len(titles) * _TITLE * _LINE
        + len(subtitles) * _FOOTER * _LINE
        + _PAD / 2
    )
    top = legend_top + len(rows) * (_LEGEND + 8) + _PAD / 2
    bottom = _PAD + len(footers) * _FOOTER * _LINE + _PAD
    texts, y = [], _PAD * s
    for lines, size, weight, colour in (
        (titles, _TITLE, "600", _INK),
        (subtitles, _FOOTER, "", _MUTED),
    ):
        for text in lines:
            texts.append(
                (text, font(size, s, weight), colour, y + size * _LINE * s / 2)
            )
            y += size * _LINE * s
    y = round(top * s) + h + _PAD * s
    for text in footers:
        texts.append((text, font(_FOOTER, s), _MUTED, y + _FOOTER * _LINE * s / 2))
        y += _FOOTER * _LINE * s
    return Layout(
        width=w,
        height=round(top * s) + h + round(bottom * s),
        chart=(0, round(top * s), w, h),
        legend_rows=tuple(rows),
        dpr=s,
        title_lines=titles,
        subtitle_lines=subtitles,
        footer_lines=footers,
        legend_x=tuple(xs),
        texts=tuple(texts),
        legend_top=legend_top * s,
        margin=_PAD * s,
        room=room,
    )


def _swatch(ctx, x: float, y_mid: float, s: float, shape: str) -> None:
    """A legend swatch in the current fill: a square, or another marker."""
    if shape == "square":
        ctx.fillRect(x, y_mid - _SWATCH * s / 2, _SWATCH * s, _SWATCH * s)
    else:
        marker(ctx, shape, x + _SWATCH * s / 2, y_mid, _SWATCH * s / 2)


def _texts(ctx, x: float, texts) -> None:
    for text, css_font, colour, y_mid in texts:
        ctx.fillStyle = colour
        ctx.font = css_font
        ctx.fillText(text, x, y_mid)


def draw_frame(ctx, lay: Layout, *, legend=()) -> None:
    """Paint background, title, settings, legend and link; leave the chart
    area empty.

    Parameters
    ----------
    ctx : CanvasRenderingContext2D
        Of a canvas of ``lay.width`` x ``lay.height``.
    lay : Layout
        From :func:`layout`, with the same ``legend``.
    legend : sequence of (str, str) or (str, str, str)
    """
    s, w = lay.dpr, lay.width
    ctx.save()
    ctx.fillStyle = BACKGROUND
    ctx.fillRect(0, 0, w, lay.height)
    ctx.textBaseline = "middle"
    ctx.textAlign = "left"
    below = len(lay.footer_lines)
    top, bottom = (
        lay.texts[: len(lay.texts) - below],
        lay.texts[len(lay.texts) - below :],
    )
    _texts(ctx, lay.margin, top)
    y = lay.legend_top
    ctx.font = font(_LEGEND, s)
    for row, xs in zip(lay.legend_rows, lay.legend_x, strict=True):
        y_mid = y + (_LEGEND / 2 + 4) * s
        for i, x in zip(row, xs, strict=True):
            label, colour, *shape = legend[i]
            ctx.fillStyle = colour
            _swatch(ctx, x, y_mid, s, shape[0] if shape else "square")
            ctx.fillStyle = _INK
            ctx.fillText(str(label), x + (_SWATCH + 6) * s, y_mid)
        y += (_LEGEND + 8) * s
    _texts(ctx, lay.margin, bottom)
    ctx.restore()
