"""The k-means panel's chart: k-means' clusters in the mixture's colours.

The scatter is rasterised like the data chart's; :func:`kmeans_colours`
gives each point the colour of its k-means cluster, matched to the true
clusters like the mixture's components, and :func:`draw_kmeans_centres`
marks the k-means centres.

Examples
--------
>>> kmeans_colours([0, 1, 1], 2, [1, 0]).tolist()
[[230, 159, 0], [0, 114, 178], [0, 114, 178]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from simapp.charts import palette

__all__ = ["draw_kmeans_centres", "kmeans_colours"]


def kmeans_colours(labels, k: int, mapping) -> np.ndarray:
    """RGB of every point in its k-means cluster's matched colour.

    Parameters
    ----------
    labels : array_like of int, shape (n,)
        k-means' hard labels.
    k : int
        Number of clusters.
    mapping : array_like of int, shape (k,)
        Cluster -> true cluster (:func:`simapp.charts.palette.component_colors`).

    Returns
    -------
    ndarray of uint8, shape (n, 3)
    """
    colours = palette.component_colors(int(k), mapping)
    rgb = np.rint(colours * 255.0).astype(np.uint8)
    return rgb[np.asarray(labels, dtype=np.intp)]


def draw_kmeans_centres(
    ctx: Any, centres_px, colours_css: Sequence[str], dpr: float
) -> None:
    """Mark k-means centres: a filled diamond in the cluster colour, outlined.

    Parameters
    ----------
    ctx : canvas 2D context
    centres_px : array_like, shape (k, 2)
        Centres in device pixels; non-finite ones are skipped.
    colours_css : sequence of str, length k
    dpr : float
    """
    h = 7 * dpr
    ctx.save()
    for (x, y), colour in zip(np.asarray(centres_px), colours_css, strict=False):
        x, y = float(x), float(y)
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        ctx.beginPath()
        ctx.moveTo(x, y - h)
        ctx.lineTo(x + h, y)
        ctx.lineTo(x, y + h)
        ctx.lineTo(x - h, y)
        ctx.closePath()
        ctx.fillStyle = colour
        ctx.fill()
        ctx.strokeStyle = "#111111"
        ctx.lineWidth = 2 * dpr
        ctx.stroke()
    ctx.restore()
