"""The charts' colours per page theme, and the WCAG contrast they are held to.

A :class:`ChartLook` names every colour a chart draws apart from the
component palette (:mod:`simapp.charts.palette`): the canvas background the
style sheet paints behind it, the axes and text, the grid, guide lines, the
halos behind ellipses and true centres and the density wash. The views pass
the look of the page's theme (:func:`chart_look`); exports draw with
:data:`LIGHT`, whatever the page shows.

Examples
--------
>>> chart_look(dark=True) is DARK, chart_look(dark=False) is LIGHT
(True, True)
>>> round(contrast_ratio("#000000", "#ffffff"), 1)
21.0
"""

from __future__ import annotations

from dataclasses import dataclass

from simapp.charts import palette

__all__ = ["DARK", "LIGHT", "ChartLook", "chart_look", "contrast_ratio"]


@dataclass(frozen=True)
class ChartLook:
    """The colours of the charts in one theme (CSS colour strings).

    Attributes
    ----------
    name : str
        ``light`` or ``dark``.
    background : str
        The canvas background (``--chart-bg`` in style.css): text and lines
        are chosen against it.
    ink : str
        Axes, tick labels, axis titles and legend text.
    muted : str
        The empty chart's hint and faint lines (other starts' traces).
    grid : str
        Grid lines, drawn over the points (so faint).
    guide : str
        Dashed guides (the chosen K, the iteration limit).
    halo : str
        Drawn under each ellipse contour, to part it from the points.
    mark : str, mark_halo : str
        The true-centre cross and its halo.
    density_rgb : tuple of int
        The mixture density wash (0-255), densest at its largest opacity.
    """

    name: str
    background: str
    ink: str
    muted: str
    grid: str
    guide: str
    halo: str
    mark: str
    mark_halo: str
    density_rgb: tuple[int, int, int]


LIGHT = ChartLook(
    name="light",
    background="#fbfcfe",
    ink=palette.AXIS_CSS,
    muted="#666666",
    grid="rgba(0, 0, 0, 0.08)",
    guide="rgba(0, 0, 0, 0.3)",
    halo="rgba(255, 255, 255, 0.85)",
    mark="#000000",
    mark_halo="#ffffff",
    density_rgb=(40, 70, 120),
)
DARK = ChartLook(
    name="dark",
    background="#161d29",
    ink="#e4e9f1",
    muted="#a9b4c4",
    grid="rgba(255, 255, 255, 0.1)",
    guide="rgba(255, 255, 255, 0.4)",
    halo="rgba(22, 29, 41, 0.85)",
    mark="#ffffff",
    mark_halo="#000000",
    density_rgb=(110, 160, 230),
)


def chart_look(dark: bool) -> ChartLook:
    """The charts' colours for a dark or a light page."""
    return DARK if dark else LIGHT


def _channel(value: float) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(colour: str) -> float:
    text = colour.strip()
    if not (text.startswith("#") and len(text) == 7):
        raise ValueError(f"colour={colour!r} is not a '#rrggbb' colour")
    r, g, b = (int(text[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``'#rrggbb'`` colours (1 to 21).

    Raises
    ------
    ValueError
        For a colour not written ``'#rrggbb'``.
    """
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
