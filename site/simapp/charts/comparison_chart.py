"""The model comparison: one criterion against K, one line per covariance type.

mclust draws BIC against the number of components with one line per
covariance model and names the best (model, K). This module turns the
simulator's sweep cells (``ic`` events, or a result's ``comparison``) into
those series, picks the best cell and draws the chart; the words are
:mod:`simapp.text.criteria`'s.

emcore's criteria are lower-is-better; :func:`series` can negate them to
mclust's higher-is-better convention. The best cell is the same either way.

Examples
--------
>>> cells = {("full", 1): Cell(aic=9.0, bic=10.0, icl=10.0, params=5),
...          ("full", 2): Cell(aic=4.0, bic=7.0, icl=8.0, params=11),
...          ("tied", 2): Cell(aic=5.0, bic=7.0, icl=7.5, params=8)}
>>> best_cell(cells, "bic")
('tied', 2)
>>> series(cells, [1, 2], higher_is_better=True)
{'full': [-10.0, -7.0], 'tied': [None, -7.0]}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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

__all__ = [
    "COMPARISON_STYLES",
    "COV_ORDER",
    "CRITERIA",
    "Cell",
    "best_cell",
    "caption",
    "cells_from_result",
    "draw_comparison_chart",
    "series",
]

#: Criteria offered, lower is better in emcore's convention.
CRITERIA: tuple[str, ...] = ("bic", "aic", "icl")

#: Line order of the chart (and of the legend).
COV_ORDER: tuple[str, ...] = ("full", "tied", "diag", "spherical")

#: Style per covariance type: colour, dash (CSS px), marker. Colour is
#: doubled by dash and marker for colour-blind readers.
COMPARISON_STYLES: dict[str, tuple[str, tuple[float, ...], str]] = {
    "full": (palette.HEX[0], (), "square"),
    "tied": (palette.HEX[1], (7.0, 4.0), "circle"),
    "diag": (palette.HEX[2], (2.0, 3.0), "triangle"),
    "spherical": (palette.HEX[4], (9.0, 3.0, 2.0, 3.0), "diamond"),
}
_FALLBACK_STYLE = (palette.AXIS_CSS, (), "circle")


def caption(criterion: str = "bic", *, higher_is_better: bool = False) -> str:
    """The chart's caption, naming each type's line by the look it is drawn
    with (:data:`COMPARISON_STYLES`)."""
    styles = {
        cov: (palette.colour_name(colour), dash, marker)
        for cov, (colour, dash, marker) in COMPARISON_STYLES.items()
    }
    return words.comparison_caption(
        styles, _check(criterion), higher_is_better=higher_is_better
    )


def _check(criterion: str) -> str:
    if criterion not in CRITERIA:
        raise ValueError(
            f"criterion must be one of {', '.join(CRITERIA)}; got {criterion!r}"
        )
    return criterion


@dataclass(frozen=True)
class Cell:
    """One model-selection cell's criteria and free parameters, as a
    finished run's ``comparison`` lists them (an ``ic`` event,
    ``emcore.records.CellEvent``, has the same attributes)."""

    aic: float
    bic: float
    icl: float
    params: int
    note: str = ""  # why the fit rests on a suspect component ("": none)


def cells_from_result(result) -> dict[tuple[str, int], Cell]:
    """A finished run's ``comparison`` (per type: ks, aic, bic, icl, params)
    as cells.

    Parameters
    ----------
    result : emcore.records.ExperimentResult

    Returns
    -------
    dict
        ``(cov, k) -> Cell``, the shape of ``RunModel.comparison`` (whose
        values are the ``ic`` events).
    """
    cells: dict[tuple[str, int], Cell] = {}
    for cov, col in result.comparison.items():
        for i, k in enumerate(col.ks):
            cells[str(cov), int(k)] = Cell(
                col.aic[i], col.bic[i], col.icl[i], col.params[i], col.notes[i]
            )
    return cells


def series(
    cells: Mapping[tuple[str, int], Any],
    ks: Sequence[int],
    criterion: str = "bic",
    *,
    higher_is_better: bool = False,
) -> dict[str, list[float | None]]:
    """Values per covariance type (in :data:`COV_ORDER`) at each ``k`` of ``ks``.

    Parameters
    ----------
    cells : mapping
        ``(cov, k) -> cell``: a :class:`Cell` or an ``ic`` event (its
        ``aic``, ``bic``, ``icl`` and ``params``).
    ks : sequence of int
    criterion : {'bic', 'aic', 'icl'}
    higher_is_better : bool, default False
        Negate the values (mclust's convention).

    Returns
    -------
    dict
        ``cov -> [value or None]``, ``None`` where the cell has not arrived
        (or is not finite). Only the types with at least one cell are listed.
    """
    _check(criterion)
    sign = -1.0 if higher_is_better else 1.0
    present = {cov for cov, _ in cells}
    out: dict[str, list[float | None]] = {}
    for cov in (*COV_ORDER, *sorted(present - set(COV_ORDER))):
        if cov not in present:
            continue
        values: list[float | None] = []
        for k in ks:
            cell = cells.get((cov, int(k)))
            v = None if cell is None else getattr(cell, criterion)
            v = None if v is None else float(v)
            values.append(sign * v if v is not None and math.isfinite(v) else None)
        out[cov] = values
    return out


def best_cell(
    cells: Mapping[tuple[str, int], Any], criterion: str = "bic"
) -> tuple[str, int] | None:
    """The ``(cov, k)`` with the lowest criterion; ties go to fewer parameters.

    Cells resting on a suspect component (a ``note``) are left out unless
    every cell has one. This is ``emcore.experiment``'s rule for
    ``best_model`` (BIC), so for ``criterion="bic"`` on a finished run it
    gives ``result.best_model``. ``None`` while no finite cell has arrived.
    """
    _check(criterion)
    best = None
    for (cov, k), cell in cells.items():
        v = getattr(cell, criterion)
        if v is None or not math.isfinite(float(v)):
            continue
        key = (bool(cell.note), float(v), int(cell.params))
        if best is None or key < best[0]:
            best = (key, (str(cov), int(k)))
    return None if best is None else best[1]


def draw_comparison_chart(
    ctx: Any,
    width: float,
    height: float,
    ks: Sequence[int],
    values: dict[str, Sequence[float | None]],
    dpr: float = 1.0,
    *,
    y_title: str | None = None,
    best: tuple[str, int] | None = None,
    current: tuple[str, int] | None = None,
    look: ChartLook = LIGHT,
) -> None:
    """One criterion against K, one line per covariance type (mclust-style).

    Parameters
    ----------
    ctx : canvas 2D context
    width, height : float
        Canvas size in device pixels; the whole canvas is redrawn.
    ks : sequence of int
        Candidate numbers of components, ascending.
    values : dict
        ``cov -> values`` (same length as ``ks``; None/NaN = not computed
        yet, drawn as a gap), already signed as they should be plotted
        (see :func:`series`).
    dpr : float, default 1
    y_title : str, optional
        Axis title; it should say whether lower or higher is better
        (:func:`simapp.text.criteria.axis_label`; default BIC's).
    best : (cov, k), optional
        The best cell, ringed.
    current : (cov, k), optional
        The fitted model of the run, marked by a dashed vertical line at k.
    look : ChartLook, default LIGHT
        The theme's colours (:mod:`simapp.charts.look`).

    Raises
    ------
    ValueError
        If a series' length differs from that of ``ks``.
    """
    k_arr = np.asarray(list(ks), dtype=np.float64)
    arrays = {cov: as_float_array(v) for cov, v in values.items()}
    for cov, a in arrays.items():
        if a.shape != k_arr.shape:
            raise ValueError(f"series {cov!r} has {a.size} values for {k_arr.size} K")
    finite = [a[np.isfinite(a)] for a in arrays.values()]
    vals = np.concatenate(finite) if finite else np.empty(0)
    if vals.size == 0 or not np.isfinite(k_arr).any():
        draw_empty(ctx, width, height, dpr, words.COMPARISON_EMPTY, look)
        return
    legend = legend_layout(width, list(arrays), dpr)
    frame = k_axes(
        ctx,
        width,
        height,
        dpr,
        (float(np.nanmin(k_arr)), float(np.nanmax(k_arr))),
        vals,
        (words.K_TITLE, words.axis_label("bic") if y_title is None else y_title),
        legend.plot_top,
        look,
    )
    ctx.save()
    draw_current_k(ctx, frame, None if current is None else current[1], dpr, look)
    xs = frame.x_px(k_arr)
    entries = []
    for cov, a in arrays.items():
        colour, dash, shape = COMPARISON_STYLES.get(cov, _FALLBACK_STYLE)
        dash_px = [d * dpr for d in dash]
        ys = frame.y_px(a)
        draw_series(ctx, xs, ys, (colour, dash_px, shape), 3.2 * dpr, dpr)
        if best is not None and best[0] == cov:
            hit = np.flatnonzero(k_arr == best[1])
            if hit.size and math.isfinite(ys[hit[0]]):
                ring(ctx, float(xs[hit[0]]), float(ys[hit[0]]), dpr)
        entries.append(LegendEntry(cov, colour, tuple(dash_px), shape, 2.8 * dpr))
    draw_legend(ctx, legend, entries, dpr, look)
    ctx.restore()
