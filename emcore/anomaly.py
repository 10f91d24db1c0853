"""Low-density points of a fitted mixture, and its density on a grid.

:func:`flag_anomalies` flags the ``P`` % of points with the lowest fitted
(log-)density, scikit-learn's ``contamination = P / 100`` of its outlier
detectors; :func:`anomaly_scores` says how many of some planted outliers the
flags caught (precision and recall); :func:`contour_level` gives the
threshold in density units, where a contour of the mixture's density
separates the flagged points from the rest; :func:`mixture_density`
evaluates each component's weighted density and the mixture's on a grid of
points (in 1-D, the curves over a histogram).

How many points: ``round_half_up(P * N / 100)``, at least one
(:func:`n_flagged`). Which: the points sorted by log-density, ties in the
order of the points (the first of equal points is flagged first), so the
flags are deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import check_covariance_type, check_float, check_int
from .densities import compute_precision_cholesky, estimate_weighted_log_prob
from .geometry import to_full_covariances

__all__ = [
    "MAX_PERCENT",
    "Anomalies",
    "AnomalyScore",
    "MixtureDensity",
    "anomaly_scores",
    "contour_level",
    "flag_anomalies",
    "mixture_density",
    "n_flagged",
]

#: Largest share of points (in percent) that may be called anomalies: beyond
#: half, the "anomalies" would be the typical points.
MAX_PERCENT = 50.0

# Digits kept of P * N / 100 before rounding, so that float noise such as
# 5.500000000000001 still rounds as the exact 5.5 would.
_ROUND_DIGITS = 9


def _check_percent(percent):
    return check_float("percent", percent, 0.0, MAX_PERCENT, low_open=True)


def n_flagged(n_samples, percent):
    """How many of ``n_samples`` points are the lowest ``percent`` %.

    ``P * N / 100`` rounded half up (2.5 -> 3, 2.4 -> 2), and at least one.

    Parameters
    ----------
    n_samples : int
        At least 1.
    percent : float
        In (0, 50].

    Returns
    -------
    int

    Examples
    --------
    >>> n_flagged(500, 5), n_flagged(50, 5), n_flagged(30, 5), n_flagged(10, 1)
    (25, 3, 2, 1)
    """
    n_samples = check_int("n_samples", n_samples, 1)
    percent = _check_percent(percent)
    exact = round(percent * n_samples / 100.0, _ROUND_DIGITS)
    return max(1, math.floor(exact + 0.5))


@dataclass(frozen=True, eq=False)
class Anomalies:
    """The lowest-density points of a data set.

    Attributes
    ----------
    flags : ndarray of shape (n_samples,), bool
        True for the flagged points.
    threshold : float
        Log-density of the last point flagged: every flagged point's
        log-density is at most ``threshold``, every other point's at least
        (equal only for ties, flagged in the order of the points).
    percent : float
        The ``P`` asked for.
    n_flagged : int
        ``flags.sum()``: :func:`n_flagged` of the sample size and ``P``.
    """

    flags: np.ndarray
    threshold: float
    percent: float
    n_flagged: int

    @property
    def level(self) -> float:
        """The threshold in density units (:func:`contour_level`)."""
        return contour_level(self.threshold)


def flag_anomalies(log_density, percent):
    """Flag the ``percent`` % of points with the lowest log-density.

    Parameters
    ----------
    log_density : array-like of shape (n_samples,)
        Each point's log-density under the fitted mixture (the estimator's
        ``score_samples(X)``); ``-inf`` is allowed, NaN is not.
    percent : float
        ``P`` in (0, 50].

    Returns
    -------
    Anomalies

    Raises
    ------
    ValueError
        When ``percent`` is outside (0, 50] or ``log_density`` is not a
        non-empty 1-D array of numbers without NaN.

    Examples
    --------
    >>> found = flag_anomalies([-1.0, -9.0, -2.0, -9.0, -0.5], 40)
    >>> found.flags.tolist(), found.threshold, found.n_flagged
    ([False, True, False, True, False], -9.0, 2)
    >>> flag_anomalies([-1.0, -9.0, -2.0, -9.0, -0.5], 20).flags.tolist()
    [False, True, False, False, False]
    """
    percent = _check_percent(percent)
    try:
        scores = np.asarray(log_density, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            "log_density must be a 1-D array of numbers; got "
            f"{type(log_density).__name__}"
        ) from None
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError(
            f"log_density must be a non-empty 1-D array; got shape {scores.shape}"
        )
    if np.isnan(scores).any() or np.isposinf(scores).any():
        raise ValueError("log_density must not contain NaN or +inf")
    count = n_flagged(scores.size, percent)
    # a stable sort keeps equal densities in the points' order
    order = np.argsort(scores, kind="stable")
    flags = np.zeros(scores.size, dtype=bool)
    flags[order[:count]] = True
    return Anomalies(
        flags=flags,
        threshold=float(scores[order[count - 1]]),
        percent=percent,
        n_flagged=count,
    )


@dataclass(frozen=True)
class AnomalyScore:
    """How the flags compare with known (planted) outliers.

    Attributes
    ----------
    n_flagged, n_planted, n_caught : int
        Points flagged, planted outliers, planted outliers flagged.
    precision : float
        ``n_caught / n_flagged``: the share of the flags that are planted
        outliers (NaN when nothing is flagged).
    recall : float
        ``n_caught / n_planted``: the share of the planted outliers flagged
        (NaN when none were planted).
    """

    n_flagged: int
    n_planted: int
    n_caught: int
    precision: float
    recall: float


def _check_mask(name, value, shape=None):
    mask = np.asarray(value)
    if mask.dtype != np.bool_ or mask.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of booleans; got dtype {mask.dtype} "
            f"and shape {mask.shape}"
        )
    if shape is not None and mask.shape != shape:
        raise ValueError(f"{name} must have shape {shape}; got {mask.shape}")
    return mask


def anomaly_scores(flags, planted):
    """Precision and recall of the flags against planted outliers.

    Parameters
    ----------
    flags : array-like of shape (n_samples,), bool
        The flagged points (:attr:`Anomalies.flags`).
    planted : array-like of shape (n_samples,), bool
        The planted outliers (e.g. ``GalleryData.outliers``).

    Returns
    -------
    AnomalyScore

    Examples
    --------
    >>> s = anomaly_scores([True, True, False, False], [True, False, True, False])
    >>> s.n_caught, s.precision, s.recall
    (1, 0.5, 0.5)
    """
    flags = _check_mask("flags", flags)
    planted = _check_mask("planted", planted, flags.shape)
    n_flag = int(flags.sum())
    n_planted = int(planted.sum())
    caught = int(np.count_nonzero(flags & planted))
    return AnomalyScore(
        n_flagged=n_flag,
        n_planted=n_planted,
        n_caught=caught,
        precision=caught / n_flag if n_flag else math.nan,
        recall=caught / n_planted if n_planted else math.nan,
    )


def contour_level(threshold):
    """A log-density threshold in density units, ``exp(threshold)``.

    The contour of the mixture's density at this level passes through the
    last flagged point and encloses every point not flagged: draw it on the
    density of the fitted space (in 2-D a contour line, in 1-D a horizontal
    line on the density chart).

    Parameters
    ----------
    threshold : float
        A log-density (:attr:`Anomalies.threshold`); ``-inf`` gives 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(contour_level(-3.0), 6)
    0.049787
    """
    if threshold == -math.inf:
        return 0.0
    threshold = check_float("threshold", threshold)
    return math.exp(threshold)


@dataclass(frozen=True, eq=False)
class MixtureDensity:
    """A mixture's density at a set of points.

    Attributes
    ----------
    components : ndarray of shape (n_points, K)
        ``weight_k * N(x | mean_k, cov_k)`` for each point and component.
    total : ndarray of shape (n_points,)
        The mixture's density, the sum of ``components`` along its rows.
    """

    components: np.ndarray
    total: np.ndarray


def mixture_density(points, weights, means, covariances, covariance_type):
    """Each component's weighted density and the mixture's at ``points``.

    Parameters
    ----------
    points : array-like of shape (n_points,) or (n_points, d)
        Where to evaluate; a 1-D array is read as points on a line
        (``d = 1``), such as a grid under a histogram.
    weights : array-like of shape (K,)
    means : array-like of shape (K, d)
    covariances : array-like
        In scikit-learn's shape for ``covariance_type``: full (K, d, d), tied
        (d, d), diag (K, d), spherical (K,).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    MixtureDensity

    Examples
    --------
    >>> d = mixture_density([0.0, 1.0], [0.5, 0.5], [[0.0], [1.0]], [1.0, 1.0],
    ...                     "spherical")
    >>> d.components.round(4).tolist(), d.total.round(4).tolist()
    ([[0.1995, 0.121], [0.121, 0.1995]], [0.3205, 0.3205])
    """
    covariance_type = check_covariance_type(covariance_type)
    means = np.asarray(means, dtype=np.float64)
    if means.ndim != 2 or means.shape[0] < 1 or means.shape[1] < 1:
        raise ValueError(f"means must have shape (K, d); got {means.shape}")
    k, d = means.shape
    weights = np.asarray(weights, dtype=np.float64)
    if weights.shape != (k,) or np.any(weights < 0):
        raise ValueError(
            f"weights must be {k} non-negative numbers, one per component; got "
            f"shape {weights.shape}"
        )
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim == 1 and d == 1:
        pts = pts[:, None]
    if pts.ndim != 2 or pts.shape[1] != d:
        raise ValueError(
            f"points must have shape (n_points, {d}) (or (n_points,) when d = 1); "
            f"got {pts.shape}"
        )
    if not np.all(np.isfinite(pts)) or not np.all(np.isfinite(means)):
        raise ValueError("points and means must contain only finite numbers")
    # to_full_covariances checks the shape of the type's covariances
    full = to_full_covariances(covariances, covariance_type, k, d)
    prec = compute_precision_cholesky(full, "full")
    # a zero weight gives a zero density (log 0 = -inf), without a warning
    components = np.exp(estimate_weighted_log_prob(pts, weights, means, prec, "full"))
    return MixtureDensity(components=components, total=components.sum(axis=1))
