"""The log-likelihood chart in words: its empty state, axis titles and the
note about first iterations drawn off the chart.

Examples
--------
>>> off_chart_note([])
''
>>> off_chart_note([-3e6]).startswith("Iteration 1 of 1 start is off the chart")
True
"""

from __future__ import annotations

from collections.abc import Sequence

from simapp.text.results import format_number

__all__ = ["EMPTY", "X_TITLE", "Y_TITLE", "off_chart_note"]

#: The chart before any run.
EMPTY = "Press Simulate to watch log L climb"
#: Axis titles.
X_TITLE = "iteration"
Y_TITLE = "mean log-likelihood per point"


def off_chart_note(hidden: Sequence[float]) -> str:
    """Why some starts' first iterations are missing from the chart.

    Parameters
    ----------
    hidden : sequence of float
        The first log-likelihoods per point left off the chart, one per
        start (:func:`simapp.charts.loglik_chart.off_chart_first`).

    Returns
    -------
    str
        Plain text; empty when nothing was left off.
    """
    if not hidden:
        return ""
    starts = "start" if len(hidden) == 1 else "starts"
    return (
        f"Iteration 1 of {len(hidden)} {starts} is off the chart (down to "
        f"{format_number(min(hidden), 0)} per point): k-means++ starts every "
        "component on a single point, so the first E-step scores the data "
        "with nearly zero-width Gaussians."
    )
