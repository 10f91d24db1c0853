"""Exported charts get an opaque background, a title, a legend and a footer."""

from __future__ import annotations

import pytest
from simapp.exports.figure import (
    BACKGROUND,
    LEAST_WIDTH,
    draw_frame,
    export_scale,
    layout,
)

LEGEND = [
    (f"component {i + 1}", c) for i, c in enumerate(["#0072b2", "#e69f00", "#009e73"])
]


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_frame_is_opaque_titled_and_leaves_the_chart_area_alone(ctx, dpr):
    lay = layout(
        int(600 * dpr),
        int(400 * dpr),
        legend=LEGEND,
        dpr=dpr,
        title="Data and fit",
        subtitle="K = 3",
        footer="k=3&n=500",
    )
    draw_frame(ctx, lay, legend=LEGEND)
    first = ctx.calls[1] if ctx.calls[0].name == "save" else ctx.calls[0]
    assert first.name == "fillRect" and first.args == (0, 0, lay.width, lay.height)
    assert first.state["fillStyle"] == BACKGROUND
    texts = ctx.texts()
    assert texts[:2] == ["Data and fit", "K = 3"]
    assert texts[2:5] == [label for label, _ in LEGEND]
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
    lay = layout(300, 200, legend=legend, title="x" * 500)
    draw_frame(ctx, lay, legend=legend)
    assert len(lay.title_lines) == 3
    assert ctx.texts()[2] == lay.title_lines[2]
    assert lay.title_lines[2].endswith("\N{HORIZONTAL ELLIPSIS}")


def _monospace(text: str, css_font: str) -> float:
    """A measure unlike the estimate: every character as wide as the font."""
    return len(text) * float(css_font.split("px")[0].split()[-1])


@pytest.mark.parametrize("dpr", [1.0, 2.0, 2.5])
def test_the_link_is_written_whole_and_every_line_fits(ctx, dpr):
    link = "https://example.org/em/?" + "&".join(f"p{i}={i * 7}" for i in range(40))
    title = "EM fit of a 3-component Gaussian mixture (full covariances): Iris"
    w = int(500 * dpr)
    lay = layout(
        w,
        300,
        dpr=dpr,
        title=title,
        subtitle="K = 3 " * 30,
        footer=link,
        measure=_monospace,
    )
    assert "".join(lay.footer_lines) == link
    assert " ".join(lay.title_lines) == title.strip()
    room = w - 2 * 12 * dpr
    draw_frame(ctx, lay)
    for call in ctx.named("fillText"):
        assert call.args[1] + _monospace(call.args[0], call.state["font"]) <= (
            call.args[1] + room + 1e-9
        )
        assert 0 < call.args[2] < lay.height
    texts = ctx.texts()
    assert texts[-len(lay.footer_lines) :] == list(lay.footer_lines)


@pytest.mark.parametrize(
    ("css_width", "dpr", "scale"),
    [(640, 1.0, 2.0), (800, 2.0, 2.0), (400, 1.0, 2.5), (700, 3.0, 3.0)],
)
def test_exports_are_drawn_at_twice_the_size_and_1000_px_wide(css_width, dpr, scale):
    assert export_scale(css_width, dpr) == scale
    assert css_width * export_scale(css_width, dpr) >= LEAST_WIDTH


@pytest.mark.parametrize(("args", "kw"), [((0, 10), {}), ((10, 10), {"dpr": 0})])
def test_bad_sizes_are_refused(args, kw):
    with pytest.raises(ValueError, match="must be positive"):
        layout(*args, **kw)


def test_legend_swatches_take_the_entry_marker(ctx):
    legend = [("a", "#0072b2", "square"), ("b", "#e69f00", "circle"), ("c", "#000")]
    lay = layout(400, 300, legend=legend, title="Nine classes")
    draw_frame(ctx, lay, legend=legend)
    # two squares (the plain entry's too) and one round marker
    assert len(ctx.named("fillRect")) == 1 + 2
    assert len(ctx.named("arc")) == 1
