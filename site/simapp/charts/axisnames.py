"""Axis titles of the data charts (the scatter and the k-means panel).

Simulated and clicked points have plain ``x`` and ``y``; a bundled dataset
names its measurements with units; a pasted or uploaded table names the
columns chosen for x and y.

Examples
--------
>>> from simapp.state.pagestate import DataSource
>>> data_axis_titles(DataSource())
('x', 'y')
>>> data_axis_titles(DataSource(kind="dataset", dataset="iris"))
('petal length (cm)', 'petal width (cm)')
"""

from __future__ import annotations

from simapp.data import datasets
from simapp.state.pagestate import DataSource

__all__ = ["PLAIN", "data_axis_titles"]

#: Titles of coordinates that have no name of their own.
PLAIN: tuple[str, str] = ("x", "y")


def data_axis_titles(source: DataSource) -> tuple[str, str]:
    """``(x title, y title)`` for the points ``source`` describes.

    Parameters
    ----------
    source : DataSource
        The page state's data source.

    Returns
    -------
    tuple of str
        Never empty strings: a missing name falls back to ``x`` / ``y``.
    """
    names: tuple[str, str] = PLAIN
    if source.kind in ("upload", "paste") and source.table is not None:
        names = (source.columns[0], source.columns[1])
    elif source.kind == "dataset" and source.dataset in datasets.DATASETS:
        meta = datasets.info(source.dataset)
        names = (meta.x_label, meta.y_label)
    return tuple(n.strip() or p for n, p in zip(names, PLAIN, strict=True))
