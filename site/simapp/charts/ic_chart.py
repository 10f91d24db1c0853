"""The AIC/BIC chart: both criteria against the number of components K.

Colour is doubled by dash style and marker shape for colour-blind readers:
AIC is orange, dashed, with circles; BIC blue, solid, with squares. Each
minimum over the fits without suspect components is ringed and named in the
legend above the plot.

Examples
--------
>>> best_k([1, 2, 3], [5.0, 4.0, None])
2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from simapp.charts import palette
from simapp.charts.axes import (
    LegendEntry,
    draw_current_k,
    draw_empty,
    draw_legend,
    k_axes,
    legend_layout,
)
from simapp.charts.look import LIGHT, ChartLook
from simapp.charts.marks import as_float_array, draw_series, ring
from simapp.text import criteria as words

__all__ = ["AIC_COLOR", "BIC_COLOR", "IC_STYLES", "best_k", "caption", "draw_ic_chart"]

AIC_COLOR = palette.HEX[1]
BIC_COLOR = palette.HEX[0]

#: Style per criterion, in drawing order: colour, dash (CSS px), marker.
IC_STYLES: dict[str, tuple[str, tuple[float, ...], str]] = {
    "AIC": (AIC_COLOR, (6.0, 4.0), "circle"),
    "BIC": (BIC_COLOR, (), "square"),
}


def caption() -> str:
    """The chart's caption, naming each line by the look it is drawn with."""
    return words.ic_caption(
        {
            name: (palette.colour_name(colour), dash, marker)
            for name, (colour, dash, marker) in IC_STYLES.items()
        }
    )


def best_k(
    ks: Sequence[int],
    values: Sequence[float | None],
    left_out: Sequence[bool] | None = None,
) -> int | None:
    """K with the smallest finite value (the first on ties), over the K not
    ``left_out`` (fits resting on a suspect component) unless every finite
    value is; ``None`` when no value is finite yet."""
    k_arr = np.asarray(list(ks), dtype=np.float64)
    v = as_float_array(values)
    ok = np.isfinite(v) & np.isfinite(k_arr)
    if not ok.any():
        return None
    if left_out is not None:
        kept = ok & ~np.asarray(list(left_out), dtype=bool)
        ok = kept if kept.any() else ok
    idx = np.flatnonzero(ok)
    return int(k_arr[idx[np.argmin(v[idx])]])


def draw_ic_chart(
    ctx: Any,
    width: float,
    height: float,
    ks: Sequence[int],
    aic: Sequence[float | None],
    bic: Sequence[float | None],
    dpr: float = 1.0,
    current_k: int | None = None,
    look: ChartLook = LIGHT,
    left_out: Sequence[bool] | None = None,
) -> tuple[int | None, int | None]:
    """AIC and BIC against the number of components, minima marked.

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels; the whole canvas is redrawn.
    ks : sequence of int
        Candidate numbers of components, ascending (e.g. 1..8).
    aic, bic : sequence of float or None, same length as ``ks``
        Criterion values; NaN/None for K not computed yet (the sweep may
        arrive progressively), drawn as gaps.
    dpr : float, default 1
    current_k : int, optional
        K chosen in the controls, shown as a dashed vertical line.
    look : ChartLook, default LIGHT
        The theme's colours (:mod:`simapp.charts.look`).
    left_out : sequence of bool, optional, same length as ``ks``
        True where the fit rests on a suspect component: drawn, but not
        ringed as a minimum (:func:`best_k`).

    Returns
    -------
    best_aic_k, best_bic_k : int or None
        K with the smallest finite AIC / BIC not left out (first one on
        ties), ``None`` when that criterion has no finite value yet.

    Raises
    ------
    ValueError
        If ``ks``, ``aic`` and ``bic`` differ in length.
    """
    k_arr = np.asarray(list(ks), dtype=np.float64)
    a = as_float_array(aic)
    b = as_float_array(bic)
    if not (a.shape == b.shape == k_arr.shape):
        raise ValueError(
            f"ks, aic, bic lengths differ: {k_arr.size}, {a.size}, {b.size}"
        )
    if left_out is not None and len(left_out) != k_arr.size:
        raise ValueError(f"left_out has {len(left_out)} values, ks has {k_arr.size}")
    best = (best_k(ks, a, left_out), best_k(ks, b, left_out))
    vals = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])
    if vals.size == 0 or not np.isfinite(k_arr).any():
        draw_empty(ctx, width, height, dpr, words.IC_EMPTY, look)
        return best
    k_fin = k_arr[np.isfinite(k_arr)]
    labels = [
        words.legend_label(name, k)
        for name, k in zip(("AIC", "BIC"), best, strict=True)
    ]
    legend = legend_layout(width, labels, dpr)
    frame = k_axes(
        ctx,
        width,
        height,
        dpr,
        (float(k_fin.min()), float(k_fin.max())),
        vals,
        (words.K_TITLE, words.IC_TITLE),
        legend.plot_top,
        look,
    )
    ctx.save()
    draw_current_k(ctx, frame, current_k, dpr, look)
    xs = frame.x_px(k_arr)
    styles = tuple(
        (values, (colour, [d * dpr for d in dash], marker), k_best)
        for values, (colour, dash, marker), k_best in zip(
            (a, b), IC_STYLES.values(), best, strict=True
        )
    )
    for values, style, k_best in styles:
        ys = frame.y_px(values)
        draw_series(ctx, xs, ys, style, 3.5 * dpr, dpr)
        if k_best is not None:
            i = int(np.flatnonzero(k_arr == k_best)[0])
            ring(ctx, float(xs[i]), float(ys[i]), dpr)
    entries = [
        LegendEntry(label, colour, tuple(dash), shape, 3 * dpr)
        for label, (_, (colour, dash, shape), _) in zip(labels, styles, strict=True)
    ]
    draw_legend(ctx, legend, entries, dpr, look)
    ctx.restore()
    return best
