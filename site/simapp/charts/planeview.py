"""The data chart's plane for data of more than two columns.

The scatter draws 2-D points; a fit of d columns is drawn through a
:class:`simapp.data.projection.Projection` (a pair of columns or the first two
principal components). :func:`project_drawable` maps what the chart draws
(a live frame, the final result, a history position or a start's solution)
onto that plane: the points keep their responsibilities and colours (those of
the d-column fit), and each ellipse is the projection of its component's
fitted covariance, ``Pᵀ Σ P``. :func:`axis_titles` names the axes and
:func:`draw_axis_titles` writes them inside the plot.

Examples
--------
>>> import numpy as np
>>> from simapp.data.projection import Projection
>>> frame = {
...     "weights": np.array([1.0]),
...     "means": np.array([[1.0, 2.0, 3.0]]),
...     "covariances": np.diag([1.0, 4.0, 9.0])[None],
...     "resp": None,
...     "mapping": np.array([0]),
... }
>>> shown = project_drawable(frame, Projection.pair(3, 2, 0, ("a", "b", "c")))
>>> shown.params.means.tolist(), shown.ellipses[0].semi_axes.tolist()
([[3.0, 1.0]], [3.0, 1.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from emcore.geometry import mixture_ellipses
from simapp.charts import palette
from simapp.charts.explore import Drawable
from simapp.charts.marks import font
from simapp.data.projection import Projection
from simapp.run.timeline import Params

__all__ = ["axis_titles", "draw_axis_titles", "project_drawable"]


def _params(source) -> Params | None:
    if isinstance(source, Drawable):
        return source.params
    if source.get("weights") is None or source.get("covariances") is None:
        return None
    return Params(
        np.asarray(source["weights"], dtype=np.float64),
        np.asarray(source["means"], dtype=np.float64),
        np.asarray(source["covariances"], dtype=np.float64),
    )


def project_drawable(source, projection: Projection | None):
    """``source`` as the plane of ``projection`` shows it.

    Parameters
    ----------
    source : Drawable, mapping or None
        What the chart draws: ``weights`` (K,), ``means`` (K, d), full
        ``covariances`` (K, d, d), ``resp`` (n, K) or None, ``mapping`` (K,).
    projection : Projection or None
        ``None``: the data's two columns as they are (``source`` unchanged).

    Returns
    -------
    Drawable or the unchanged ``source``
        Projected 1σ ellipses and parameters (means (K, 2), covariances
        (K, 2, 2)); responsibilities and colour mapping as they were. A
        source without parameters keeps no ellipses (those the simulator
        made belong to the first two columns only).
    """
    if source is None or projection is None:
        return source
    params = _params(source)
    resp, mapping = source["resp"], source["mapping"]
    if params is None:
        return Drawable([], resp, mapping, None)
    means = projection.means(params.means)
    covariances = projection.covariances(params.covariances)
    shown = Params(params.weights, means, covariances)
    ellipses = mixture_ellipses(means, covariances, "full")
    return Drawable(ellipses, resp, mapping, shown)


def axis_titles(
    projection: Projection | None, titles: Sequence[str] = ()
) -> tuple[str, str] | None:
    """The chart's ``(x, y)`` titles: the projection's, else the two
    columns' ``titles``; ``None`` when nothing names them (simulated data)."""
    if projection is not None:
        return (str(projection.labels[0]), str(projection.labels[1]))
    if len(titles) == 2:
        return (str(titles[0]), str(titles[1]))
    return None


def draw_axis_titles(ctx: Any, view, titles: tuple[str, str] | None) -> None:
    """Write the titles inside the plot: x at the bottom right, y at the top
    left (the chart's margins hold only the tick labels)."""
    if titles is None:
        return
    dpr = view.dpr
    pad = 5 * dpr
    ctx.save()
    ctx.font = font(11, dpr, "600")
    ctx.fillStyle = palette.AXIS_CSS
    ctx.textAlign = "right"
    ctx.textBaseline = "bottom"
    ctx.fillText(f"{titles[0]} →", view.right - pad, view.bottom - pad)
    ctx.textAlign = "left"
    ctx.textBaseline = "top"
    ctx.fillText(f"↑ {titles[1]}", view.left + pad, view.top + pad)
    ctx.restore()
