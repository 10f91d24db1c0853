"""The timeline in words: the label under its controls and its Play button.

Examples
--------
>>> position_label(0, 4, 3, "m", converged=True)
'Start 1 of 4, iteration 3: M-step: ellipses moved to the new parameters; converged'
>>> timeline_text("live", None, 0, 0, False)
'Step through the fit once EM has run.'
"""

from __future__ import annotations

import math

from simapp.text.messages import starts

__all__ = [
    "PAUSE",
    "PHASE_WORDS",
    "PLAY",
    "per_point",
    "position_label",
    "timeline_text",
]

#: What each half-step of a position shows.
PHASE_WORDS = {
    "init": "initial parameters (k-means++), before the first E-step",
    "e": "E-step: points recoloured by the new responsibilities",
    "m": "M-step: ellipses moved to the new parameters",
}
#: The Play button while stopped and while playing.
PLAY = "▶ Play"
PAUSE = "❚❚ Pause"


def per_point(loglik: float) -> str:
    """A log-likelihood per point a reader can take in: four decimals as a
    rule, but a start's single-point components give millions, said so.

    >>> per_point(-4.70512), per_point(-3262464.4648), per_point(-25000.7)
    ('-4.7051', '-3.3 million', '-25,001')
    """
    sign = "-" if loglik < 0 else ""  # as the start buttons write it
    size = abs(float(loglik))
    if size >= 1e6:
        return f"{sign}{size / 1e6:.1f} million"
    if size >= 1e4:
        return f"{sign}{size:,.0f}"
    return f"{sign}{size:.4f}"


def position_label(
    start: int,
    n_starts: int,
    iteration: int,
    phase: str,
    *,
    loglik: float | None = None,
    converged: bool = False,
) -> str:
    """The label of a timeline position.

    Parameters
    ----------
    start : int
        0-based start index (the label is 1-based).
    n_starts : int
    iteration : int
        EM iteration (0: the initial parameters).
    phase : {'init', 'e', 'm'}
    loglik : float, optional
        Log-likelihood per point of that E-step.
    converged : bool, default False

    Returns
    -------
    str
        E.g. ``'Start 1 of 4, iteration 3: E-step: points recoloured ...'``.
    """
    head = f"Start {start + 1} of {n_starts}, iteration {iteration}"
    text = f"{head}: {PHASE_WORDS[phase]}"
    if loglik is not None and math.isfinite(loglik):
        text += f" (log L per point {per_point(loglik)})"
    if converged:
        text += "; converged"
    return text


def timeline_text(
    mode: str, selected: int | None, positions: int, n_starts: int, has_result: bool
) -> str:
    """The timeline's label when no position of it is shown."""
    if mode == "start":
        return (
            f"Showing start {selected + 1}'s final solution; press "
            "Final fit or the best start to return."
        )
    if has_result:
        return (
            f"Final fit ({starts(n_starts)} recorded, {positions} half-steps). "
            "Play replays every start; Step, Back and the slider move half an "
            "iteration at a time."
        )
    if positions:
        return "EM is running: Pause or Step to inspect it half-step by step."
    return "Step through the fit once EM has run."
