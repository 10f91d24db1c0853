"""The gallery of hard data as the page's datasets: ``data=ring``, ``moons``,
``cigars``, ``unequal``, ``outliers``.

They are not files: :func:`load` draws them with
:func:`emcore.synthetic.make_gallery` from the page's N and seed, so a link
(which always carries both) redraws the same points, and the state stays a
pure function of the link. Their true classes come with them (the planted
outliers as one more class), so the ARI is shown.

Examples
--------
>>> X, labels, names = load("cigars", 200, 1)
>>> X.shape, names
((200, 2), ('cluster 1', 'cluster 2'))
>>> is_gallery("cigars"), is_gallery("iris")
(True, False)
"""

from __future__ import annotations

import numpy as np

from emcore.synthetic import GALLERY, make_gallery
from simapp.text import gallery as words

__all__ = ["NAMES", "is_gallery", "load", "planted_outliers"]

#: The gallery's data sets, in menu order.
NAMES: tuple[str, ...] = tuple(GALLERY)


def is_gallery(name: str) -> bool:
    """Whether dataset ``name`` is drawn by the gallery (not a bundled file)."""
    return name in GALLERY


def load(
    name: str, n_samples: int, seed: int
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Points, true labels and class names of gallery data set ``name``.

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.
    n_samples : int
        The page's N.
    seed : int
        The page's seed: the same seed and N always give the same points.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), float64
    labels : ndarray of shape (n_samples,), int64
        ``0 .. n_clusters - 1``, and ``n_clusters`` for planted outliers.
    label_names : tuple of str
        ``label_names[code]``.

    Raises
    ------
    ValueError
        For a name not in :data:`NAMES` (naming them) or too small an N.
    """
    data = make_gallery(name, n_samples, seed)
    names = words.class_names(data.n_clusters, outliers=bool(data.outliers.any()))
    return data.X, data.labels, names


def planted_outliers(dataset: str, labels, label_names) -> np.ndarray | None:
    """Which points of loaded data are the gallery's planted outliers.

    Parameters
    ----------
    dataset : str
        The data's dataset name (``""`` for other data).
    labels : ndarray of shape (n_samples,) or None
    label_names : tuple of str
        As :func:`load` returns them.

    Returns
    -------
    ndarray of shape (n_samples,), bool, or None
        None unless the data are gallery data with planted outliers.

    >>> X, labels, names = load("outliers", 200, 1)
    >>> int(planted_outliers("outliers", labels, names).sum())
    10
    >>> planted_outliers("iris", labels, names) is None
    True
    """
    outlier_class = words.class_names(0, outliers=True)[-1]
    if not is_gallery(dataset) or labels is None or outlier_class not in label_names:
        return None
    return np.asarray(labels) == label_names.index(outlier_class)
