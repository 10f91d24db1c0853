"""simapp.charts.comparison_chart: a criterion against K per covariance type,
its best cell and its chart."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fakes import line_strokes, stroke_word
from hypothesis import given, settings
from hypothesis import strategies as st
from simapp.charts import comparison_chart as compare
from simapp.charts.axes import legend_entry_width, legend_layout
from simapp.charts.marks import MIN_RING_CSS
from simapp.charts.palette import HEX
from simapp.run.model import RunModel
from simapp.text.criteria import CRITERION_NAMES
from simapp.text.describe import COLOUR_NAMES

from emcore.experiment import SWEEP_KS, iterate, run


@pytest.fixture(scope="module")
def compared():
    return run(k=3, n=300, overlap=40, seed=11, n_init=1, compare=True)


def test_best_cell_is_emcores_best_model(compared):
    cells = compare.cells_from_result(compared)
    assert len(cells) == 4 * len(SWEEP_KS)
    assert compare.best_cell(cells, "bic") == tuple(compared.best_model)
    for crit in ("aic", "icl"):
        cov, k = compare.best_cell(cells, crit)
        values = getattr(compared.comparison[cov], crit)
        assert values[k - 1] == min(
            min(getattr(c, crit)) for c in compared.comparison.values()
        )


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["full", "diag"]))
def test_progressive_cells_end_equal_to_the_result(seed, cov):
    model = RunModel({"cov": cov})
    seen = []
    for event in iterate(k=2, n=120, seed=seed, n_init=1, cov=cov, compare=True):
        model.apply(event)
        if event.kind == "ic":
            s = compare.series(model.comparison, SWEEP_KS, "bic")
            seen.append(sum(v is not None for vals in s.values() for v in vals))
    assert seen == list(range(1, 4 * len(SWEEP_KS) + 1))  # one cell at a time
    final = compare.cells_from_result(model.result)
    for crit in compare.CRITERIA:
        assert compare.series(model.comparison, SWEEP_KS, crit) == compare.series(
            final, SWEEP_KS, crit
        )
    assert compare.best_cell(model.comparison) == tuple(model.result.best_model)


def test_series_sign_order_and_gaps(compared):
    cells = compare.cells_from_result(compared)
    low = compare.series(cells, SWEEP_KS, "aic")
    high = compare.series(cells, SWEEP_KS, "aic", higher_is_better=True)
    assert list(low) == list(compare.COV_ORDER)
    for cov in low:
        assert high[cov] == [-v for v in low[cov]]
        assert low[cov] == list(compared.comparison[cov].aic)
    partial = {("tied", 2): compare.Cell(aic=4.0, bic=5.0, icl=5.5, params=3)}
    assert compare.series(partial, [1, 2, 3]) == {"tied": [None, 5.0, None]}
    assert compare.best_cell({}) is None
    # a lower cell resting on a suspect component is left out, unless all are
    odd = compare.Cell(aic=1.0, bic=2.0, icl=2.0, params=9, note="collapsed")
    assert compare.best_cell({**partial, ("full", 6): odd}) == ("tied", 2)
    assert compare.best_cell({("full", 6): odd}) == ("full", 6)
    nan = {("full", 1): compare.Cell(aic=1.0, bic=math.nan, icl=2.0, params=1)}
    assert compare.series(nan, [1]) == {"full": [None]}
    with pytest.raises(ValueError, match="criterion"):
        compare.series(partial, [1], "bicc")


def test_comparison_chart_draws_one_styled_line_per_type(ctx, compared):
    cells = compare.cells_from_result(compared)
    series = compare.series(cells, SWEEP_KS, "bic")
    best = compare.best_cell(cells)
    compare.draw_comparison_chart(
        ctx, 640, 400, SWEEP_KS, series, 1.0, y_title="BIC (lower is better)", best=best
    )
    assert ctx.balanced()
    texts = ctx.texts()
    assert "BIC (lower is better)" in texts
    for cov in compare.COV_ORDER:
        assert cov in texts
    strokes = {c.state["strokeStyle"] for _, c in ctx.paths("stroke")}
    for colour, _, _ in compare.COMPARISON_STYLES.values():
        assert colour in strokes
    # the ring marks the best cell: the lowest point of all series
    rings = [c for c in ctx.named("arc") if math.isclose(c.args[2], MIN_RING_CSS)]
    assert len(rings) == 1
    ring_colour = rings[0].state["strokeStyle"]
    assert ring_colour == compare.COMPARISON_STYLES[best[0]][0]
    colours = {colour for colour, _, _ in compare.COMPARISON_STYLES.values()}
    points = [
        c.args[1]
        for calls, stroke in ctx.paths("stroke")
        if stroke.state["strokeStyle"] in colours and len(calls) >= 3  # not legend
        for c in calls
    ]
    assert len(points) == 4 * len(SWEEP_KS)
    assert math.isclose(rings[0].args[1], max(points), abs_tol=1e-6)  # lowest


def test_comparison_chart_gaps_empty_and_bad_lengths(ctx):
    compare.draw_comparison_chart(
        ctx, 400, 300, [1, 2, 3], {"full": [None, None, None]}, 1.0
    )
    assert any("fills in" in t for t in ctx.texts())
    other = type(ctx)()
    compare.draw_comparison_chart(
        other, 400, 300, [1, 2, 3], {"full": [3.0, None, 1.0], "tied": [2.0, 2.5, None]}
    )
    assert other.balanced()
    with pytest.raises(ValueError):
        compare.draw_comparison_chart(ctx, 400, 300, [1, 2], {"full": [1.0]})


def test_the_comparison_chart_names_k_and_the_criterion(ctx):
    series = {"full": [3.0, 2.0, 2.5], "diag": [3.5, 2.8, 2.9]}
    compare.draw_comparison_chart(ctx, 600, 300, [1, 2, 3], series, y_title="ICL")
    assert {"number of components K", "ICL"} <= set(ctx.texts())


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
    compare.draw_comparison_chart(ctx, width, height, ks, series, dpr, best=("full", 2))
    lay = legend_layout(width, covs, dpr)
    boxes = lay.boxes([legend_entry_width(c, dpr) for c in covs])
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


@pytest.mark.parametrize("higher", [False, True])
@pytest.mark.parametrize("criterion", compare.CRITERIA)
def test_the_caption_names_each_types_line_as_it_is_drawn(ctx, criterion, higher):
    dpr = 2.0
    ks = [1, 2, 3]
    values = {
        cov: [3.0 + j, 2.0 + j, 1.0 + j] for j, cov in enumerate(compare.COV_ORDER)
    }
    compare.draw_comparison_chart(ctx, 900, 600, ks, values, dpr)
    drawn = line_strokes(ctx, dpr)
    text = compare.caption(criterion, higher_is_better=higher)
    for cov, (colour, dash, marker) in compare.COMPARISON_STYLES.items():
        assert drawn[colour] == tuple(d * dpr for d in dash)
        look = f"{COLOUR_NAMES[HEX.index(colour)]}, {stroke_word(dash)}, {marker}s"
        assert f"{cov} ({look})" in text
    # the criterion shown, not the AIC/BIC chart's lines
    name = CRITERION_NAMES[criterion]
    assert name in text and "AIC (" not in text and "BIC (" not in text
    assert ("highest" in text) == higher and ("lowest" in text) != higher
