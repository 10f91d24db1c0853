"""The data chart in words: its caption, legend, axis titles and labels.

The caption above the chart says what the frame shows (the data, an EM
iteration, the final fit, a timeline position or one start's solution); the
canvas's label says it to screen readers (the mixture itself is described by
:mod:`simapp.text.describe`). The k-means panel shares the axis titles.

Examples
--------
>>> frame_head("timeline", None, phase="e", start=0, iteration=2)
'History: start 1, iteration 2 after the E-step'
>>> final_caption(12, True, best_start=1, n_init=4)
'Final fit: 12 iterations, converged (start 2, best of 4)'
>>> axis_titles(("petal length (cm)", " "))
('petal length (cm)', 'y')
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "LEGEND_MARKS",
    "NO_DATA",
    "NO_RUN",
    "PLAIN_AXES",
    "axis_titles",
    "chart_label",
    "cluster_name",
    "legend_names",
    "data_label",
    "empty_label",
    "final_caption",
    "frame_head",
    "frame_label",
    "own_data_label",
    "plane_titles",
    "sweep_label",
    "tiny_note",
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
    no projection), else the two columns' ``titles``; ``None`` when nothing
    names them (simulated data)."""
    if labels is not None:
        return (str(labels[0]), str(labels[1]))
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
def data_label(n: int, k: int) -> str:
    """Caption while only the simulated data are shown."""
    return f"{n} points drawn from {k} true clusters; EM starts next"


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
def chart_label(n: int, description: str | None = None) -> str:
    """The canvas's label: the points, then the fitted mixture described."""
    if description is None:
        return f"Scatter chart of {n} data points; no mixture fitted yet."
    return f"Scatter chart of {n} data points. {description}"


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
