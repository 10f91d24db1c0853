"""The bound panel in words: its empty state, axis titles, legend, the note
about half-steps drawn off the chart, and what the highlighted half-step
shows.

Examples
--------
>>> off_chart_note([])
''
>>> off_chart_note([-1.6e9]).startswith("The first E-step is off the chart")
True
>>> half_step_note(3, "E", 0.0)
'Iteration 3, after the E-step: the bound touches log L (gap 0).'
"""

from __future__ import annotations

from collections.abc import Sequence

from simapp.text.results import format_number

__all__ = [
    "BOUND_LABEL",
    "EMPTY",
    "GAP_LABEL",
    "LOGLIK_LABEL",
    "X_TITLE",
    "Y_TITLE",
    "half_step_note",
    "off_chart_note",
]

#: The panel before a run has finished.
EMPTY = "When a run finishes, its best start's bound shows here"
#: Axis titles.
X_TITLE = "iteration (E-step at the half, M-step at the whole)"
Y_TITLE = "log-likelihood (total)"
#: Legend entries.
LOGLIK_LABEL = "log L(θ)"
BOUND_LABEL = "bound 𝓛(q, θ)"
GAP_LABEL = "gap KL(q ‖ p(z | x, θ))"


def off_chart_note(hidden: Sequence[float]) -> str:
    """Why the first half-steps are missing from the chart.

    Parameters
    ----------
    hidden : sequence of float
        The values of log L or the bound left off the chart
        (:func:`simapp.charts.bound_chart.off_chart`).

    Returns
    -------
    str
        Plain text; empty when nothing was left off.
    """
    if not hidden:
        return ""
    return (
        f"The first E-step is off the chart (log L down to "
        f"{format_number(min(hidden), 0)}): k-means++ starts every component "
        "on a single point, so the initial parameters score the data with "
        "nearly zero-width Gaussians."
    )


def half_step_note(
    iteration: int, step: str, gap: float, temperature: float = 1.0
) -> str:
    """What the half-step the timeline shows does to the bound.

    Parameters
    ----------
    iteration : int
        1-based EM iteration.
    step : {'E', 'M'}
    gap : float
        log L minus the bound there.
    temperature : float, default 1.0
        The run's E-step temperature: away from 1 the E-step's q is not the
        posterior, so the bound does not touch and log L may go down.

    Returns
    -------
    str
    """
    if temperature != 1.0:
        half = "E" if step == "E" else "M"
        return (
            f"Iteration {iteration}, after the {half}-step at temperature "
            f"{temperature:g}: q is not the posterior, so the bound stays "
            f"{format_number(gap, 2)} below log L and log L may go down; "
            "at temperature 1 (EM) the E-step closes the gap."
        )
    if step == "E":
        return (
            f"Iteration {iteration}, after the E-step: the bound touches log L "
            f"(gap {format_number(abs(gap), 0)})."
        )
    return (
        f"Iteration {iteration}, after the M-step: the bound rose, and log L "
        f"rose at least as much; the gap reopened to {format_number(gap, 2)}."
    )
