"""simapp.charts.axes: frames, ticks, axis titles, legends and empty states.

Drawn against the recording canvas context of ``conftest.py``.
"""

from __future__ import annotations

import math

import pytest
from simapp.charts.axes import (
    TITLED_MARGINS,
    draw_axes,
    draw_empty,
    label_font_css,
    legend_entry_width,
    legend_layout,
)
from simapp.charts.viewport import Viewport


def _view(dpr=2.0):
    return Viewport.fit((-5, 5, -4, 4), 800, 600, dpr=dpr)


def test_axes_labels_are_numbers_at_their_positions(ctx):
    v = _view()
    draw_axes(ctx, v)
    texts = ctx.named("fillText")
    assert len(texts) >= 4
    x0, x1, y0, y1 = v.data_bounds
    for c in texts:
        value = float(c.args[0])
        if c.state["textAlign"] == "center":  # x-axis label
            assert x0 <= value <= x1
            assert math.isclose(c.args[1], v.to_px([value, 0.0])[0], abs_tol=1e-6)
            assert c.args[2] > v.bottom
        else:
            assert y0 <= value <= y1
            assert math.isclose(c.args[2], v.to_px([0.0, value])[1], abs_tol=1e-6)
            assert c.args[1] < v.left
    assert ctx.balanced()


def test_draw_empty_centres_the_message(ctx):
    draw_empty(ctx, 300, 200, 2.0, "press Simulate")
    (call,) = ctx.named("fillText")
    assert call.args == ("press Simulate", 150, 100)
    assert call.state["font"].startswith("26px")


def test_draw_empty_wraps_a_long_message_inside_a_narrow_canvas(ctx):
    message = "Press Simulate to draw data and watch EM fit them"
    width, dpr = 343, 1.0  # a phone's chart
    draw_empty(ctx, width, 257, dpr, message)
    calls = ctx.named("fillText")
    assert len(calls) >= 2
    assert " ".join(c.args[0] for c in calls) == message
    # each line fits at the legend's estimate of 0.56 em a character
    for call in calls:
        assert len(call.args[0]) * 0.56 * 13 * dpr <= width - 32 * dpr
        assert call.args[1] == width / 2
    ys = [c.args[2] for c in calls]
    assert ys == sorted(ys) and math.isclose((ys[0] + ys[-1]) / 2, 257 / 2)


@pytest.mark.parametrize(("css_width", "size"), [(343, 11), (550, 11), (700, 12)])
def test_tick_labels_grow_on_a_large_chart(ctx, css_width, size):
    dpr = 2.0
    view = Viewport.fit(
        (-5, 5, -4, 4), int(css_width * dpr), int(css_width * 0.75 * dpr), dpr=dpr
    )
    draw_axes(ctx, view)
    fonts = {c.state["font"] for c in ctx.named("fillText")}
    assert fonts and all(f.startswith(f"{round(size * dpr)}px ") for f in fonts)
    assert label_font_css(1000 * dpr, dpr) == 13.0  # at most two px more


def _title_calls(ctx, titles):
    return [c for c in ctx.named("fillText") if c.args[0] in titles]


@pytest.mark.parametrize("dpr", [1.0, 2.0])
@pytest.mark.parametrize("size", [(640, 480), (330, 330), (900, 300)])
def test_the_data_chart_titles_sit_in_its_margins(ctx, dpr, size):
    w, h = (int(v * dpr) for v in size)
    view = Viewport.fit((-3, 7, -2, 5), w, h, dpr=dpr, margins=TITLED_MARGINS)
    draw_axes(ctx, view, titles=("bill length (mm)", "bill depth (mm)"))
    (x_title,) = _title_calls(ctx, {"bill length (mm)"})
    (y_title,) = _title_calls(ctx, {"bill depth (mm)"})
    ticks = [c for c in ctx.named("fillText") if c not in (x_title, y_title)]
    x_ticks = [c for c in ticks if c.state["textAlign"] == "center"]
    # under the x tick labels (their top + a line of text), inside the canvas
    assert x_title.args[2] > max(c.args[2] for c in x_ticks) + 10 * dpr
    assert x_title.args[2] <= h
    assert math.isclose(x_title.args[1], (view.left + view.right) / 2)
    # the y title is drawn rotated a quarter turn, left of the plot
    rotations = ctx.named("rotate")
    assert rotations and math.isclose(rotations[-1].args[0], -math.pi / 2)
    (shift,) = ctx.named("translate")
    assert 0 < shift.args[0] < view.left
    assert math.isclose(shift.args[1], (view.top + view.bottom) / 2)
    assert ctx.balanced()


def test_the_data_chart_without_titles_draws_only_numbers(ctx):
    draw_axes(ctx, Viewport.fit((0, 1, 0, 1), 400, 400))
    for text in ctx.texts():
        float(text)  # tick labels only
    assert not ctx.named("rotate")


@pytest.mark.parametrize("dpr", [1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize("css_width", [240, 300, 340, 460, 700, 1200])
def test_the_legend_sits_above_the_plot_without_overlaps(dpr, css_width):
    width = css_width * dpr
    labels = ["AIC: min at K=8", "BIC: pending"]
    lay = legend_layout(width, labels, dpr)
    widths = [legend_entry_width(t, dpr) for t in labels]
    boxes = lay.boxes(widths)
    for left, top, right, bottom in boxes:
        assert left >= 0 and right <= width  # on the canvas
        assert top >= 0 and bottom <= lay.plot_top + 1e-9  # above the plot
    a, b = boxes
    apart_x = a[2] <= b[0] or b[2] <= a[0]
    apart_y = a[3] <= b[1] or b[3] <= a[1]
    assert apart_x or apart_y  # the entries do not overlap each other


def test_legend_rows_wrap_in_reading_order():
    covs = ["full", "tied", "diag", "spherical"]
    for css_width in (200, 260, 340, 500, 900):
        lay = legend_layout(css_width, covs)
        rows = [y for _, y in lay.entries]
        assert rows == sorted(rows)  # earlier entries never on a lower row
        for r in set(rows):
            xs = [x for x, y in lay.entries if y == r]
            assert xs == sorted(xs)  # left to right within a row
        assert lay.plot_top > max(rows)
