"""simapp.charts.ic_chart: AIC and BIC against K, minima ringed and named."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from fakes import line_strokes, stroke_word
from simapp.charts.axes import legend_entry_width, legend_layout
from simapp.charts.ic_chart import (
    AIC_COLOR,
    BIC_COLOR,
    IC_STYLES,
    caption,
    draw_ic_chart,
)
from simapp.charts.marks import MIN_RING_CSS
from simapp.charts.palette import HEX
from simapp.text.describe import COLOUR_NAMES


def _ic_curves(rng, ks):
    k = np.asarray(ks, float)
    k_true = rng.integers(2, 6)
    base = 1000 + 80 * (k - k_true) ** 2 + rng.normal(0, 5, size=k.size)
    return base + 10 * k, base + 25 * k


@pytest.mark.parametrize("seed", range(8))
def test_ic_chart_marks_the_true_minima(ctx, seed):
    rng = np.random.default_rng(seed)
    ks = list(range(1, 9))
    aic, bic = _ic_curves(rng, ks)
    aic[rng.integers(0, 8)] = np.nan  # progressive: one K not computed yet
    dpr = 2.0
    best = draw_ic_chart(
        ctx,
        900,
        500,
        ks,
        list(aic),
        [None if not np.isfinite(x) else x for x in bic],
        dpr,
        current_k=3,
    )
    exp_aic = ks[int(np.nanargmin(aic))]
    exp_bic = ks[int(np.nanargmin(bic))]
    assert best == (exp_aic, exp_bic)

    rings = [c for c in ctx.named("arc") if math.isclose(c.args[2], MIN_RING_CSS * dpr)]
    assert len(rings) == 2
    by_colour = {c.state["strokeStyle"]: c for c in rings}
    assert set(by_colour) == {AIC_COLOR, BIC_COLOR}
    # AIC markers are filled circles: the ring must sit on the lowest one
    # (largest canvas y, since y grows downwards) and nowhere else.
    dots = [
        c
        for c in ctx.named("arc")
        if c.state["fillStyle"] == AIC_COLOR and c.args[2] < MIN_RING_CSS * dpr
    ]
    dots = [d for d in dots if d.args[1] < 500 - 10]  # exclude the legend swatch row
    assert len(dots) >= int(np.isfinite(aic).sum())
    lowest = max(dots[: int(np.isfinite(aic).sum())], key=lambda d: d.args[1])
    ring = by_colour[AIC_COLOR]
    assert ring.args[0] == lowest.args[0] and ring.args[1] == lowest.args[1]
    # Markers appear in K order, so the ring's x ranks the right K.
    xs = sorted({d.args[0] for d in dots[: int(np.isfinite(aic).sum())]})
    finite_ks = [k for k, v in zip(ks, aic, strict=True) if np.isfinite(v)]
    assert finite_ks[xs.index(ring.args[0])] == exp_aic
    # BIC ring: same x as AIC's marker for that K would have, lower y = smaller value.
    texts = " ".join(ctx.texts())
    assert f"AIC: min at K={exp_aic}" in texts and f"BIC: min at K={exp_bic}" in texts
    assert ctx.balanced()


def test_ic_chart_rings_agree_with_bic_values(ctx):
    rng = np.random.default_rng(42)
    ks = [1, 2, 3, 4, 5, 6]
    aic, bic = _ic_curves(rng, ks)
    draw_ic_chart(ctx, 600, 400, ks, aic, bic, 1.0)
    rings = {
        c.state["strokeStyle"]: c
        for c in ctx.named("arc")
        if math.isclose(c.args[2], MIN_RING_CSS)
    }
    # Smaller criterion value = lower on screen = larger canvas y.
    ra, rb = rings[AIC_COLOR], rings[BIC_COLOR]
    assert (ra.args[1] > rb.args[1]) == (np.min(aic) < np.min(bic))
    assert ra.args[0] == rb.args[0]  # same K for both minima in this example
    assert np.argmin(aic) == np.argmin(bic)


def test_the_ring_leaves_out_a_lower_fit_on_suspect_components(ctx):
    rng = np.random.default_rng(7)
    ks = [1, 2, 3, 4, 5, 6]
    aic, bic = _ic_curves(rng, ks)
    low = int(np.argmin(bic))
    aic[5] = bic[5] = min(aic.min(), bic.min()) - 50  # K = 6 lowest of all
    left_out = [k == 6 for k in ks]
    best = draw_ic_chart(ctx, 600, 400, ks, aic, bic, 1.0, left_out=left_out)
    assert best[1] == ks[low] != 6
    assert best[0] == ks[int(np.argmin(aic[:5]))]
    texts = " ".join(ctx.texts())
    assert "BIC: min at K=6" not in texts and f"BIC: min at K={ks[low]}" in texts
    # with every fit suspect, the lowest is ringed after all
    other = type(ctx)()
    assert draw_ic_chart(other, 600, 400, ks, aic, bic, 1.0, left_out=[True] * 6) == (
        6,
        6,
    )
    with pytest.raises(ValueError, match="left_out"):
        draw_ic_chart(ctx, 600, 400, ks, aic, bic, 1.0, left_out=[True])


def test_ic_chart_empty_and_pending_states(ctx):
    best = draw_ic_chart(
        ctx, 400, 300, [1, 2, 3], [None, None, None], [math.nan] * 3, 1.0
    )
    assert best == (None, None)
    assert ctx.named("clearRect") and ctx.texts()
    other = type(ctx)()
    best = draw_ic_chart(other, 400, 300, [1, 2, 3], [5.0, None, None], [None] * 3, 1.0)
    assert best == (1, None)
    assert any("BIC: pending" in t for t in other.texts())
    with pytest.raises(ValueError):
        draw_ic_chart(ctx, 400, 300, [1, 2], [1.0], [1.0, 2.0], 1.0)


def test_the_ic_chart_names_k_and_the_criterion(ctx):
    draw_ic_chart(ctx, 600, 300, [1, 2, 3], [30.0, 20.0, 25.0], [31.0, 22.0, 28.0])
    texts = ctx.texts()
    assert "number of components K" in texts
    assert any("AIC" in t and "BIC" in t and "lower is better" in t for t in texts)


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
    lay = legend_layout(width, labels, dpr)
    boxes = lay.boxes([legend_entry_width(t, dpr) for t in labels])
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


def test_the_caption_names_each_line_as_it_is_drawn(ctx):
    dpr = 2.0
    draw_ic_chart(ctx, 900, 600, [1, 2, 3], [3.0, 2.0, 1.0], [1.0, 2.0, 3.0], dpr)
    drawn = line_strokes(ctx, dpr)
    text = caption()
    for name, (colour, dash, marker) in IC_STYLES.items():
        assert drawn[colour] == tuple(d * dpr for d in dash)
        look = f"{COLOUR_NAMES[HEX.index(colour)]}, {stroke_word(dash)}, {marker}s"
        assert f"{name} ({look})" in text


def test_the_pages_first_caption_is_the_charts():
    html = (Path(__file__).resolve().parents[3] / "site" / "index.html").read_text()
    shown = re.search(r'<figcaption id="ic-caption">(.*?)</figcaption>', html, re.S)
    assert shown is not None and " ".join(shown[1].split()) == caption()
