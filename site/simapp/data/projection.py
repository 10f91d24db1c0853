"""Show data of any number of columns on a 2-D scatter.

A :class:`Projection` maps d-column data onto the plane the scatter draws: a
chosen pair of columns, or the first two principal components. Fitted
components follow the same map, so each ellipse is the exact projection of
its fitted covariance: for a linear map ``P`` (d, 2), the projected Gaussian
has mean ``μ P`` and covariance ``Pᵀ Σ P``. :func:`choose_projection` picks
the map a link's ``plot=`` asks for (:mod:`simapp.data.columns`).

Examples
--------
>>> import numpy as np
>>> X = np.array([[0.0, 0.0, 1.0], [2.0, 0.0, 1.0], [4.0, 0.0, 1.0]])
>>> p = Projection.pair(3, 0, 2, ("a", "b", "c"))
>>> p.points(X)[:, 1].tolist(), p.labels
([1.0, 1.0, 1.0], ('a', 'c'))
>>> pca = Projection.principal(X)
>>> np.round(np.abs(pca.points(X)[:, 0]), 6).tolist()
[2.0, 0.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simapp.data.columns import column_index, split_items
from simapp.text.quoting import quote_user_text

__all__ = ["Projection", "choose_projection"]


@dataclass(frozen=True)
class Projection:
    """A linear map from d data columns to the scatter's two axes.

    Attributes
    ----------
    matrix : ndarray of shape (d, 2)
        ``points = (X - center) @ matrix``.
    center : ndarray of shape (d,)
        Subtracted before mapping (the data mean for principal components,
        zeros for a pair of columns, so the axes keep the data's units).
    labels : tuple of str
        Axis titles.
    kind : {"pair", "pca"}
    explained : tuple of float
        For ``"pca"``: the share of the total variance each axis carries.
    """

    matrix: np.ndarray
    center: np.ndarray
    labels: tuple
    kind: str = "pair"
    explained: tuple = ()

    @classmethod
    def pair(cls, n_features: int, first: int, second: int, names=()) -> Projection:
        """Draw columns ``first`` and ``second`` (0-based) as they are.

        Raises
        ------
        ValueError
            If either index is outside ``0 .. n_features - 1`` or they are equal.
        """
        d = int(n_features)
        for name, value in (("first", first), ("second", second)):
            if not 0 <= int(value) < d:
                raise ValueError(f"{name}={value} is not a column index 0..{d - 1}")
        if int(first) == int(second):
            raise ValueError(f"first and second must differ; both are {first}")
        matrix = np.zeros((d, 2))
        matrix[int(first), 0] = 1.0
        matrix[int(second), 1] = 1.0
        names = tuple(names) or tuple(f"column {i + 1}" for i in range(d))
        return cls(
            matrix=matrix,
            center=np.zeros(d),
            labels=(str(names[int(first)]), str(names[int(second)])),
        )

    @classmethod
    def principal(cls, X) -> Projection:
        """The first two principal components of ``X`` (n, d), d >= 2.

        The sign of each axis is fixed so that its largest loading is
        positive, which makes the picture the same on every machine.
        """
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] < 2 or X.shape[0] < 2:
            raise ValueError(
                f"principal components need at least 2 rows and 2 columns; "
                f"got shape {X.shape}"
            )
        center = X.mean(axis=0)
        cov = np.cov(X - center, rowvar=False, bias=True)
        values, vectors = np.linalg.eigh(cov)
        order = np.argsort(values)[::-1][:2]
        matrix = vectors[:, order]
        flip = np.sign(matrix[np.argmax(np.abs(matrix), axis=0), [0, 1]])
        matrix = matrix * np.where(flip == 0, 1.0, flip)
        total = float(np.sum(np.clip(values, 0.0, None)))
        share = tuple(
            float(max(values[i], 0.0) / total) if total > 0 else 0.0 for i in order
        )
        labels = tuple(
            f"PC{i + 1} ({100 * s:.0f} % of variance)" for i, s in enumerate(share)
        )
        return cls(
            matrix=matrix, center=center, labels=labels, kind="pca", explained=share
        )

    def points(self, X) -> np.ndarray:
        """Map rows of ``X`` (n, d) to (n, 2)."""
        return (np.asarray(X, dtype=np.float64) - self.center) @ self.matrix

    def means(self, means) -> np.ndarray:
        """Map component means (K, d) to (K, 2)."""
        return self.points(means)

    def covariances(self, covariances) -> np.ndarray:
        """Map full covariances (K, d, d) to (K, 2, 2): ``Pᵀ Σ_k P``."""
        cov = np.asarray(covariances, dtype=np.float64)
        return np.einsum("da,kde,eb->kab", self.matrix, cov, self.matrix)


def choose_projection(
    plot: str, X, names: Sequence[str], titles: Sequence[str] = ()
) -> tuple[Projection | None, str]:
    """What the scatter draws for fitted data ``X`` (n, d) named ``names``.

    ``plot`` is a normal-form ``plot=`` value naming columns as ``names``
    does; the axes are titled with ``titles`` (default: the names).

    Returns
    -------
    projection : Projection or None
        ``None`` for two columns drawn as they are (the page's usual chart).
    note : str
        Why ``plot`` was not followed (``""`` if it was).

    Examples
    --------
    >>> X = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 3.0], [2.0, 2.0, 1.0]])
    >>> choose_projection("c,a", X, ("a", "b", "c"))[0].labels
    ('c', 'a')
    >>> choose_projection("", X[:, :2], ("a", "b"))
    (None, '')
    """
    X = np.asarray(X, dtype=np.float64)
    d = X.shape[1]
    names = tuple(names) or tuple(f"column {j + 1}" for j in range(d))
    if plot in ("", "pca"):
        if d == 2 and plot == "":
            return None, ""
        return Projection.principal(X), ""
    shown = f"plot={quote_user_text(plot)}"
    try:
        first, second = (column_index(p, names, shown) for p in split_items(plot))
        if first == second:
            raise ValueError(f"{shown} names the same column twice")
    except ValueError as exc:
        fallback = None if d == 2 else Projection.principal(X)
        return fallback, f"{exc}; showing the default"
    if d == 2 and (first, second) == (0, 1):
        return None, ""
    return Projection.pair(d, first, second, tuple(titles) or names), ""
