"""The bound panel in words: its empty state, axis titles, legend, the note
about half-steps drawn off the chart, and what the highlighted half-step
shows; and the path view beside it (one iteration along a path through
parameter space): its empty state, axis title, guide labels and note.

Examples
--------
>>> off_chart_note([])
''
>>> off_chart_note([-1.6e9]).startswith("The first E-step is off the chart")
True
>>> half_step_note(3, "E", 0.0)
'Iteration 3, after the E-step: the bound touches log L (gap 0).'
>>> path_note(2, 41).startswith("Iteration 2 from θ of iteration 1 (s = 0)")
True
"""

from __future__ import annotations

from collections.abc import Sequence

from simapp.text.results import format_number

__all__ = [
    "BAYES_NOTE",
    "BOUND_LABEL",
    "ELBO_LABEL",
    "ELBO_X_TITLE",
    "ELBO_Y_TITLE",
    "EMPTY",
    "GAP_LABEL",
    "LOGLIK_LABEL",
    "X_TITLE",
    "Y_TITLE",
    "half_step_note",
    "off_chart_note",
    "PATH_CAPTION",
    "PATH_EMPTY",
    "PATH_WAITS",
    "PATH_X_TITLE",
    "PATH_TOUCH_LABEL",
    "PATH_MAX_LABEL",
    "path_note",
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

#: The path view with no iteration of the best start on show.
PATH_EMPTY = (
    "Step the timeline through the best start to follow one iteration "
    "along its path from θ before to θ after"
)
#: The path view of large data while the timeline plays.
PATH_WAITS = "Pause the timeline to see this iteration's path (large data)"
#: Its x axis and the labels of its two guides.
PATH_X_TITLE = "position s on the path (0: θ before the iteration, 1: after)"
PATH_TOUCH_LABEL = "s = 0: touch"
PATH_MAX_LABEL = "s = 1: bound's max"
#: The path view's caption (also in index.html, for the page before Python).
PATH_CAPTION = (
    "Why each M-step cannot lower log L, one iteration at a time (after "
    "Bishop's figure 9.14): log L (solid) and the bound 𝓛(q, θ) (dashed) "
    "along a path through parameter space, from θ before the "
    "iteration (s = 0) to the θ its M-step chose (s = 1) and a little "
    "beyond both, with q fixed at the iteration's E-step. The E-step made "
    "the bound touch log L at s = 0, and since the bound never lies above "
    "log L it is tangent there; the M-step moved θ to the top of the bound "
    "at s = 1, so log L, which lies above the bound, rose at least as much "
    "as the bound did. Totals over the data."
)
#: The Bayesian fit's panel: its one curve, axes, and why there is no log L.
ELBO_LABEL = "ELBO 𝓛(q)"
ELBO_X_TITLE = "iteration"
ELBO_Y_TITLE = "ELBO (total, less constants)"
BAYES_NOTE = (
    "Variational Bayes maximises the ELBO, a lower bound on the log evidence "
    "log p(x) with the weights, means and covariances integrated out; each "
    "iteration raises it. It never evaluates log L the same way: its "
    "parameters are distributions, not one θ, so there is no log L(θ) to "
    "touch, and the gap to log p(x) is a KL divergence it cannot compute "
    "(that would need the exact posterior)."
)


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


def path_note(
    iteration: int, n_points: int, temperature: float = 1.0, reduced: bool = False
) -> str:
    """What the path view shows for ``iteration``.

    Parameters
    ----------
    iteration : int
        1-based EM iteration on show.
    n_points : int
        Points computed along the path (fewer for big data).
    temperature : float, default 1.0
        The run's E-step temperature: away from 1 the bound does not touch.
    reduced : bool, default False
        Whether ``n_points`` is fewer than usual, the data being large.

    Returns
    -------
    str
    """
    points = f"{n_points} points on the path"
    if reduced:
        points += " (fewer than usual: each costs a pass over the large data)"
    touch = (
        "touching log L at s = 0"
        if temperature == 1.0
        else f"below log L even at s = 0 (temperature {temperature:g}: q is "
        "not the posterior)"
    )
    return (
        f"Iteration {iteration} from θ of iteration {iteration - 1} (s = 0) to "
        f"its M-step's θ (s = 1): the bound, {touch}, peaks at s = 1; "
        f"{points}."
    )
