"""The starts panel in words: its summary, its buttons and its chart's title.

Examples
--------
>>> starts_summary(2, 3, 4)
'2 distinct optima; the best reached by 3 of 4 starts.'
>>> start_button(0, -4.70512, best=True)
'Start 1: -4.7051 (best)'
"""

from __future__ import annotations

__all__ = [
    "EMPTY_CHART",
    "EMPTY_SUMMARY",
    "X_TITLE",
    "start_button",
    "starts_summary",
]

#: The chart and the summary before a run has finished.
EMPTY_CHART = "Every start's log L appears here"
EMPTY_SUMMARY = "The starts appear after the fit."
#: The chart's axis title.
X_TITLE = "final log-likelihood per point"


def starts_summary(n_optima: int, best_hits: int, n_starts: int) -> str:
    """How many optima the starts found, and how many reached the best."""
    optima = "1 distinct optimum" if n_optima == 1 else f"{n_optima} distinct optima"
    starts = "start" if n_starts == 1 else "starts"
    return f"{optima}; the best reached by {best_hits} of {n_starts} {starts}."


def start_button(index: int, loglik_mean: float, *, best: bool) -> str:
    """The button of start ``index`` (0-based): its final log L per point."""
    mark = " (best)" if best else ""
    return f"Start {index + 1}: {loglik_mean:.4f}{mark}"
