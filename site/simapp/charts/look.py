"""The charts' colours per page theme, and the WCAG contrast they are held to.

A :class:`ChartLook` names every colour a chart draws apart from the
component palette (:mod:`simapp.charts.palette`): the canvas background the
style sheet paints behind it, the axes and text, the grid, guide lines, the
halos behind ellipses and true centres and the density wash, and the eight
component colours as drawn in this look (:attr:`ChartLook.components`, the
palette's own on the light page; lighter on the dark one, and of more
separated lightness for projectors in presenter mode). The views pass the look
of the page's theme and mode (:func:`display_look`); exports draw with
:data:`LIGHT`, whatever the page shows.

Components keep their palette colour (:mod:`simapp.charts.palette`: names,
legends and matching go by it); only drawing turns it into the look's
(:meth:`ChartLook.paint`).

Examples
--------
>>> chart_look(dark=True) is DARK, chart_look(dark=False) is LIGHT
(True, True)
>>> chart_look(dark=False, present=True) is PRESENT_LIGHT
True
>>> round(contrast_ratio("#000000", "#ffffff"), 1)
21.0
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from simapp.charts import palette

__all__ = [
    "DARK",
    "LIGHT",
    "PRESENT_DARK",
    "PRESENT_LIGHT",
    "ChartLook",
    "chart_look",
    "contrast_ratio",
    "display_look",
]


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
    components : tuple of str
        The eight component colours as drawn in this look, in
        :data:`simapp.charts.palette.HEX` order (each keeps its hue, so its
        name still holds).
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
    components: tuple[str, ...] = palette.HEX

    def paint(self, colours) -> np.ndarray:
        """This look's colours of palette colours, to draw with.

        Parameters
        ----------
        colours : array_like, shape (k, 3)
            Rows of :data:`simapp.charts.palette.RGB` (as
            :func:`~simapp.charts.palette.component_colors` gives them).

        Returns
        -------
        ndarray, shape (k, 3)
            float64 in [0, 1]; the same rows in :data:`LIGHT`.
        """
        rgb = np.array(
            [
                [int(h[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
                for h in self.components
            ]
        )
        return rgb[palette.nearest(colours)]

    def swatch(self, hex_colour: str) -> str:
        """This look's ``'#rrggbb'`` of palette colour ``hex_colour``.

        Raises
        ------
        ValueError
            For a colour not in the palette.
        """
        try:
            return self.components[palette.HEX.index(hex_colour.lower())]
        except ValueError:
            raise ValueError(
                f"colour {hex_colour!r} is not one of the palette's {palette.HEX}"
            ) from None


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
    # wine and indigo lightened (same hues) to 3.3:1 on the dark background;
    # the others moved (hues within 10 degrees) so that every pair stays at
    # least as far apart as on the light page, also for colour-blind eyes
    components=(
        "#728dbe",  # blue
        "#e9a211",  # orange
        "#28a86e",  # green
        "#e29bb6",  # pink
        "#b24a72",  # wine
        "#9344dd",  # indigo
        "#d45d06",  # vermilion
        "#95dcfe",  # sky blue
    ),
)
#: Presenter mode on a light page: for a projector, which washes out colour,
#: the six colours of K <= 6 are spread in lightness as well as hue, so that
#: each pair differs by CIEDE2000 20 or more also for protanopes and
#: deuteranopes (orange darkened to ochre, wine and indigo deepened), and
#: every colour keeps 3:1 against the background.
PRESENT_LIGHT = replace(
    LIGHT,
    name="present-light",
    components=(
        "#118bf6",  # blue
        "#b48307",  # orange (ochre)
        "#1f613b",  # green
        "#b37489",  # pink
        "#52053b",  # wine
        "#2c2cc3",  # indigo
        "#d65e02",  # vermilion
        "#0c96c6",  # sky blue
    ),
)
#: Presenter mode on a dark page: the same rule, lighter colours.
PRESENT_DARK = replace(
    DARK,
    name="present-dark",
    components=(
        "#4fbcff",  # blue
        "#e59f00",  # orange
        "#7ae5b1",  # green
        "#b87c97",  # pink
        "#d90955",  # wine
        "#7758d1",  # indigo
        "#d45e02",  # vermilion
        "#a8dcf5",  # sky blue
    ),
)


def chart_look(dark: bool, present: bool = False) -> ChartLook:
    """The charts' colours for a dark or a light page, in presenter mode or
    not."""
    if present:
        return PRESENT_DARK if dark else PRESENT_LIGHT
    return DARK if dark else LIGHT


def display_look(display) -> ChartLook:
    """The look of the page's display options (``PageState.display``: its
    ``dark`` and ``present``)."""
    return chart_look(bool(display.dark), bool(display.present))


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
