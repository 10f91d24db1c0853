"""The results panel in words: the fit's numbers, fit versus truth, timings.

Each result field gets a readable text and a full-precision machine value (the
``data-value`` attribute that links and tests read): ``repr`` of floats,
``"true"``/``"false"`` for booleans, ``"OK"``/``"WARN"`` for the verdict.

Examples
--------
>>> format_number(-1234.5678)
'−1,234.57'
>>> fit_vs_truth(4, 2, 2)[1]
'over'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "COMPUTING",
    "NO_RESULT",
    "RESULT_IDS",
    "ResultField",
    "fit_vs_truth",
    "format_number",
    "format_result",
    "headline",
    "run_stats",
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
#: A field while a run computes it, and when no result will come.
COMPUTING = "…"
NO_RESULT = "–"


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


def format_result(result) -> dict[str, ResultField]:
    """Readable text and ``data-value`` for every id in :data:`RESULT_IDS`.

    Parameters
    ----------
    result : emcore.records.ExperimentResult
        What ``emcore.experiment.run`` returns.

    Returns
    -------
    dict
        ``element id -> ResultField``.
    """
    settings = result.settings
    n = int(settings.get("n", 0)) or len(result.X) or 1
    iterations = int(result.iterations)
    converged = bool(result.converged)
    loglik = float(result.loglik)
    verdict = str(result.verdict)
    cap = settings.get("iters")
    if converged:
        iter_detail = "converged"
    elif cap is not None:
        iter_detail = f"capped at {int(cap)}, not converged"
    else:
        iter_detail = "capped, not converged"
    return {
        "result-params": ResultField(str(int(result.params)), str(int(result.params))),
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
        "result-aic": ResultField(format_number(result.aic), repr(float(result.aic))),
        "result-bic": ResultField(format_number(result.bic), repr(float(result.bic))),
        # your own data without a label column have no ARI (None)
        "result-ari": (
            ResultField("n/a (no true labels)", "")
            if result.ari is None
            else ResultField(format_number(result.ari, 4), repr(float(result.ari)))
        ),
        # fewer than two converged starts: nothing was compared, nothing is OK
        "result-verdict": ResultField(
            verdict if result.verdict_checked else "not checked",
            verdict,
            detail=str(result.verdict_reason),
            kind=("ok" if verdict == "OK" else "warn")
            if result.verdict_checked
            else "",
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


def fit_vs_truth(k: int, k_true: int | None, best_k_bic: int) -> tuple[str, str]:
    """Sentence comparing fitted K, the data's clusters and BIC's pick.

    Returns
    -------
    text : str
    kind : {'match', 'over', 'under', 'unknown'}
    """
    bic = f"BIC picks K = {best_k_bic}"
    if k_true is None:
        return f"EM fitted {k} components; {bic}.", "unknown"
    k, k_true = int(k), int(k_true)
    bic += " (the right number)." if best_k_bic == k_true else "."
    clusters = "cluster" if k_true == 1 else "clusters"
    if k > k_true:
        return (
            f"Over-fitting: EM fitted {k} components to data with {k_true} "
            f"{clusters}, so some cluster is split between components. {bic}",
            "over",
        )
    if k < k_true:
        return (
            f"Under-fitting: EM fitted {k} components to data with {k_true} "
            f"{clusters}, so some components must cover several clusters. {bic}",
            "under",
        )
    return f"EM fitted {k} components, as many as the data have. {bic}", "match"


def run_stats(seconds: float, fps: float | None, longest_s: float) -> str:
    """How long the run took and the page's longest pause."""
    fps_text = f", animation {fps:.0f} iterations/s" if fps else ""
    return (
        f"Run took {seconds:.2f} s{fps_text}; longest pause of the page "
        f"{longest_s * 1000:.0f} ms."
    )
