"""Issue 12: every chart names its axes, and the AIC/BIC legend covers no line.

Drawn against the recording canvas context of ``conftest.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from simapp.charts import axisnames
from simapp.charts.plotting import (
    TITLED_MARGINS,
    draw_axes,
    draw_comparison_chart,
    draw_ic_chart,
    draw_loglik_chart,
    ic_legend_entry_width,
    ic_legend_layout,
)
from simapp.charts.viewport import Viewport
from simapp.data import datasets
from simapp.data import tables as dataio
from simapp.state.pagestate import DataSource


def _title_calls(ctx, titles):
    return [c for c in ctx.named("fillText") if c.args[0] in titles]


# ------------------------------------------------------------------ data charts
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


def test_axis_titles_follow_the_data_source():
    assert axisnames.data_axis_titles(DataSource()) == ("x", "y")
    assert axisnames.data_axis_titles(DataSource(kind="click")) == ("x", "y")
    for name in datasets.names():
        meta = datasets.info(name)
        got = axisnames.data_axis_titles(DataSource(kind="dataset", dataset=name))
        assert got == (meta.x_label, meta.y_label)
        assert all(got)
    table = dataio.parse_table("height,weight,kind\n1,2,a\n3,4,b\n5,6,a\n")
    for kind in ("paste", "upload"):
        source = DataSource(kind=kind, table=table, columns=("weight", "height", ""))
        assert axisnames.data_axis_titles(source) == ("weight", "height")
    # no table (yet, or after a failed read): plain names, never empty ones
    assert axisnames.data_axis_titles(DataSource(kind="paste")) == ("x", "y")
    half = DataSource(kind="paste", table=table, columns=("height", "", ""))
    assert axisnames.data_axis_titles(half) == ("height", "y")


# ------------------------------------------------------------------ charts
def test_the_loglik_chart_names_iteration_and_log_likelihood(ctx):
    draw_loglik_chart(ctx, 600, 300, [[-3.0, -2.5, -2.2]], best=0)
    texts = ctx.texts()
    assert "iteration" in texts
    assert any("log-likelihood" in t for t in texts)


def test_the_ic_charts_name_k_and_the_criterion(ctx):
    draw_ic_chart(ctx, 600, 300, [1, 2, 3], [30.0, 20.0, 25.0], [31.0, 22.0, 28.0])
    texts = ctx.texts()
    assert "number of components K" in texts
    assert any("AIC" in t and "BIC" in t and "lower is better" in t for t in texts)
    other = type(ctx)()
    series = {"full": [3.0, 2.0, 2.5], "diag": [3.5, 2.8, 2.9]}
    draw_comparison_chart(other, 600, 300, [1, 2, 3], series, y_title="ICL")
    assert {"number of components K", "ICL"} <= set(other.texts())


# ------------------------------------------------------------------ IC legend
@pytest.mark.parametrize("dpr", [1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize("css_width", [240, 300, 340, 460, 700, 1200])
def test_the_ic_legend_sits_above_the_plot_without_overlaps(dpr, css_width):
    width = css_width * dpr
    labels = ["AIC: min at K=8", "BIC: pending"]
    lay = ic_legend_layout(width, labels, dpr)
    widths = [ic_legend_entry_width(t, dpr) for t in labels]
    boxes = lay.boxes(widths)
    for left, top, right, bottom in boxes:
        assert left >= 0 and right <= width  # on the canvas
        assert top >= 0 and bottom <= lay.plot_top + 1e-9  # above the plot
    a, b = boxes
    apart_x = a[2] <= b[0] or b[2] <= a[0]
    apart_y = a[3] <= b[1] or b[3] <= a[1]
    assert apart_x or apart_y  # the entries do not overlap each other


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("size", [(900, 500, 2.0), (340, 260, 1.0)])
def test_the_ic_legend_covers_no_point_or_line(ctx, seed, size):
    width, height, dpr = size
    rng = np.random.default_rng(seed)
    ks = list(range(1, 9))
    # rising to the right, so the line at K = 8 runs through the top right
    aic = 1000 + 40 * np.arange(8) + rng.normal(0, 5, 8)
    aic[-1] = aic.max() + rng.uniform(20, 200)
    bic = aic + rng.uniform(5, 60, 8)
    best = draw_ic_chart(ctx, width, height, ks, aic, bic, dpr)
    labels = [f"{n}: min at K={k}" for n, k in zip(("AIC", "BIC"), best, strict=True)]
    lay = ic_legend_layout(width, labels, dpr)
    boxes = lay.boxes([ic_legend_entry_width(t, dpr) for t in labels])
    legend_texts = [c for c in ctx.named("fillText") if c.args[0] in labels]
    assert len(legend_texts) == 2
    # every vertex of the plotted lines (8 points each) and every data
    # marker (radius 3.5 css px; rings 8) lies outside the legend's boxes
    data_points = [
        c.args[:2]
        for path, _ in ctx.paths()
        if len(path) >= len(ks)
        for c in path
        if c.name in ("moveTo", "lineTo")
    ]
    markers = [c for c in ctx.named("arc") if c.args[2] >= 3.5 * dpr - 1e-9]
    assert len(markers) == len(ks) + 2  # AIC circles and the two rings
    data_points += [c.args[:2] for c in markers]
    assert len(data_points) >= 4 * len(ks)
    for x, y in data_points:
        assert y >= lay.plot_top - 1e-9  # nothing is drawn in the band
        for left, top, right, bottom in boxes:
            assert not (left <= x <= right and top <= y <= bottom), (x, y)
    assert ctx.balanced()


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("size", [(900, 500, 2.0), (340, 260, 1.0)])
def test_the_comparison_legend_covers_no_line(ctx, seed, size):
    width, height, dpr = size
    rng = np.random.default_rng(seed)
    ks = list(range(1, 9))
    covs = ["full", "tied", "diag", "spherical"]
    # every type's curve rises to the top right corner
    series = {
        cov: list(1000 + 30 * np.arange(8) + rng.normal(0, 20, 8)) for cov in covs
    }
    series["spherical"][-1] = max(max(v) for v in series.values()) + 100
    draw_comparison_chart(ctx, width, height, ks, series, dpr, best=("full", 2))
    lay = ic_legend_layout(width, covs, dpr)
    boxes = lay.boxes([ic_legend_entry_width(c, dpr) for c in covs])
    assert [c.args[0] for c in ctx.named("fillText") if c.args[0] in covs] == covs
    vertices = [
        c.args[:2]
        for path, _ in ctx.paths()
        if len(path) >= len(ks)
        for c in path
        if c.name in ("moveTo", "lineTo")
    ]
    assert len(vertices) >= len(covs) * len(ks)
    for x, y in vertices:
        assert y >= lay.plot_top - 1e-9
        for left, top, right, bottom in boxes:
            assert not (left <= x <= right and top <= y <= bottom), (x, y)
    assert ctx.balanced()


def test_legend_rows_wrap_in_reading_order():
    covs = ["full", "tied", "diag", "spherical"]
    for css_width in (200, 260, 340, 500, 900):
        lay = ic_legend_layout(css_width, covs)
        rows = [y for _, y in lay.entries]
        assert rows == sorted(rows)  # earlier entries never on a lower row
        for r in set(rows):
            xs = [x for x, y in lay.entries if y == r]
            assert xs == sorted(xs)  # left to right within a row
        assert lay.plot_top > max(rows)
