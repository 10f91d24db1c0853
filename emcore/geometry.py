"""Ellipses that picture Gaussian components, for any covariance type.

A component with covariance ``Sigma`` is drawn as the ellipse of points at
Mahalanobis distance ``n_std`` from its mean. With the eigen-decomposition
``Sigma = V diag(lam) V'`` (``lam[0] >= lam[1]``), the semi-axes are
``n_std * sqrt(lam)`` and the rotation is the angle of the first eigenvector.
In two dimensions the decomposition has a closed form, used here because it is
exact and deterministic: for ``Sigma = [[a, b], [b, c]]``,

    lam = (a + c) / 2 +- sqrt(((a - c) / 2) ** 2 + b ** 2),
    angle = atan2(2 b, a - c) / 2,

which puts the angle in ``(-pi/2, pi/2]`` and gives 0 for a circle.

With more than two features the ellipse is that of the marginal distribution
of the first two features: the mean's first two entries and the top-left 2x2
block of the covariance (for diag and spherical, the first two variances).

Covariance shapes follow scikit-learn: for ``K`` components and ``d``
features, ``"full"`` is (K, d, d), ``"tied"`` (d, d) shared by all components,
``"diag"`` (K, d) and ``"spherical"`` (K,).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import COVARIANCE_TYPES, check_covariance_type, check_float, check_int

__all__ = [
    "COVARIANCE_TYPES",
    "Ellipse",
    "component_ellipse",
    "mixture_ellipses",
    "plane_ellipses",
    "to_full_covariances",
]


@dataclass(frozen=True, eq=False)
class Ellipse:
    """An ellipse in the plane.

    Parameters
    ----------
    center : ndarray of shape (2,)
        Centre ``(x, y)``.
    semi_axes : ndarray of shape (2,)
        Semi-major then semi-minor axis length, ``semi_axes[0] >= semi_axes[1]
        >= 0``.
    angle : float
        Angle of the major axis from the +x axis, in radians, in
        ``(-pi/2, pi/2]`` (counter-clockwise in a y-up frame).
    """

    center: np.ndarray
    semi_axes: np.ndarray
    angle: float

    def __post_init__(self):
        for name in ("center", "semi_axes"):
            value = np.array(getattr(self, name), dtype=np.float64, copy=True)
            if value.shape != (2,):
                raise ValueError(f"{name} must have shape (2,); got {value.shape}")
            value.flags.writeable = False
            object.__setattr__(self, name, value)
        object.__setattr__(self, "angle", float(self.angle))

    @property
    def angle_degrees(self) -> float:
        """The angle in degrees, in ``(-90, 90]``."""
        return math.degrees(self.angle)

    def to_dict(self) -> dict:
        """Plain floats for JSON: ``cx, cy, rx, ry, angle`` (angle in radians)."""
        return {
            "cx": float(self.center[0]),
            "cy": float(self.center[1]),
            "rx": float(self.semi_axes[0]),
            "ry": float(self.semi_axes[1]),
            "angle": self.angle,
        }


def _as_finite(name, value):
    array = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values")
    return array


def _ellipse_from_block(center, a, b, c, n_std):
    """Ellipse of the 2x2 covariance [[a, b], [b, c]] around ``center``."""
    half_trace = 0.5 * (a + c)
    radius = math.hypot(0.5 * (a - c), b)
    scale = max(abs(a), abs(c), abs(b), np.finfo(float).tiny)
    lam_small = half_trace - radius
    if lam_small < -1e-10 * scale:
        raise ValueError(
            "covariance must be positive semi-definite; got the 2x2 block "
            f"[[{a!r}, {b!r}], [{b!r}, {c!r}]]"
        )
    lam_big = max(half_trace + radius, 0.0)
    lam_small = max(lam_small, 0.0)
    # Adding 0.0 turns -0.0 into +0.0, so atan2 never returns -pi and the
    # angle stays in (-pi/2, pi/2].
    angle = 0.5 * math.atan2(2.0 * b + 0.0, a - c)
    axes = n_std * np.sqrt(np.array([lam_big, lam_small]))
    return Ellipse(center=center, semi_axes=axes, angle=angle)


def component_ellipse(mean, covariance, covariance_type, n_std=1.0):
    """Ellipse of one Gaussian component at ``n_std`` standard deviations.

    Parameters
    ----------
    mean : array-like of shape (d,)
        Component mean, ``d >= 2``.
    covariance : array-like
        The component's covariance in its type's form: (d, d) for ``"full"``
        and ``"tied"``, (d,) for ``"diag"``, a scalar for ``"spherical"``.
    covariance_type : {"full", "tied", "diag", "spherical"}
    n_std : float, default 1.0
        Number of standard deviations; the semi-axes scale linearly with it.

    Returns
    -------
    Ellipse
        For ``d > 2``, the ellipse of the first two features' marginal.
    """
    covariance_type = check_covariance_type(covariance_type)
    n_std = check_float("n_std", n_std, 0, low_open=True)
    mean = _as_finite("mean", mean)
    if mean.ndim != 1 or mean.shape[0] < 2:
        raise ValueError(
            f"mean must have shape (d,) with d >= 2 features; got {mean.shape}"
        )
    d = mean.shape[0]
    cov = _as_finite("covariance", covariance)
    if covariance_type in ("full", "tied"):
        if cov.shape != (d, d):
            raise ValueError(
                f"a {covariance_type!r} covariance must have shape ({d}, {d}); "
                f"got {cov.shape}"
            )
        a, c = float(cov[0, 0]), float(cov[1, 1])
        b = 0.5 * (float(cov[0, 1]) + float(cov[1, 0]))
    elif covariance_type == "diag":
        if cov.shape != (d,):
            raise ValueError(
                f"a 'diag' covariance must have shape ({d},); got {cov.shape}"
            )
        a, b, c = float(cov[0]), 0.0, float(cov[1])
    else:
        if cov.shape != ():
            raise ValueError(
                f"a 'spherical' covariance must be a scalar; got shape {cov.shape}"
            )
        a, b, c = float(cov), 0.0, float(cov)
    return _ellipse_from_block(mean[:2], a, b, c, n_std)


def to_full_covariances(covariances, covariance_type, n_components, n_features):
    """Expand fitted covariances of any type to full matrices.

    Parameters
    ----------
    covariances : array-like
        (K, d, d) for ``"full"``, (d, d) for ``"tied"``, (K, d) for ``"diag"``,
        (K,) for ``"spherical"``.
    covariance_type : {"full", "tied", "diag", "spherical"}
    n_components, n_features : int
        ``K`` and ``d``.

    Returns
    -------
    ndarray of shape (K, d, d), float64
        A new array; the tied matrix is repeated for every component.
    """
    covariance_type = check_covariance_type(covariance_type)
    k = check_int("n_components", n_components, 1)
    d = check_int("n_features", n_features, 1)
    cov = _as_finite("covariances", covariances)
    expected = {
        "full": (k, d, d),
        "tied": (d, d),
        "diag": (k, d),
        "spherical": (k,),
    }[covariance_type]
    if cov.shape != expected:
        raise ValueError(
            f"{covariance_type!r} covariances must have shape {expected}; "
            f"got {cov.shape}"
        )
    if covariance_type == "full":
        return cov.copy()
    if covariance_type == "tied":
        return np.repeat(cov[None, :, :], k, axis=0)
    if covariance_type == "diag":
        full = np.zeros((k, d, d))
        full[:, np.arange(d), np.arange(d)] = cov
        return full
    return cov[:, None, None] * np.eye(d)[None, :, :]


def mixture_ellipses(means, covariances, covariance_type, n_std=1.0):
    """Ellipses of every component of a fitted mixture.

    Parameters
    ----------
    means : array-like of shape (K, d)
        Component means, ``d >= 2``.
    covariances : array-like
        The fitted covariances in scikit-learn's shape for the type: full
        (K, d, d), tied (d, d), diag (K, d), spherical (K,).
    covariance_type : {"full", "tied", "diag", "spherical"}
    n_std : float, default 1.0

    Returns
    -------
    list of Ellipse
        One per component, in component order (first two features' marginal
        when ``d > 2``).
    """
    covariance_type = check_covariance_type(covariance_type)
    n_std = check_float("n_std", n_std, 0, low_open=True)
    means = _as_finite("means", means)
    if means.ndim != 2 or means.shape[0] < 1 or means.shape[1] < 2:
        raise ValueError(
            f"means must have shape (K, d) with K >= 1 and d >= 2; got {means.shape}"
        )
    k, d = means.shape
    full = to_full_covariances(covariances, covariance_type, k, d)
    return [component_ellipse(means[i], full[i], "full", n_std) for i in range(k)]


def plane_ellipses(means, covariances, covariance_type):
    """The 1σ ellipses a fit of any number of columns draws in the plane.

    Parameters
    ----------
    means : array-like of shape (K, d)
    covariances : array-like
        In scikit-learn's shape for ``covariance_type``.
    covariance_type : {"full", "tied", "diag", "spherical"}

    Returns
    -------
    tuple of Ellipse
        Those of :func:`mixture_ellipses` for ``d >= 2``; empty for one
        column, whose components are drawn as curves, not ellipses.
    """
    if np.ndim(means) == 2 and np.shape(means)[1] == 1:
        return ()
    return tuple(mixture_ellipses(means, covariances, covariance_type))
