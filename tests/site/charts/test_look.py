"""simapp.charts.look: the charts' colours per theme, held to WCAG contrast."""

from __future__ import annotations

import numpy as np
import pytest
from simapp.charts import axes, data_chart, loglik_chart
from simapp.charts.look import DARK, LIGHT, chart_look, contrast_ratio
from simapp.charts.viewport import Viewport
from simapp.state.pagestate import DisplayOptions


def _hex(css: str) -> str:
    """``'#rrggbb'`` of a hex or ``rgba(r, g, b, a)`` colour (alpha dropped)."""
    if css.startswith("#"):
        return css
    r, g, b = (int(float(p)) for p in css[css.index("(") + 1 : -1].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def test_contrast_ratio_matches_the_wcag_examples():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WCAG's own borderline: #767676 on white is 4.54:1
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")
    with pytest.raises(ValueError, match="colour='red'"):
        contrast_ratio("red", "#ffffff")


@pytest.mark.parametrize("look", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("field", ["ink", "muted"])
def test_chart_text_reads_against_its_background(look, field):
    assert contrast_ratio(getattr(look, field), look.background) >= 4.5


def test_the_display_options_pick_the_look():
    assert chart_look(DisplayOptions(theme="dark").dark) is DARK
    assert chart_look(DisplayOptions(theme="light", system_dark=True).dark) is LIGHT
    assert chart_look(DisplayOptions(system_dark=True).dark) is DARK


def test_every_chart_colour_differs_between_the_themes():
    for field in ("background", "ink", "muted", "grid", "guide", "halo", "mark"):
        assert getattr(LIGHT, field) != getattr(DARK, field), field
    assert LIGHT.density_rgb != DARK.density_rgb
    # dark on light, light on dark
    assert contrast_ratio(DARK.background, "#000000") < 2.0
    assert contrast_ratio(LIGHT.background, "#ffffff") < 1.1


def _data_chart_colours(ctx, look) -> set[str]:
    view = Viewport.from_points(
        np.array([[-5.0, -4.0], [5.0, 4.0]]),
        800,
        600,
        dpr=1.0,
        margins=axes.TITLED_MARGINS,
    )
    axes.draw_axes(ctx, view, titles=("x", "y"), look=look)
    data_chart.draw_ellipses(
        ctx, view, [((0.0, 0.0), (2.0, 1.0), 0.3)], ["#0072b2"], look=look
    )
    data_chart.draw_true_centres(ctx, view, [[1.0, 1.0]], look=look)
    text = {c.state["fillStyle"] for c in ctx.named("fillText")}
    lines = {c.state["strokeStyle"] for c in ctx.named("stroke")}
    return text, lines


@pytest.mark.parametrize("look", [LIGHT, DARK], ids=["light", "dark"])
def test_the_data_chart_draws_its_text_in_the_looks_ink(ctx, look):
    text, lines = _data_chart_colours(ctx, look)
    assert text == {look.ink}
    assert {look.ink, look.grid, look.halo, look.mark, look.mark_halo} <= lines
    for colour in text:
        assert contrast_ratio(_hex(colour), look.background) >= 4.5


def test_the_value_charts_follow_the_look(ctx):
    loglik_chart.draw_loglik_chart(
        ctx, 600, 400, [[-3.0, -2.5, -2.2]], 0, 10, 1.0, look=DARK
    )
    text = {c.state["fillStyle"] for c in ctx.named("fillText")}
    assert text == {DARK.ink}
    axes.draw_empty(ctx, 600, 400, 1.0, "Nothing yet", DARK)
    assert ctx.named("fillText")[-1].state["fillStyle"] == DARK.muted
