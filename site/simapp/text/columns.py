"""Wording of the column controls: the options of the plane menu and the
title of a dataset fitted on some of its columns.

Examples
--------
>>> [v for v, _ in plot_options(("a", "b", "c"))]
['', 'pca', 'a,b', 'a,c', 'b,c']
>>> plot_options(("a", "b", "c"), ("length (cm)", "width (cm)", "c"))[2]
('a,b', 'length (cm) by width (cm)')
>>> plot_options(("a", "b"))
[('', 'The two fitted columns')]
>>> picked_title("Old Faithful geyser (2 columns)", 1)
'Old Faithful geyser (1 column)'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["picked_title", "plot_options"]


def picked_title(title: str, n_columns: int) -> str:
    """A dataset's ``title`` (its own count of columns dropped) for the
    ``n_columns`` a link picked."""
    unit = "column" if n_columns == 1 else "columns"
    return f"{title.split(' (')[0]} ({n_columns} {unit})"


def plot_options(names: Sequence[str], titles: Sequence[str] = ()) -> list:
    """``(value, text)`` choices of the plane control for fitted ``names``.

    Parameters
    ----------
    names : sequence of str
        The fitted columns, as a ``plot=`` value names them.
    titles : sequence of str, optional
        Their axis titles, shown in the menu (default: the names).

    Returns
    -------
    list of (str, str)
        The default, principal components, then every pair of columns; for
        two columns the default alone (they are the chart's plane), and for
        one the histogram alone.
    """
    titles = tuple(titles) or tuple(names)
    if len(names) == 1:
        return [("", "One fitted column: a histogram")]
    if len(names) <= 2:
        return [("", "The two fitted columns")]
    options = [
        ("", "Default: principal components"),
        ("pca", "First two principal components"),
    ]
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            options.append((f"{names[i]},{names[j]}", f"{titles[i]} by {titles[j]}"))
    return options
