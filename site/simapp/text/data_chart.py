"""The data chart in words: its caption, legend, axis titles and labels.

The caption above the chart says what the frame shows (the data, an EM
iteration, the final fit, a timeline position or one start's solution); the
canvas's label says it to screen readers (the mixture itself is described by
:mod:`simapp.text.describe`). The k-means panel shares the axis titles. The
painting tools' status line and refusals end the module.

Examples
--------
>>> frame_head("timeline", None, phase="e", start=0, iteration=2)
'History: start 1, iteration 2 after the E-step'
>>> final_caption(12, True, best_start=1, n_init=4)
'Final fit: 12 iterations, converged (start 2, best of 4)'
>>> axis_titles(("petal length (cm)", " "))
('petal length (cm)', 'y')
>>> painted_status(12, "brush")
'12 points painted: paint more, erase, undo, or Fit these points.'
>>> too_many_columns(4)[:44]
'The brush paints on two columns, but this fi'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "DENSITY_TITLE",
    "DIMS_DESCRIPTIONS",
    "LEGEND_MARKS",
    "LINE_ANOMALY_MARKS",
    "LINE_MARKS",
    "NOTHING_TO_UNDO",
    "NO_DATA",
    "NO_DATA_YET",
    "NO_RUN",
    "PLAIN_AXES",
    "UNDONE",
    "axis_titles",
    "chart_label",
    "classes_needed",
    "cluster_name",
    "data_label",
    "empty_label",
    "final_caption",
    "frame_head",
    "frame_label",
    "legend_names",
    "own_data_label",
    "painted_status",
    "plane_titles",
    "sweep_label",
    "tiny_note",
    "too_many_columns",
]

#: Titles of coordinates that have no name of their own.
PLAIN_AXES: tuple[str, str] = ("x", "y")
#: The legend's marks after the clusters' colours: (CSS class, text).
LEGEND_MARKS = (
    ("swatch-cross", "true centre"),
    ("swatch-solid", "1σ ellipse"),
    ("swatch-dashed", "2σ ellipse"),
    ("swatch-ring", "anomaly (lowest density)"),
)
#: The legend's marks on the histogram of one fitted column.
LINE_MARKS = (("swatch-dashed", "mixture density (sum of the components)"),)
#: Added to :data:`LINE_MARKS` when anomalies are flagged on one column.
LINE_ANOMALY_MARKS = (
    ("swatch-ring", "anomaly (lowest density)"),
    ("swatch-solid", "anomaly threshold (density level)"),
)
#: The simulated data's dimensions as the control offers them.
DIMS_DESCRIPTIONS: dict[int, str] = {
    2: "in the plane",
    1: "on a line",
}
#: The y axis of the histogram of one fitted column: bars and curves share
#: the unit (a bar is its share of the points over its width).
DENSITY_TITLE = "density"
#: The caption of an empty chart: after data failed to load, or before a run.
NO_DATA = "No data"
NO_RUN = "No run yet"


# ------------------------------------------------------------------ axes
def axis_titles(names: Sequence[str]) -> tuple[str, str]:
    """``(x title, y title)`` from two names; a blank one is ``x`` / ``y``."""
    return tuple(n.strip() or p for n, p in zip(names, PLAIN_AXES, strict=True))


def plane_titles(
    labels: Sequence[str] | None, titles: Sequence[str] = ()
) -> tuple[str, str] | None:
    """The titles of a chart's plane: a projection's axis ``labels`` (None:
    no projection), else the two columns' ``titles`` (one column: its title
    and :data:`DENSITY_TITLE`); ``None`` when nothing names them (simulated
    data).

    >>> plane_titles(None, ("eruption duration (min)",))
    ('eruption duration (min)', 'density')
    """
    if labels is not None:
        return (str(labels[0]), str(labels[1]))
    if len(titles) == 1:
        return (str(titles[0]), DENSITY_TITLE)
    if len(titles) == 2:
        return (str(titles[0]), str(titles[1]))
    return None


def cluster_name(j: int, names: Sequence[str] = ()) -> str:
    """The legend's name of cluster ``j`` (0-based): its class name if the
    data have one."""
    return names[j] if j < len(names) else f"cluster {j + 1}"


def legend_names(
    colour_indices: Sequence[int], n_true: int, names: Sequence[str] = ()
) -> list[str]:
    """The legend's name of each drawn colour.

    Fitted components take their matched true cluster's colour, so a colour
    below ``n_true`` names that cluster; a colour past the true clusters is a
    component matched to none (K above the clusters in the data). Without a
    truth (``n_true`` 0) the colours are simply the fitted components.

    Parameters
    ----------
    colour_indices : sequence of int
        Palette index of each drawn colour, 0-based.
    n_true : int
        How many true clusters (or classes) the data have; 0 for none.
    names : sequence of str
        The classes' names, if the data have a class column.

    Examples
    --------
    >>> legend_names([2, 3], 4)
    ['cluster 3', 'cluster 4']
    >>> legend_names([0, 4], 2)
    ['cluster 1', 'extra component']
    >>> legend_names([0, 1], 0)
    ['component 1', 'component 2']
    """
    if n_true <= 0:
        return [f"component {j + 1}" for j in range(len(colour_indices))]
    return [
        cluster_name(int(i), names) if i < n_true else "extra component"
        for i in colour_indices
    ]


# ------------------------------------------------------------------ captions
def data_label(n: int, k: int, dims: int = 2) -> str:
    """Caption while only the simulated data are shown (``dims`` 1: on a
    line)."""
    where = " on a line" if dims == 1 else ""
    return f"{n} points drawn from {k} true clusters{where}; EM starts next"


def own_data_label(title: str, n: int, *, clicking: bool, fitted: bool) -> str:
    """Caption of the data-only frame of your own data."""
    if clicking and not fitted:
        return f"{n} clicked points: click to add more, then Fit these points"
    return f"{title}: {n} points; EM starts next"


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


def final_caption(
    iterations: int, converged: bool, *, best_start: int, n_init: int
) -> str:
    """Caption of the final fit (the best start named when there were several)."""
    state = "converged" if converged else "capped"
    text = f"Final fit: {iterations} iterations, {state}"
    if n_init > 1:
        text += f" (start {best_start + 1}, best of {n_init})"
    return text


def frame_head(
    mode: str, selected: int | None, *, phase=None, start=None, iteration=None
) -> str:
    """Caption while the chart shows a timeline position or a start."""
    if mode == "start":
        return f"Start {selected + 1}'s final solution"
    if phase is None:
        return "History"
    words = {"init": "initial", "e": "after the E-step", "m": ""}
    head = f"History: start {start + 1}, iteration {iteration}"
    return head + (f" {words[phase]}" if words[phase] else " (M-step)")


# ------------------------------------------------------------------ labels
def chart_label(n: int, description: str | None = None, *, line=False) -> str:
    """The canvas's label: the points (a histogram of them with ``line``,
    for one fitted column), then the fitted mixture described."""
    chart = "Histogram" if line else "Scatter chart"
    if description is None:
        return f"{chart} of {n} data points; no mixture fitted yet."
    return f"{chart} of {n} data points. {description}"


def empty_label(text: str) -> str:
    """The canvas's label when it is empty, ``text`` saying why."""
    return f"Data chart, empty. {text}."


def tiny_note(n_tiny: int, k: int) -> str:
    """What the caption adds when components are too small to see drawn to
    size (a k-means++ start puts each on one point).

    >>> tiny_note(0, 3), tiny_note(1, 3)[:32]
    ('', ' · 1 component is a single point')
    """
    if n_tiny <= 0:
        return ""
    if n_tiny == 1:
        which = "1 component is a single point"
    elif n_tiny == k:
        which = f"all {k} components are single points"
    else:
        which = f"{n_tiny} components are single points"
    return f" · {which} so far: ellipses drawn at a minimum size, centres marked ◆"


# --- the painting tools (simapp.state.paint): the status line and refusals
#: Undo with nothing (or nothing current) to undo.
NOTHING_TO_UNDO = "Nothing to undo: no points were painted, clicked or erased here."
#: Undo done.
UNDONE = "Undone: the data are as they were before the last edit."
#: A stroke before any data are drawn.
NO_DATA_YET = "There is nothing to paint on yet: wait for the data to be drawn."


def painted_status(n: int, tool: str) -> str:
    """The status line after a dab of ``tool``, with ``n`` points left."""
    verb = "left after erasing" if tool == "eraser" else "painted"
    return f"{n} points {verb}: paint more, erase, undo, or Fit these points."


def too_many_columns(n_columns: int) -> str:
    """Why the brush refuses a fit of ``n_columns`` columns."""
    return (
        f"The brush paints on two columns, but this fit has {n_columns} columns: "
        "set Columns to fit to two of them to paint."
    )


def classes_needed(labelled: bool) -> str:
    """Why painted points do not fit the data's classes: the data have
    classes (``labelled``) and no class was chosen, or the reverse."""
    if labelled:
        return (
            "These points have classes: choose the class of the painted points "
            "under Class of new points, or Clear points to paint without classes."
        )
    return (
        "These points have no classes, so painted points cannot have one: "
        "choose no class under Class of new points."
    )
