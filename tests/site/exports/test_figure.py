"""Exported charts get an opaque background, a title, a legend and a footer."""

from __future__ import annotations

import pytest
from simapp.exports.figure import BACKGROUND, draw_frame, layout

LEGEND = [
    (f"component {i + 1}", c) for i, c in enumerate(["#0072b2", "#e69f00", "#009e73"])
]


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_frame_is_opaque_titled_and_leaves_the_chart_area_alone(ctx, dpr):
    lay = layout(int(600 * dpr), int(400 * dpr), legend=LEGEND, dpr=dpr)
    draw_frame(ctx, lay, title="Data and fit", legend=LEGEND, footer="k=3&n=500")
    first = ctx.calls[1] if ctx.calls[0].name == "save" else ctx.calls[0]
    assert first.name == "fillRect" and first.args == (0, 0, lay.width, lay.height)
    assert first.state["fillStyle"] == BACKGROUND
    texts = ctx.texts()
    assert texts[0] == "Data and fit"
    assert texts[1:4] == [label for label, _ in LEGEND]
    assert texts[-1] == "k=3&n=500"
    x, y, w, h = lay.chart
    assert (w, h) == (int(600 * dpr), int(400 * dpr))
    for call in ctx.named("fillText"):  # no text over the chart
        assert not y <= call.args[2] <= y + h
    swatches = [c for c in ctx.named("fillRect")[1:]]
    assert [c.state["fillStyle"] for c in swatches] == [c for _, c in LEGEND]
    assert ctx.balanced()


def test_long_legends_wrap_and_long_titles_are_cut(ctx):
    legend = [(f"a rather long legend entry {i}", "#000000") for i in range(8)]
    lay = layout(300, 200, legend=legend)
    assert len(lay.legend_rows) >= 4
    assert sorted(i for row in lay.legend_rows for i in row) == list(range(8))
    one_row = layout(300, 200, legend=legend[:1])
    assert lay.height > one_row.height and lay.chart[1] > one_row.chart[1]
    draw_frame(ctx, lay, title="x" * 500, legend=legend)
    assert ctx.texts()[0].endswith("\N{HORIZONTAL ELLIPSIS}")
    assert len(ctx.texts()[0]) < 100


@pytest.mark.parametrize(("args", "kw"), [((0, 10), {}), ((10, 10), {"dpr": 0})])
def test_bad_sizes_are_refused(args, kw):
    with pytest.raises(ValueError, match="must be positive"):
        layout(*args, **kw)


def test_legend_swatches_take_the_entry_marker(ctx):
    legend = [("a", "#0072b2", "square"), ("b", "#e69f00", "circle"), ("c", "#000")]
    lay = layout(400, 300, legend=legend)
    draw_frame(ctx, lay, title="Nine classes", legend=legend)
    # two squares (the plain entry's too) and one round marker
    assert len(ctx.named("fillRect")) == 1 + 2
    assert len(ctx.named("arc")) == 1
