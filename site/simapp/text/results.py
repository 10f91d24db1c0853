"""Texts the page shows for a run: results panel, labels, progress, summary.

Each result field gets a readable text and a full-precision machine value (the
``data-value`` attribute that links and tests read): ``repr`` of floats,
``"true"``/``"false"`` for booleans, ``"OK"``/``"WARN"`` for the verdict.

Examples
--------
>>> ic_summary(3, 3, true_k=3)
'BIC and AIC both recommend K = 3 (the data were drawn with K = 3).'
>>> format_number(-1234.5678)
'−1,234.57'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "pick_warning",
    "RESULT_IDS",
    "ResultField",
    "data_label",
    "format_number",
    "format_result",
    "frame_label",
    "headline",
    "ic_progress",
    "ic_summary",
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


def ic_progress(done_ks: Sequence[int], ks: Sequence[int]) -> str:
    """Summary text while AIC/BIC cells arrive (in any order: the page fits
    them while the animation leaves time, the animated K last).

    Examples
    --------
    >>> ic_progress([], range(1, 9))
    'AIC and BIC for K = 1–8 appear here as they are computed.'
    >>> ic_progress([1, 2, 4], range(1, 9))
    'AIC/BIC computed for 3 of 8 values of K (K = 1, 2, 4)…'
    """
    ks = list(ks)
    if not done_ks:
        return f"AIC and BIC for K = {ks[0]}–{ks[-1]} appear here as they are computed."
    got = sorted(done_ks)
    return (
        f"AIC/BIC computed for {len(got)} of {len(ks)} values of K "
        f"(K = {', '.join(map(str, got))})…"
    )


def ic_summary(best_bic: int, best_aic: int, *, true_k: int | None = None) -> str:
    """The recommended K in words.

    Parameters
    ----------
    best_bic, best_aic : int
        K with the lowest BIC / AIC.
    true_k : int, optional
        K the data were drawn with, for comparison.
    """
    if best_bic == best_aic:
        text = f"BIC and AIC both recommend K = {best_bic}"
    else:
        text = f"BIC recommends K = {best_bic}, AIC K = {best_aic}"
    if true_k is not None:
        text += f" (the data were drawn with K = {true_k})"
    return text + "."


def pick_warning(result: dict) -> tuple[str, dict]:
    """A warning when the AIC/BIC/ICL pick rests on suspect components.

    Parameters
    ----------
    result : dict
        A finished run (:func:`emcore.experiment.run`): ``best_k_*``,
        ``best_k_*_healthy`` and ``pick_notes``.

    Returns
    -------
    text : str
        ``""`` when every pick is a healthy fit; else which picks are
        suspect, why (the components named), and the picks over healthy fits.
    healthy : dict
        ``{criterion: K or None}`` over healthy fits (for ``data-*``).

    Examples
    --------
    >>> r = {"best_k_aic": 3, "best_k_bic": 3, "best_k_icl": 3,
    ...      "best_k_aic_healthy": 3, "best_k_bic_healthy": 3,
    ...      "best_k_icl_healthy": 3, "pick_notes": {}}
    >>> pick_warning(r)[0]
    ''
    """
    names = {"bic": "BIC", "aic": "AIC", "icl": "ICL"}
    healthy = {c: result.get(f"best_k_{c}_healthy") for c in names}
    notes = result.get("pick_notes") or {}
    suspect = {c: notes[c] for c in names if notes.get(c)}
    if not suspect:
        return "", healthy
    by_k: dict = {}
    for c in suspect:
        by_k.setdefault(int(result[f"best_k_{c}"]), []).append(names[c])
    parts = []
    for k, crits in by_k.items():
        note = next(notes[c] for c in suspect if int(result[f"best_k_{c}"]) == k)
        who = " and ".join(crits)
        parts.append(
            f"{who}'s pick K = {k} rests on suspect components ({note}): likely "
            "an artefact of repeated or rounded values, not a group in the data"
        )
    better = [f"{names[c]} K = {healthy[c]}" for c in names if healthy[c] is not None]
    text = "Caution: " + "; ".join(parts) + "."
    if better:
        text += " Over fits without such components: " + ", ".join(better) + "."
    else:
        text += " Every fit of the sweep has such a component."
    return text, healthy


def loglik_for_chart(
    series: Sequence[Sequence[float]],
) -> tuple[list[list[float]], str]:
    """Hide first iterations that would flatten the log-likelihood chart.

    With k-means++ initialisation (scikit-learn's semantics) every component
    starts on a single point with covariance ``reg_covar``, so the first
    E-step's log-likelihood per point can be around -1e6 while every later
    one is near -5: drawn to scale, the climb that matters is a flat line.
    A first value far below the range of all later values is replaced by NaN
    (a gap) and reported in a note.

    Parameters
    ----------
    series : sequence of sequences of float
        Per start, log-likelihood per point after each iteration.

    Returns
    -------
    shown : list of list of float
        Same shape, outlying first values replaced by NaN.
    note : str
        Plain-text explanation, empty when nothing was hidden.

    Examples
    --------
    >>> shown, note = loglik_for_chart([[-3e6, -4.7, -4.6], [-2e6, -4.8]])
    >>> shown[0][0] != shown[0][0], shown[0][1:]
    (True, [-4.7, -4.6])
    >>> note.startswith("Iteration 1 of 2 starts")
    True
    """
    runs = [[float(v) for v in s] for s in series]
    rest = [v for r in runs for v in r[1:] if math.isfinite(v)]
    if not rest:
        return runs, ""
    lo, hi = min(rest), max(rest)
    limit = lo - 3.0 * max(hi - lo, 1e-3 * max(1.0, abs(lo)))
    hidden = []
    for r in runs:
        if r and math.isfinite(r[0]) and r[0] < limit:
            hidden.append(r[0])
            r[0] = math.nan
    if not hidden:
        return runs, ""
    starts = "start" if len(hidden) == 1 else "starts"
    note = (
        f"Iteration 1 of {len(hidden)} {starts} is off the chart (down to "
        f"{format_number(min(hidden), 0)} per point): k-means++ starts every "
        "component on a single point, so the first E-step scores the data "
        "with nearly zero-width Gaussians."
    )
    return runs, note
