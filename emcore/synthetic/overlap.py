"""Simulated Gaussian-mixture data with a controllable overlap, in 2-D or 1-D.

:func:`simulate` draws points from ``K`` rotated, anisotropic Gaussian clusters
with unequal weights, and (on request) returns the :class:`TrueMixture` that
generated them, whose Bayes classifier gives the best labelling any method can
hope for.

The overlap rule
----------------
The cluster means sit on a ring, in ring order, and every pair of neighbours on
the ring is kept apart by the same *separation* ``s``. The separation of two
clusters ``i`` and ``j`` is the distance between their means divided by the sum
of their standard deviations along the line that joins them::

    s_ij = |mu_j - mu_i| / (sd_i(u) + sd_j(u)),   sd_k(u) = sqrt(u' Sigma_k u),

where ``u`` is the unit vector from ``mu_i`` to ``mu_j``. For two equal clusters
``s`` is a z-score: the midpoint between the means lies ``s`` standard
deviations from each of them, so projecting onto ``u`` misclassifies a fraction
``Phi(-s)`` of the points. The ``overlap`` argument sets ``s`` by geometric
interpolation (linear in ``log s``),

    s(overlap) = S_SEPARATED ** (1 - overlap) * S_OVERLAPPING ** overlap,

with ``S_SEPARATED = 4.0`` (about 3 in 100 000 points on the wrong side of a
neighbour boundary) and ``S_OVERLAPPING = 0.2`` (neighbouring means well inside
each other's one-standard-deviation band). Every step of 0.1 in overlap shrinks
the separation by the same factor, ``0.05 ** 0.1 ~ 0.74``. A linear rule would
leave the first third of the range looking alike, because clusters more than
about 2.5 standard deviations apart are all but perfectly separable; the
geometric rule makes the Bayes-optimal adjusted Rand index (the ARI of the
true mixture's own posterior labels) fall steadily instead, from about 1.0 at
``overlap = 0`` through about 0.9 at 0.25, 0.5 at 0.5 and 0.25 at 0.75 to about
0.15 at ``overlap = 1``.

How the ring is laid out: the arcs between consecutive means are first made
proportional to the distance each neighbouring pair needs, and refined a few
times so that the ratio of chord to needed distance is (nearly) the same for
every pair; the radius is then chosen so that the *tightest* neighbouring pair
sits at exactly ``s`` and no neighbouring pair is closer. With three clusters of
very different shapes the ring cannot always make every pair exact, so some
pairs may end up slightly further apart than ``s``. For ``K = 2`` the two means
are simply ``s (sd_1 + sd_2)`` apart; for ``K = 1`` there is nothing to separate.

Finally the whole mixture is translated so that its overall mean is the origin
and scaled so that its overall standard deviation (the square root of half the
trace of the mixture covariance) is :data:`TOTAL_SD`, so coordinates stay of
order 1 to 10 at every overlap. Scaling and translation do not change ``s``.

One dimension
-------------
With ``n_features=1`` the clusters lie on a line, in index order, each pair
of neighbours ``s`` apart by the same rule (``sd_k`` is now simply the
cluster's standard deviation), and the whole is centred and scaled to the
overall standard deviation :data:`TOTAL_SD`. The weights and standard
deviations come from the same ranges as in the plane (the major-axis one);
the stream of draws, and so the data, differ from the plane's.

Random draws
------------
Everything random comes from one ``numpy.random.Generator`` (PCG64 through
:func:`numpy.random.default_rng`), in this order: cluster weights, cluster
shapes and orientations, ring rotation (on a line: weights, then standard
deviations), then the per-cluster counts, the order of the labels and the
standard-normal noise. The mixture is therefore a pure function of
``(n_components, overlap, seed, n_features)``; the shapes, weights and ring
rotation do not depend on ``overlap``, so moving only the overlap slider moves
the same clusters closer together or further apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import check_float, check_int, check_random_state
from ..densities import (
    compute_precision_cholesky,
    estimate_weighted_log_prob,
    logsumexp,
)

__all__ = [
    "MAX_COMPONENTS",
    "S_OVERLAPPING",
    "S_SEPARATED",
    "TOTAL_SD",
    "TrueMixture",
    "separation",
    "simulate",
]

#: Separation of neighbouring clusters at ``overlap = 0``.
S_SEPARATED = 4.0
#: Separation of neighbouring clusters at ``overlap = 1``.
S_OVERLAPPING = 0.2
#: Overall standard deviation of the simulated data.
TOTAL_SD = 3.0
#: Largest number of clusters :func:`simulate` accepts.
MAX_COMPONENTS = 20

# Shape of each cluster before the final rescaling: the standard deviation along
# the major axis, and the ratio of the major to the minor standard deviation.
_MAJOR_SD_RANGE = (0.7, 1.4)
_AXIS_RATIO_RANGE = (1.5, 3.5)
# Weights are proportional to uniform draws from this range, so the largest
# weight is at most three times the smallest.
_WEIGHT_RANGE = (1.0, 3.0)
# Every cluster gets at least min(_MIN_COUNT, n_samples // K) points.
_MIN_COUNT = 5
_RING_REFINEMENTS = 30


# ----------------------------------------------------------------------------
# the true mixture
# ----------------------------------------------------------------------------
def _readonly(array):
    array = np.array(array, dtype=np.float64, copy=True)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class TrueMixture:
    """The Gaussian mixture that generated a simulated data set.

    Parameters
    ----------
    weights : ndarray of shape (K,)
        Mixing weights, positive and summing to one.
    means : ndarray of shape (K, d)
        Cluster means (``d = 2`` for :func:`simulate`'s plane, 1 on a line).
    covariances : ndarray of shape (K, d, d)
        Full, symmetric positive-definite cluster covariances.
    separation : float, default nan
        The separation ``s`` of neighbouring clusters used to lay out the
        means (see the module docstring); ``nan`` when not applicable.

    Notes
    -----
    The arrays are stored as read-only float64 copies. :meth:`predict` is the
    Bayes classifier: no labelling of the data can do better on average.
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    separation: float = float("nan")

    def __post_init__(self):
        weights = _readonly(self.weights)
        means = _readonly(self.means)
        covariances = _readonly(self.covariances)
        k = weights.shape[0] if weights.ndim == 1 else -1
        d = means.shape[1] if means.ndim == 2 else -1
        if k < 1 or d < 1 or means.shape != (k, d) or covariances.shape != (k, d, d):
            raise ValueError(
                "TrueMixture needs weights (K,), means (K, d) and covariances "
                f"(K, d, d); got shapes {weights.shape}, {means.shape}, "
                f"{covariances.shape}"
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "covariances", covariances)
        object.__setattr__(self, "separation", float(self.separation))

    @property
    def n_components(self) -> int:
        """Number of clusters ``K``."""
        return int(self.weights.shape[0])

    @property
    def n_features(self) -> int:
        """Dimension ``d`` of the points."""
        return int(self.means.shape[1])

    def _check_points(self, X):
        X = np.asarray(X, dtype=np.float64)
        d = self.n_features
        if X.ndim != 2 or X.shape[1] != d:
            raise ValueError(f"X must have shape (n_samples, {d}); got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X must not contain NaN or infinity")
        return X

    def log_joint(self, X):
        """Log of ``weight_k * N(x | mean_k, cov_k)`` for every point and cluster.

        Parameters
        ----------
        X : array-like of shape (n_samples, d)

        Returns
        -------
        ndarray of shape (n_samples, K)
        """
        X = self._check_points(X)
        return estimate_weighted_log_prob(
            X,
            self.weights,
            self.means,
            compute_precision_cholesky(self.covariances, "full"),
            "full",
        )

    def score_samples(self, X):
        """Log density of the mixture at each point, shape (n_samples,)."""
        return logsumexp(self.log_joint(X), axis=1)

    def log_posterior(self, X):
        """Log posterior probability of each cluster given each point.

        Parameters
        ----------
        X : array-like of shape (n_samples, d)

        Returns
        -------
        ndarray of shape (n_samples, K)
            Each row's exponentials sum to one.
        """
        joint = self.log_joint(X)
        return joint - logsumexp(joint, axis=1)[:, None]

    def predict(self, X):
        """Bayes-optimal labels (posterior argmax), int64 of shape (n_samples,)."""
        return np.argmax(self.log_joint(X), axis=1).astype(np.int64)


# ----------------------------------------------------------------------------
# geometry of the layout
# ----------------------------------------------------------------------------
def separation(overlap):
    """Neighbour separation ``s`` for an overlap in [0, 1] (module docstring)."""
    overlap = check_float("overlap", overlap, 0, 1)
    return S_SEPARATED ** (1.0 - overlap) * S_OVERLAPPING**overlap


def _sd_along(covariances, u):
    """Standard deviation of each cluster along its own unit direction.

    covariances (K, 2, 2), u (K, 2) -> (K,)
    """
    return np.sqrt(np.einsum("ki,kij,kj->k", u, covariances, u))


def _ring_means(covariances, s, phase):
    """Means on a ring so that every neighbouring pair is at least ``s`` apart.

    Pair ``k`` joins mean ``k`` and mean ``k + 1`` (mod K). Returns (K, 2).
    """
    k = covariances.shape[0]
    if k == 1:
        return np.zeros((1, 2))
    nxt = np.roll(np.arange(k), -1)
    arcs = np.full(k, 2.0 * np.pi / k)

    def chords_and_needs(arcs):
        starts = phase + np.concatenate(([0.0], np.cumsum(arcs)[:-1]))
        mid = starts + arcs / 2.0
        u = np.column_stack((-np.sin(mid), np.cos(mid)))  # direction k -> k+1
        need = _sd_along(covariances, u) + _sd_along(covariances[nxt], u)
        chord = 2.0 * np.sin(arcs / 2.0)  # chord length on the unit circle
        return starts, chord, need

    if k > 2:  # two means are always diametrically opposite
        for _ in range(_RING_REFINEMENTS):
            _, chord, need = chords_and_needs(arcs)
            ratio = chord / need
            arcs = arcs * (np.mean(ratio) / ratio)
            arcs = np.clip(arcs * (2.0 * np.pi / arcs.sum()), 1e-3, np.pi)
            arcs *= 2.0 * np.pi / arcs.sum()
    starts, chord, need = chords_and_needs(arcs)
    radius = s * float(np.max(need / chord))
    return radius * np.column_stack((np.cos(starts), np.sin(starts)))


def _draw_mixture(n_components, overlap, rng):
    k = n_components
    raw = rng.uniform(*_WEIGHT_RANGE, size=k)
    weights = raw / raw.sum()
    major = rng.uniform(*_MAJOR_SD_RANGE, size=k)
    minor = major / rng.uniform(*_AXIS_RATIO_RANGE, size=k)
    theta = rng.uniform(0.0, np.pi, size=k)
    phase = rng.uniform(0.0, 2.0 * np.pi)

    c, sn = np.cos(theta), np.sin(theta)
    rot = np.stack((np.stack((c, -sn), -1), np.stack((sn, c), -1)), -2)
    covariances = np.einsum(
        "kij,kj,klj->kil", rot, np.column_stack((major, minor)) ** 2, rot
    )
    covariances = 0.5 * (covariances + np.swapaxes(covariances, 1, 2))

    s = separation(overlap)
    means = _ring_means(covariances, s, phase)

    # Centre on the overall mean and rescale to the overall spread TOTAL_SD.
    centre = weights @ means
    means = means - centre
    total = np.einsum("k,kij->ij", weights, covariances) + np.einsum(
        "k,ki,kj->ij", weights, means, means
    )
    scale = TOTAL_SD / math.sqrt(0.5 * float(np.trace(total)))
    return TrueMixture(
        weights=weights,
        means=means * scale,
        covariances=covariances * scale**2,
        separation=s if k > 1 else float("nan"),
    )


def _draw_line_mixture(n_components, overlap, rng):
    """The 1-D mixture: clusters on a line, neighbours ``s`` apart."""
    k = n_components
    raw = rng.uniform(*_WEIGHT_RANGE, size=k)
    weights = raw / raw.sum()
    sd = rng.uniform(*_MAJOR_SD_RANGE, size=k)
    s = separation(overlap)
    gaps = s * (sd[:-1] + sd[1:])
    means = np.concatenate(([0.0], np.cumsum(gaps)))
    means = means - weights @ means
    total = float(weights @ (sd**2 + means**2))
    scale = TOTAL_SD / math.sqrt(total)
    return TrueMixture(
        weights=weights,
        means=(means * scale)[:, None],
        covariances=((sd * scale) ** 2)[:, None, None],
        separation=s if k > 1 else float("nan"),
    )


def simulate(
    n_samples,
    n_components,
    overlap,
    random_state=None,
    *,
    return_mixture=False,
    n_features=2,
):
    """Draw points from ``K`` Gaussian clusters: rotated and anisotropic in
    the plane, or on a line.

    Parameters
    ----------
    n_samples : int
        Number of points, at least 1 and at least ``n_components``.
    n_components : int
        Number of clusters ``K``, from 1 to :data:`MAX_COMPONENTS`.
    overlap : float
        In [0, 1]: 0 keeps neighbouring clusters fully separated, 1 makes them
        overlap heavily. See the module docstring for the exact rule.
    random_state : None, int or numpy.random.Generator, default None
        Seed or generator; the same seed always gives the same data. A
        generator passed in is advanced.
    return_mixture : bool, default False
        Also return the :class:`TrueMixture` that generated the points.
    n_features : {2, 1}, default 2
        2 for clusters in the plane, 1 for clusters on a line (the module
        docstring's "One dimension").

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
        The points, in random order.
    labels : ndarray of shape (n_samples,), int64
        The cluster of each point, in ``0 .. K-1``. Every cluster has at least
        ``min(5, n_samples // K)`` points, so all ``K`` labels occur.
    mixture : TrueMixture
        Only when ``return_mixture`` is true.

    Raises
    ------
    ValueError
        When an argument is of the wrong type or outside its range.
    """
    n_samples = check_int("n_samples", n_samples, 1)
    n_components = check_int("n_components", n_components, 1, MAX_COMPONENTS)
    if n_samples < n_components:
        raise ValueError(
            f"n_samples must be >= n_components ({n_components}); got {n_samples}"
        )
    overlap = check_float("overlap", overlap, 0, 1)
    n_features = check_int("n_features", n_features, 1, 2)
    rng = check_random_state(random_state)

    draw = _draw_mixture if n_features == 2 else _draw_line_mixture
    mixture = draw(n_components, overlap, rng)

    floor = min(_MIN_COUNT, n_samples // n_components)
    counts = floor + rng.multinomial(n_samples - floor * n_components, mixture.weights)
    # np.repeat casts counts to the platform index type 'safely', which int64
    # is not on 32-bit WebAssembly (Pyodide)
    labels = rng.permutation(np.repeat(np.arange(n_components), counts.astype(np.intp)))
    noise = rng.standard_normal((n_samples, n_features))
    chol = np.linalg.cholesky(mixture.covariances)
    X = mixture.means[labels] + np.einsum("nij,nj->ni", chol[labels], noise)

    X = np.ascontiguousarray(X, dtype=np.float64)
    labels = labels.astype(np.int64, copy=False)
    if return_mixture:
        return X, labels, mixture
    return X, labels
