"""A gallery of hard data: five 2-D data sets on which a Gaussian mixture, or
the usual way of starting EM, goes wrong in a different way each.

``ring``
    A round cluster inside a ring (35 % / 65 % of the points). No ellipse is
    ring-shaped: with two components one swallows the middle and most of the
    ring, the other takes an arc.
``moons``
    Two interlocking half-moons (scikit-learn's ``make_moons``, scaled by 3).
    An ellipse cannot bend: the components cut across the moons.
``cigars``
    Two long parallel sticks, 18 long and 1 apart, uniform along their length
    and Gaussian across it (standard deviation 0.15). The k-means++ start
    (and k-means) cuts them across into a left and a right half, and EM
    cannot turn that split around: the halves are a local maximum of the
    likelihood. k-means on the whitened data (``init_params="whitened"``)
    splits them along their length. Uniform along the length, not Gaussian:
    with Gaussian sticks the halves are only a saddle, which EM leaves from
    about a third of the starts, so the trap would show on some seeds only.
``unequal``
    Three clusters of very different sizes and spreads: 70 % of the points
    with standard deviation 2.2, 20 % with 0.7 and 10 % with 0.3. k-means,
    which assumes equal round clusters, cuts the wide one and merges the
    small ones; EM fits the weights and spreads.
``outliers``
    Three tilted Gaussian clusters (40 %, 35 % and 25 % of the inliers)
    plus 5 % of the points scattered uniformly over the square
    ``[-12, 12]^2``. They swell the covariances and may claim a component;
    the points of lowest fitted density (:mod:`emcore.anomaly`) catch most.

Every data set is a pure function of ``(name, n_samples, seed)``: all draws
come from one ``numpy.random.Generator`` (PCG64, the same stream in CPython
and Pyodide), in this order: the per-cluster counts and the order of the
labels, then the noise. Only exactly rounded arithmetic turns the draws
into points (no ``cos`` or ``sin``), so CPython and Pyodide give the same
bits. Coordinates are of order 1 to 10, like
:func:`~emcore.synthetic.simulate`'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, check_int, check_random_state

__all__ = [
    "GALLERY",
    "MIN_SAMPLES",
    "GalleryData",
    "make_cigars",
    "make_gallery",
    "make_moons",
    "make_outliers",
    "make_ring",
    "make_unequal",
    "n_planted_outliers",
]

#: Smallest data set the gallery draws (every cluster gets points).
MIN_SAMPLES = 20

# Every cluster gets at least min(_MIN_COUNT, n_samples // K) points.
_MIN_COUNT = 5

# ring: the inner cluster's standard deviation, the ring's radius and its
# radial standard deviation
_RING = {"weights": (0.35, 0.65), "inner_sd": 0.8, "radius": 5.0, "radial_sd": 0.4}
# moons: scikit-learn's unit moons, centred, then scaled; noise in unit moons
_MOONS = {"scale": 3.0, "noise": 0.1}
# cigars: half-length, gap between the two axes, standard deviation across
_CIGARS = {"half_length": 9.0, "gap": 1.0, "width": 0.15}
_UNEQUAL = {
    "weights": (0.7, 0.2, 0.1),
    "means": ((-1.5, 0.0), (3.8, -2.4), (3.8, 2.2)),
    "sds": (2.2, 0.7, 0.3),
}
# outliers: three tilted clusters (Cholesky factors of their covariances),
# the share of scattered points and the half-width of their square
_OUTLIERS = {
    "weights": (0.4, 0.35, 0.25),
    "means": ((-4.0, -2.0), (3.5, -2.5), (0.0, 4.0)),
    "chol": (
        ((1.2, 0.0), (0.6, 0.7)),
        ((0.9, 0.0), (-0.5, 1.0)),
        ((1.4, 0.0), (0.2, 0.5)),
    ),
    "share": 0.05,
    "half_width": 12.0,
}


@dataclass(frozen=True, eq=False)
class GalleryData:
    """One data set of the gallery, with its truth.

    Attributes
    ----------
    name : str
        Its key in :data:`GALLERY`.
    X : ndarray of shape (n_samples, 2), float64
        The points, in random order.
    labels : ndarray of shape (n_samples,), int64
        The true cluster of each point, ``0 .. n_clusters - 1``; the planted
        outliers of ``outliers`` have the label ``n_clusters`` (so the labels
        are always ``0 .. max``, and an ARI counts the outliers as one more
        class).
    outliers : ndarray of shape (n_samples,), bool
        True for the planted outliers (all False but for ``outliers``).
    n_clusters : int
        Number of true clusters, not counting the outliers.
    n_components : int
        Components the gallery's lesson fits: ``n_clusters``.
    """

    name: str
    X: np.ndarray
    labels: np.ndarray
    outliers: np.ndarray
    n_clusters: int
    n_components: int


def _labels(n_samples, weights, rng):
    """Labels in random order, ``weights`` the expected shares (at least
    ``min(_MIN_COUNT, n // K)`` each)."""
    k = len(weights)
    floor = min(_MIN_COUNT, n_samples // k)
    counts = floor + rng.multinomial(n_samples - floor * k, np.asarray(weights))
    # np.repeat needs the platform index type on 32-bit WebAssembly (Pyodide)
    return rng.permutation(np.repeat(np.arange(k), counts.astype(np.intp)))


def _directions(rng, n):
    """``n`` unit vectors uniform on the circle, shape (n, 2): normalised
    standard-normal pairs. Only ``+``, ``*``, ``/`` and ``sqrt``, which give
    the same bits in CPython and Pyodide, where ``cos`` and ``sin`` may
    differ in the last one."""
    g = rng.standard_normal((n, 2))
    norm = np.sqrt(g[:, 0] * g[:, 0] + g[:, 1] * g[:, 1])
    return g / np.maximum(norm, np.finfo(float).tiny)[:, None]


def _record(name, X, labels, n_clusters, outliers=None):
    labels = labels.astype(np.int64, copy=False)
    if outliers is None:
        outliers = np.zeros(len(labels), dtype=bool)
    return GalleryData(
        name=name,
        X=np.ascontiguousarray(X, dtype=np.float64),
        labels=labels,
        outliers=outliers,
        n_clusters=n_clusters,
        n_components=n_clusters,
    )


def _check(n_samples, random_state):
    return check_int("n_samples", n_samples, MIN_SAMPLES), check_random_state(
        random_state
    )


def make_ring(n_samples, random_state=None):
    """A round cluster (label 0) inside a ring (label 1).

    Parameters
    ----------
    n_samples : int
        At least :data:`MIN_SAMPLES`.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    GalleryData
    """
    n_samples, rng = _check(n_samples, random_state)
    labels = _labels(n_samples, _RING["weights"], rng)
    noise = rng.standard_normal((n_samples, 2))
    radius = _RING["radius"] + _RING["radial_sd"] * noise[:, 0]
    ring = radius[:, None] * _directions(rng, n_samples)
    X = np.where(labels[:, None] == 0, _RING["inner_sd"] * noise, ring)
    return _record("ring", X, labels, 2)


def make_moons(n_samples, random_state=None):
    """Two interlocking half-moons: the upper (label 0) and the lower (1).

    Parameters
    ----------
    n_samples : int
        At least :data:`MIN_SAMPLES`.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    GalleryData
    """
    n_samples, rng = _check(n_samples, random_state)
    labels = _labels(n_samples, (0.5, 0.5), rng)
    # (cos t, sin t) for t uniform in [0, pi]: a direction folded upwards
    upper = _directions(rng, n_samples)
    upper[:, 1] = np.abs(upper[:, 1])
    noise = rng.standard_normal((n_samples, 2))
    lower = np.array([1.0, 0.5]) - upper
    unit = np.where(labels[:, None] == 0, upper, lower) - np.array([0.5, 0.25])
    X = _MOONS["scale"] * (unit + _MOONS["noise"] * noise)
    return _record("moons", X, labels, 2)


def make_cigars(n_samples, random_state=None):
    """Two long parallel sticks along x: the lower (label 0) and the upper (1).

    Parameters
    ----------
    n_samples : int
        At least :data:`MIN_SAMPLES`.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    GalleryData
    """
    n_samples, rng = _check(n_samples, random_state)
    labels = _labels(n_samples, (0.5, 0.5), rng)
    half = _CIGARS["half_length"]
    x = rng.uniform(-half, half, n_samples)
    y = (labels - 0.5) * _CIGARS["gap"] + _CIGARS["width"] * rng.standard_normal(
        n_samples
    )
    return _record("cigars", np.column_stack((x, y)), labels, 2)


def make_unequal(n_samples, random_state=None):
    """Three round clusters: a big wide one (label 0), a medium (1), a small
    tight one (2).

    Parameters
    ----------
    n_samples : int
        At least :data:`MIN_SAMPLES`.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    GalleryData
    """
    n_samples, rng = _check(n_samples, random_state)
    labels = _labels(n_samples, _UNEQUAL["weights"], rng)
    means = np.array(_UNEQUAL["means"])
    sds = np.array(_UNEQUAL["sds"])
    X = means[labels] + sds[labels, None] * rng.standard_normal((n_samples, 2))
    return _record("unequal", X, labels, 3)


def n_planted_outliers(n_samples):
    """Outliers :func:`make_outliers` plants among ``n_samples`` points: 5 %,
    rounded half up."""
    return int(math.floor(_OUTLIERS["share"] * n_samples + 0.5))


def make_outliers(n_samples, random_state=None):
    """Three Gaussian clusters (labels 0-2) and 5 % scattered outliers (label 3).

    The outliers are uniform over the square ``[-12, 12]^2``; some fall
    inside the clusters, where no method can tell them apart.

    Parameters
    ----------
    n_samples : int
        At least :data:`MIN_SAMPLES`.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    GalleryData
        ``outliers`` flags the :func:`n_planted_outliers` planted points.
    """
    n_samples, rng = _check(n_samples, random_state)
    n_out = n_planted_outliers(n_samples)
    k = len(_OUTLIERS["weights"])
    n_in = n_samples - n_out
    labels = _labels(n_in, _OUTLIERS["weights"], rng)
    chol = np.array(_OUTLIERS["chol"])
    noise = rng.standard_normal((n_in, 2))
    inliers = np.array(_OUTLIERS["means"])[labels] + np.einsum(
        "nij,nj->ni", chol[labels], noise
    )
    half = _OUTLIERS["half_width"]
    scattered = rng.uniform(-half, half, (n_out, 2))
    order = rng.permutation(n_samples)
    X = np.vstack((inliers, scattered))[order]
    labels = np.concatenate((labels, np.full(n_out, k)))[order]
    return _record("outliers", X, labels, k, outliers=labels == k)


#: The gallery's data sets by name, in menu order.
GALLERY = {
    "ring": make_ring,
    "moons": make_moons,
    "cigars": make_cigars,
    "unequal": make_unequal,
    "outliers": make_outliers,
}


def make_gallery(name, n_samples, random_state=None):
    """Draw the gallery's data set ``name``.

    Parameters
    ----------
    name : {'ring', 'moons', 'cigars', 'unequal', 'outliers'}
    n_samples : int
        At least :data:`MIN_SAMPLES`.
    random_state : None, int or numpy.random.Generator
        The same seed always gives the same data.

    Returns
    -------
    GalleryData

    Examples
    --------
    >>> data = make_gallery("cigars", 500, 1)
    >>> data.X.shape, data.n_components, int(data.outliers.sum())
    ((500, 2), 2, 0)
    >>> int(make_gallery("outliers", 500, 1).outliers.sum())
    25
    """
    name = check_choice("name", name, tuple(GALLERY))
    return GALLERY[name](n_samples, random_state)
