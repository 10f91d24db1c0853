"""simapp.charts.look: the component colours of each look, measured.

The colour science here is written out independently of the page's code:
sRGB -> linear -> XYZ (D65) -> CIELAB, CIEDE2000 (Sharma, Wu & Dalal 2005,
checked against their published test pairs), colour-vision deficiency by
Machado, Oliveira & Fernandes (2009) at severity 1 (applied to linear RGB),
and WCAG 2 contrast computed from the same linear values.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from simapp.charts import palette
from simapp.charts.look import (
    DARK,
    LIGHT,
    PRESENT_DARK,
    PRESENT_LIGHT,
    chart_look,
    display_look,
)
from simapp.state.pagestate import DisplayOptions
from simapp.text.describe import COLOUR_NAMES

#: Colours of K <= 6 (the page's K slider); seven and eight only colour the
#: AIC/BIC sweep beyond six and classes beyond six.
SIX = 6
_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])
#: Machado et al. (2009), severity 1.0, on linear RGB
_CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}


def linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin: np.ndarray) -> np.ndarray:
    xyz = (_XYZ @ lin) / _WHITE
    d = 6.0 / 29.0
    f = np.where(xyz > d**3, np.cbrt(xyz), xyz / (3 * d * d) + 4.0 / 29.0)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hbp = (h1p + h2p + 360) / 2
    else:
        hbp = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbp - 30))
        + 0.24 * math.cos(math.radians(2 * hbp))
        + 0.32 * math.cos(math.radians(3 * hbp + 6))
        - 0.20 * math.cos(math.radians(4 * hbp - 63))
    )
    d_theta = 30 * math.exp(-(((hbp - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbp**7 / (cbp**7 + 25.0**7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc, sh = 1 + 0.045 * cbp, 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dlp / sl) ** 2
        + (dcp / sc) ** 2
        + (d_hp / sh) ** 2
        + rt * (dcp / sc) * (d_hp / sh)
    )


def contrast(a: str, b: str) -> float:
    weights = np.array([0.2126, 0.7152, 0.0722])
    la, lb = sorted((float(weights @ linear(a)), float(weights @ linear(b))))
    return (lb + 0.05) / (la + 0.05)


def seen(hex_colour: str, vision: str) -> np.ndarray:
    lin = linear(hex_colour)
    if vision != "normal":
        lin = np.clip(_CVD[vision] @ lin, 0.0, 1.0)
    return lab(lin)


def hue(hex_colour: str) -> float:
    _, a, b = lab(linear(hex_colour))
    return math.degrees(math.atan2(b, a)) % 360


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17 and 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_the_tests_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_the_tests_lab_and_contrast_match_known_values():
    assert lab(linear("#ffffff")) == pytest.approx([100.0, 0.0, 0.0], abs=0.01)
    # sRGB red is L* 53.24, a* 80.09, b* 67.20
    assert lab(linear("#ff0000")) == pytest.approx([53.24, 80.09, 67.20], abs=0.05)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


LOOKS = [LIGHT, DARK, PRESENT_LIGHT, PRESENT_DARK]


# the light page keeps the Okabe-Ito / Tol colours as they are (orange, pink
# and sky blue are lighter than 3:1 on it)
@pytest.mark.parametrize("look", LOOKS[1:], ids=lambda look: look.name)
def test_every_component_colour_stands_out_from_the_chart_background(look):
    for colour in look.components:
        assert contrast(colour, look.background) >= 3.0, colour


@pytest.mark.parametrize("vision", ["normal", "protanopia", "deuteranopia"])
@pytest.mark.parametrize("look", [PRESENT_LIGHT, PRESENT_DARK], ids=lambda x: x.name)
def test_presenter_colours_differ_by_20_for_every_pair(look, vision):
    colours = look.components[:SIX]
    for i in range(SIX):
        for j in range(i):
            a, b = seen(colours[i], vision), seen(colours[j], vision)
            assert ciede2000(a, b) >= 20.0, (colours[i], colours[j])


@pytest.mark.parametrize("look", LOOKS, ids=lambda look: look.name)
def test_all_eight_colours_differ_for_normal_vision(look):
    for i in range(8):
        for j in range(i):
            a, b = (
                seen(look.components[i], "normal"),
                seen(look.components[j], "normal"),
            )
            assert ciede2000(a, b) >= 10.0


@pytest.mark.parametrize("look", [DARK, PRESENT_DARK], ids=lambda x: x.name)
def test_the_dark_colours_are_lighter_variants_of_the_same_hues(look):
    for light, dark in zip(palette.HEX, look.components, strict=True):
        turn = abs(hue(light) - hue(dark)) % 360
        assert min(turn, 360 - turn) <= 25.0, (light, dark)
        if look is DARK:
            assert lab(linear(dark))[0] >= lab(linear(light))[0] - 0.5, (light, dark)
    # the two that were too dark on the dark background
    for name in ("wine", "indigo"):
        i = COLOUR_NAMES.index(name)
        assert contrast(palette.HEX[i], DARK.background) < 3.0
        assert contrast(look.components[i], look.background) >= 3.0


def test_the_dark_page_separates_colours_as_well_as_the_light_one():
    for vision in ("normal", "protanopia", "deuteranopia"):

        def worst(colours, vision=vision):
            return min(
                ciede2000(seen(a, vision), seen(b, vision))
                for i, a in enumerate(colours)
                for b in colours[:i]
            )

        assert worst(DARK.components) >= worst(LIGHT.components) - 0.5, vision


def test_the_light_page_and_exports_keep_the_palette():
    assert LIGHT.components == palette.HEX
    assert np.array_equal(LIGHT.paint(palette.RGB), palette.RGB)


@pytest.mark.parametrize("look", LOOKS, ids=lambda look: look.name)
def test_paint_and_swatch_follow_palette_identity(look):
    rng = np.random.default_rng(3)
    order = rng.permutation(8)[:5]
    painted = look.paint(palette.permute(order))
    for row, i in zip(painted, order, strict=True):
        assert palette.rgb_to_css(row) == look.components[i]
        assert look.swatch(palette.HEX[i]) == look.components[i]
    with pytest.raises(ValueError, match="'#123456'"):
        look.swatch("#123456")


def test_the_display_options_pick_the_presenter_looks():
    assert display_look(DisplayOptions(present=True)) is PRESENT_LIGHT
    assert display_look(DisplayOptions(present=True, theme="dark")) is PRESENT_DARK
    assert display_look(DisplayOptions(theme="dark")) is DARK
    assert display_look(DisplayOptions()) is LIGHT
    assert chart_look(True, present=True) is PRESENT_DARK
