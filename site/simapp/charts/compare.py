"""Model comparison (issue 5, item 5): a criterion against K per covariance type.

mclust draws BIC against the number of components with one line per
covariance model and names the best (model, K). This module turns the
simulator's sweep cells (``ic`` events, or ``result["comparison"]``) into
those series, picks the best cell and words it. Plain Python, no browser.

Sign conventions: emcore (like scikit-learn) defines AIC = −2ℓ + 2p,
BIC = −2ℓ + p ln N and ICL = BIC + 2·(entropy of the responsibilities):
lower is better. mclust plots the negative (2ℓ − p ln N): higher is better.
:func:`series` applies the chosen sign; the best cell is the same either way.

Examples
--------
>>> cells = {("full", 1): {"bic": 10.0, "params": 5},
...          ("full", 2): {"bic": 7.0, "params": 11},
...          ("tied", 2): {"bic": 7.0, "params": 8}}
>>> best_cell(cells, "bic")
('tied', 2)
>>> axis_label("bic", higher_is_better=True)
'−BIC (higher is better)'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "COV_ORDER",
    "CRITERIA",
    "axis_label",
    "best_cell",
    "best_text",
    "cells_from_result",
    "series",
]

#: Criteria offered, lower is better in emcore's convention.
CRITERIA: dict[str, str] = {"bic": "BIC", "aic": "AIC", "icl": "ICL"}

#: Line order of the chart (and of the legend).
COV_ORDER: tuple[str, ...] = ("full", "tied", "diag", "spherical")

_MINUS = "\u2212"
_COV_WORDS = {
    "full": "full covariances (each ellipse its own size, shape and angle)",
    "tied": "one shared (tied) covariance",
    "diag": "diagonal covariances (axis-aligned ellipses)",
    "spherical": "spherical covariances (circles)",
}


def _check(criterion: str) -> str:
    if criterion not in CRITERIA:
        raise ValueError(
            f"criterion must be one of {', '.join(CRITERIA)}; got {criterion!r}"
        )
    return criterion


def cells_from_result(result: Mapping[str, Any]) -> dict[tuple[str, int], dict]:
    """``result["comparison"]`` (per type: ks, aic, bic, icl, params) as cells.

    Returns
    -------
    dict
        ``(cov, k) -> {"aic", "bic", "icl", "params"}``, the shape of
        ``RunModel.comparison`` (whose values are the ``ic`` events).
    """
    cells: dict[tuple[str, int], dict] = {}
    for cov, col in result.get("comparison", {}).items():
        for i, k in enumerate(col["ks"]):
            cells[str(cov), int(k)] = {
                name: col[name][i] for name in ("aic", "bic", "icl", "params")
            }
    return cells


def series(
    cells: Mapping[tuple[str, int], Mapping[str, Any]],
    ks: Sequence[int],
    criterion: str = "bic",
    *,
    higher_is_better: bool = False,
) -> dict[str, list[float | None]]:
    """Values per covariance type (in :data:`COV_ORDER`) at each ``k`` of ``ks``.

    Parameters
    ----------
    cells : mapping
        ``(cov, k) -> cell`` with the criterion under its lower-case name.
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
            v = None if cell is None else cell.get(criterion)
            v = None if v is None else float(v)
            values.append(sign * v if v is not None and math.isfinite(v) else None)
        out[cov] = values
    return out


def best_cell(
    cells: Mapping[tuple[str, int], Mapping[str, Any]], criterion: str = "bic"
) -> tuple[str, int] | None:
    """The ``(cov, k)`` with the lowest criterion; ties go to fewer parameters.

    This is ``emcore.experiment``'s rule for ``best_model`` (BIC), so for
    ``criterion="bic"`` on a finished run it gives ``result["best_model"]``.
    ``None`` while no finite cell has arrived.
    """
    _check(criterion)
    best = None
    for (cov, k), cell in cells.items():
        v = cell.get(criterion)
        if v is None or not math.isfinite(float(v)):
            continue
        key = (float(v), int(cell.get("params", 0)))
        if best is None or key < best[0]:
            best = (key, (str(cov), int(k)))
    return None if best is None else best[1]


def axis_label(criterion: str, *, higher_is_better: bool = False) -> str:
    """The y-axis title, saying which direction is better."""
    name = CRITERIA[_check(criterion)]
    if higher_is_better:
        return f"{_MINUS}{name} (higher is better)"
    return f"{name} (lower is better)"


def best_text(
    best: tuple[str, int] | None,
    criterion: str = "bic",
    *,
    n_types: int = 4,
    complete: bool = True,
) -> str:
    """The best model in words, e.g. for the summary under the chart."""
    name = CRITERIA[_check(criterion)]
    if best is None:
        return f"{name} per covariance type and K appears as the fits finish."
    cov, k = best
    what = _COV_WORDS.get(cov, f"{cov} covariances")
    if complete:
        lead = f"Best by {name} over {n_types} covariance types and K"
    else:
        lead = f"Best by {name} so far"
    # K once: the summary repeated itself ("... (full, K = 3)")
    return f"{lead}: K = {k} with {what}."
