"""Texts the page shows for a run: results panel, labels, progress, summary.

Each result field gets a readable text and a full-precision machine value (the
``data-value`` attribute that links and tests read): ``repr`` of floats,
``"true"``/``"false"`` for booleans, ``"OK"``/``"WARN"`` for the verdict.

Examples
--------
>>> format_number(-1234.5678)
'−1,234.57'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "RESULT_IDS",
    "ResultField",
    "data_label",
    "format_number",
    "format_result",
    "frame_label",
    "headline",
    "sweep_label",
]

#: Element ids of the results panel, in display order.
RESULT_IDS: tuple[str, ...] = (
    "result-params",
    "result-iterations",
    "result-converged",
    "result-loglik",
    "result-aic",
    "result-bic",
    "result-ari",
    "result-verdict",
)

MINUS = "\u2212"


@dataclass(frozen=True)
class ResultField:
    """One result element's content.

    Attributes
    ----------
    text : str
        What a reader sees.
    value : str
        Full-precision machine value for ``data-value``.
    detail : str
        Optional second line (e.g. the verdict's reason), may be empty.
    kind : str
        Styling hint: ``""``, ``"ok"`` or ``"warn"``.
    """

    text: str
    value: str
    detail: str = ""
    kind: str = ""


def format_number(x: float, decimals: int = 2) -> str:
    """Thousands separators, fixed decimals and a real minus sign.

    Non-finite values read ``'n/a'`` rather than ``nan``.
    """
    x = float(x)
    if not math.isfinite(x):
        return "n/a"
    text = f"{abs(x):,.{decimals}f}"
    return f"{MINUS}{text}" if x < 0 and float(text.replace(",", "")) != 0 else text


def format_result(result: Mapping[str, Any]) -> dict[str, ResultField]:
    """Readable text and ``data-value`` for every id in :data:`RESULT_IDS`.

    Parameters
    ----------
    result : mapping
        What ``emcore.experiment.run`` returns.

    Returns
    -------
    dict
        ``element id -> ResultField``.
    """
    settings = result.get("settings", {})
    n = int(settings.get("n", 0)) or len(result.get("labels_true", ())) or 1
    iterations = int(result["iterations"])
    converged = bool(result["converged"])
    loglik = float(result["loglik"])
    verdict = str(result["verdict"])
    cap = settings.get("iters")
    if converged:
        iter_detail = "converged"
    elif cap is not None:
        iter_detail = f"capped at {int(cap)}, not converged"
    else:
        iter_detail = "capped, not converged"
    return {
        "result-params": ResultField(
            str(int(result["params"])), str(int(result["params"]))
        ),
        "result-iterations": ResultField(
            f"{iterations} ({iter_detail})",
            str(iterations),
            kind="" if converged else "warn",
        ),
        "result-converged": ResultField(
            "yes" if converged else "no (hit the iteration cap)",
            "true" if converged else "false",
            kind="ok" if converged else "warn",
        ),
        "result-loglik": ResultField(
            format_number(loglik),
            repr(loglik),
            detail=f"{format_number(loglik / n, 4)} per point",
        ),
        "result-aic": ResultField(
            format_number(result["aic"]), repr(float(result["aic"]))
        ),
        "result-bic": ResultField(
            format_number(result["bic"]), repr(float(result["bic"]))
        ),
        # your own data without a label column have no ARI (None)
        "result-ari": (
            ResultField("n/a (no true labels)", "")
            if result.get("ari") is None
            else ResultField(
                format_number(result["ari"], 4), repr(float(result["ari"]))
            )
        ),
        "result-verdict": ResultField(
            verdict,
            verdict,
            detail=str(result.get("verdict_reason", "")),
            kind="ok" if verdict == "OK" else "warn",
        ),
    }


def headline(fields: Mapping[str, ResultField]) -> str:
    """One line of the headline results, for a stage too small to show the
    results panel beside the scatter (phones, embedded frames).

    Parameters
    ----------
    fields : mapping
        What :func:`format_result` returns.

    Examples
    --------
    >>> fields = {
    ...     "result-loglik": ResultField("−1,234.57", "-1234.5678"),
    ...     "result-bic": ResultField("2,520.10", "2520.1"),
    ...     "result-ari": ResultField("n/a (no true labels)", ""),
    ...     "result-converged": ResultField("no (hit the iteration cap)", "false"),
    ... }
    >>> headline(fields)
    'log L −1,234.57 · BIC 2,520.10 · not converged'
    """
    parts = [
        f"log L {fields['result-loglik'].text}",
        f"BIC {fields['result-bic'].text}",
    ]
    if fields["result-ari"].value:
        parts.append(f"ARI {fields['result-ari'].text}")
    if fields["result-converged"].value != "true":
        parts.append("not converged")
    return " · ".join(parts)


def data_label(n: int, k: int) -> str:
    """Caption while only the data are shown."""
    return f"{n} points drawn from {k} true clusters; EM starts next"


def frame_label(
    start: int, n_starts: int, iteration: int, *, converged: bool = False
) -> str:
    """Caption of an animation frame, e.g. ``'start 2 of 4, iteration 7'``.

    ``start`` is 0-based as in the simulator's events; the label is 1-based.
    """
    label = f"start {start + 1} of {n_starts}, iteration {iteration}"
    return label + " (converged)" if converged else label


def sweep_label(k: int, start: int, iteration: int, ks: Sequence[int]) -> str:
    """Progress text during the model-selection sweep."""
    return (
        f"Model selection: fitting K = {k} (of {ks[0]}–{ks[-1]}) for the "
        f"AIC/BIC chart, start {start + 1}, iteration {iteration}"
    )
