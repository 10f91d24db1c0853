"""Points the student adds by clicking the data chart.

Examples
--------
>>> X, labels = add_point(None, None, 1.0, 2.0)
>>> X.tolist(), labels
([[1.0, 2.0]], None)
>>> X, labels = add_point(X, None, 3.0, float("nan"))
Traceback (most recent call last):
...
simapp.data.cells.DataError: the point (3.0, nan) is not finite
"""

from __future__ import annotations

import math

import numpy as np

from simapp.data.cells import DataError

__all__ = ["add_point"]


def add_point(
    X: np.ndarray | None,
    labels: np.ndarray | None,
    x: float,
    y: float,
    label: int | None = None,
    *,
    max_points: int = 20_000,
) -> tuple[np.ndarray, np.ndarray | None]:
    """A copy of the data with one more point (e.g. from a canvas click).

    Parameters
    ----------
    X : ndarray of shape (n, 2), or None for no data yet
    labels : ndarray of shape (n,) of int, or None
    x, y : float
        Data coordinates of the new point (finite).
    label : int, optional
        Class code of the new point; required exactly when ``labels`` is not
        None (a non-negative int; a new code adds a class).
    max_points : int, default 20_000

    Returns
    -------
    X : ndarray of shape (n + 1, 2), float64
    labels : ndarray of shape (n + 1,), int64, or None

    Raises
    ------
    DataError
        Non-finite coordinates, a missing or unexpected label, too many points.
    """
    X = (
        np.empty((0, 2))
        if X is None
        else np.asarray(X, dtype=np.float64).reshape(-1, 2)
    )
    x, y = float(x), float(y)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise DataError(f"the point ({x}, {y}) is not finite")
    if len(X) >= max_points:
        raise DataError(
            f"there are already {max_points:,} points; no more can be added"
        )
    new_X = np.vstack([X, [[x, y]]])
    if labels is None:
        if label is not None and len(X):
            raise DataError(
                "these data have no labels, so the new point cannot have one"
            )
        if label is None:
            return new_X, None
        labels = np.empty(0, dtype=np.int64)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(labels) != len(X):
        raise ValueError(f"labels has {len(labels)} entries for {len(X)} points")
    if label is None:
        raise DataError("these data have labels; choose the class of the new point")
    if isinstance(label, bool) or int(label) != label or label < 0:
        raise DataError(f"the class code must be a non-negative integer, got {label!r}")
    return new_X, np.append(labels, np.int64(label))
