"""The starts panel in words: its summary, its buttons and its chart's title;
and the handles that move the watched fit's starting means.

Examples
--------
>>> starts_summary(2, 3, 4)
'2 distinct optima among 4 converged starts; the best reached by 3.'
>>> start_button(0, -4.70512, best=True)
'Start 1: -4.7051 (best)'
>>> start_handle(1, 0.5, -2.25)
'Component 2 start at (0.5, -2.25)'
>>> start_axis(1, 0, 1.3, 30.0)
'Component 2 start: axis 1 length 1.3, angle 30°'
"""

from __future__ import annotations

__all__ = [
    "EMPTY_CHART",
    "EMPTY_SUMMARY",
    "X_TITLE",
    "AXES_HINT",
    "HANDLES_HINT",
    "RESET_START",
    "RESET_START_TITLE",
    "optima_phrase",
    "start_button",
    "start_axis",
    "start_handle",
    "starts_summary",
]

#: The chart and the summary before a run has finished.
EMPTY_CHART = "Every start's log L appears here"
EMPTY_SUMMARY = "The starts appear after the fit."
#: The chart's axis title.
X_TITLE = "final log-likelihood per point"


def optima_phrase(n_optima: int, n_converged: int, n_starts: int) -> str:
    """The local-optima count in words, as the starts panel and the status
    line both say it (``n_optima``: emcore's count over converged starts).

    Examples
    --------
    >>> optima_phrase(1, 1, 1)
    'not checked (one start)'
    >>> optima_phrase(0, 0, 4)
    'not checked (0 of 4 starts converged)'
    """
    if n_starts == 1:
        return "not checked (one start)"
    if n_converged < 2:
        return f"not checked ({n_converged} of {n_starts} starts converged)"
    optima = "1 distinct optimum" if n_optima == 1 else f"{n_optima} distinct optima"
    return f"{optima} among {n_converged} converged starts"


def starts_summary(
    n_optima: int, best_hits: int, n_starts: int, n_converged: int | None = None
) -> str:
    """How many optima the converged starts found, how many reached the best,
    and how many did not converge (``n_converged`` default: all of them)."""
    if n_converged is None:
        n_converged = n_starts
    phrase = optima_phrase(n_optima, n_converged, n_starts)
    if n_converged < 2:
        return f"Local optima {phrase}."
    text = f"{phrase[0].upper()}{phrase[1:]}; the best reached by {best_hits}."
    late = n_starts - n_converged
    if late:
        did = "start did" if late == 1 else "starts did"
        text += f" {late} {did} not converge: not optima, not counted."
    return text


def start_button(index: int, loglik_mean: float, *, best: bool) -> str:
    """The button of start ``index`` (0-based): its final log L per point."""
    mark = " (best)" if best else ""
    return f"Start {index + 1}: {loglik_mean:.4f}{mark}"


#: What the start handles do, for the keyboard and screen readers.
HANDLES_HINT = (
    "Drag a component's centre, or Tab to it and use the arrow keys "
    "(Shift: bigger steps): EM runs again from that start."
)

#: The button that forgets a moved start, and what it does.
RESET_START = "Usual start"
RESET_START_TITLE = (
    "EM starts as the Start setting says again, not from the moved means."
)


def start_handle(index: int, x: float, y: float) -> str:
    """A start handle's name and the live description of a move:
    component ``index`` (0-based) starts at ``(x, y)``."""
    return f"Component {index + 1} start at ({x:.4g}, {y:.4g})"


#: What a start's axis handles do, for the keyboard and screen readers.
AXES_HINT = (
    "Drag the end of a start's axis to lengthen, shorten or turn it, or Tab "
    "to it: Up and Down arrows lengthen and shorten it, Left and Right turn "
    "it (not for cov=diag: its axes stay along x and y, nor cov=spherical: "
    "its one handle is the circle's radius); Shift: bigger steps. With "
    "cov=tied every component shares the one shape. EM runs again from "
    "that start."
)


def start_axis(index: int, axis: int, length: float, degrees: float) -> str:
    """An axis handle's live description: component ``index``'s start axis
    ``axis`` (both 0-based), its 1σ ``length`` (data units) and its angle
    (degrees counter-clockwise from +x)."""
    return (
        f"Component {index + 1} start: axis {axis + 1} length {length:.4g}, "
        f"angle {degrees:.0f}°"
    )
