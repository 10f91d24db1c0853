"""Points the student adds by clicking the data chart, or paints and erases.

Examples
--------
>>> X, labels = add_point(None, None, 1.0, 2.0)
>>> X.tolist(), labels
([[1.0, 2.0]], None)
>>> X, labels = add_point(X, None, 3.0, float("nan"))
Traceback (most recent call last):
...
simapp.data.cells.DataError: the point (3.0, nan) is not finite
>>> rng = np.random.default_rng(0)
>>> brush_points((1.0, 2.0), 0.5, 3, rng).shape
(3, 2)
>>> erase_points(np.array([[0.0, 0.0], [5.0, 5.0]]), None, (0.0, 0.0), 1.0)[0]
array([[5., 5.]])
"""

from __future__ import annotations

import math

import numpy as np

from simapp.data.cells import DataError

__all__ = ["add_point", "brush_points", "erase_points"]


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


def _checked_dab(center, radius: float) -> tuple[np.ndarray, float]:
    """``center`` as a finite (2,) array and ``radius`` as a positive float."""
    c = np.asarray(center, dtype=np.float64).reshape(-1)
    if c.shape != (2,) or not np.all(np.isfinite(c)):
        raise DataError(f"the brush's centre {tuple(c.tolist())} is not a finite point")
    radius = float(radius)
    if not (math.isfinite(radius) and radius > 0):
        raise DataError(f"the brush's radius must be a positive number, got {radius}")
    return c, radius


def brush_points(center, radius: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points sprayed around ``center``: a round normal cloud whose
    standard deviation is half the brush's ``radius`` (most fall inside it).

    Parameters
    ----------
    center : array-like of shape (2,)
        Data coordinates of the brush.
    radius : float
        The brush's radius in data units (positive).
    n : int
        How many points (non-negative).
    rng : numpy.random.Generator
        The seeded generator the points are drawn from.

    Returns
    -------
    ndarray of shape (n, 2), float64

    Raises
    ------
    DataError
        A centre that is not a finite point, a radius that is not positive.
    ValueError
        A negative ``n``.
    """
    c, radius = _checked_dab(center, radius)
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    return c + rng.normal(scale=radius / 2.0, size=(int(n), 2))


def erase_points(
    X: np.ndarray, labels: np.ndarray | None, center, radius: float
) -> tuple[np.ndarray, np.ndarray | None]:
    """The data without the points within ``radius`` of ``center``.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    labels : ndarray of shape (n,), or None
    center : array-like of shape (2,)
    radius : float
        In data units (positive); a point exactly on the circle is erased.

    Returns
    -------
    X : ndarray of shape (m, 2), m <= n
    labels : ndarray of shape (m,), or None

    Raises
    ------
    DataError
        A centre that is not a finite point, a radius that is not positive.
    """
    c, radius = _checked_dab(center, radius)
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    keep = np.sum((X - c) ** 2, axis=1) > radius * radius
    return X[keep], None if labels is None else np.asarray(labels)[keep]
