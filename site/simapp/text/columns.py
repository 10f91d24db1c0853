"""Wording of the column controls: the options of the plane menu.

Examples
--------
>>> [v for v, _ in plot_options(("a", "b", "c"))]
['', 'pca', 'a,b', 'a,c', 'b,c']
>>> plot_options(("a", "b"), ("length (cm)", "width (cm)"))[-1]
('a,b', 'length (cm) by width (cm)')
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
        The default, principal components, then every pair of columns.
    """
    titles = tuple(titles) or tuple(names)
    options = [
        ("", "Default (principal components beyond two columns)"),
        ("pca", "First two principal components"),
    ]
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            options.append((f"{names[i]},{names[j]}", f"{titles[i]} by {titles[j]}"))
    return options
