"""Wording of the column controls: the options of the plane menu.

Examples
--------
>>> [v for v, _ in plot_options(("a", "b", "c"))]
['', 'pca', 'a,b', 'a,c', 'b,c']
>>> plot_options(("a", "b", "c"), ("length (cm)", "width (cm)", "c"))[2]
('a,b', 'length (cm) by width (cm)')
>>> plot_options(("a", "b"))
[('', 'The two fitted columns')]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["plot_options"]


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
        two columns the default alone (they are the chart's plane).
    """
    titles = tuple(titles) or tuple(names)
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
