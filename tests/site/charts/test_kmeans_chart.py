"""simapp.charts.kmeans_chart: k-means' clusters in the matched colours."""

from __future__ import annotations

import numpy as np
from simapp.charts import kmeans_chart

from emcore.experiment import run as emcore_run


def test_kmeans_colours():
    result = emcore_run(k=3, n=300, seed=2)
    km = result.kmeans
    rgb = kmeans_chart.kmeans_colours(km.labels, 3, km.mapping)
    assert rgb.shape == (300, 3) and rgb.dtype == np.uint8
    assert len({tuple(c) for c in rgb}) == len(set(km.labels.tolist()))


def test_kmeans_centres_are_outlined_diamonds(ctx):
    centres = np.array([[10.0, 20.0], [np.nan, 5.0], [40.0, 30.0]])
    kmeans_chart.draw_kmeans_centres(ctx, centres, ["#111", "#222", "#333"], 2.0)
    fills = [c.state["fillStyle"] for c in ctx.named("fill")]
    assert fills == ["#111", "#333"]  # the non-finite centre is skipped
    assert [len(p) for p, _ in ctx.paths("fill")] == [5, 5]  # 4 corners, closed
    assert ctx.balanced()
