"""Gaussian densities and the numerics behind them.

Everything is written for all four covariance types of scikit-learn and follows
its numerics: precisions are kept as Cholesky factors, log-determinants come
from the diagonal of those factors, and densities are evaluated in log space
as scikit-learn does (the EM loop itself uses the equivalent, faster kernels
of :mod:`emcore.kernels.moments`).

Shapes of the covariance-like arrays, by ``covariance_type``:

=============  ========================  =====================
type           covariances               precisions_cholesky
=============  ========================  =====================
``full``       (n_components, d, d)      (n_components, d, d)
``tied``       (d, d)                    (d, d)
``diag``       (n_components, d)         (n_components, d)
``spherical``  (n_components,)           (n_components,)
=============  ========================  =====================

Each operation has one dispatch table keyed by covariance type; the type is
validated once, at the public entry points (``GaussianMixture``, ``em_steps``).
"""

from __future__ import annotations

import math

import numpy as np

from .kernels.linalg import precision_cholesky_2x2, singular_2x2, smallest_eigenvalues

EPS = np.finfo(np.float64).eps

#: A covariance whose correlation matrix (the covariance scaled to a unit
#: diagonal) has an eigenvalue below this is singular to working precision:
#: the covariance of points on a line or a plane comes out with one of about
#: ``sqrt(n_samples) * eps`` (well below 1e-13 up to millions of samples),
#: not exactly 0, and its Cholesky factor may even exist.
SINGULAR_RTOL = 1e-12

SINGULAR_MESSAGE = (
    "Fitting the mixture model failed because some components have ill-defined "
    "empirical covariance (for instance caused by singleton or collapsed "
    "samples). Try to decrease the number of components, increase reg_covar, "
    "or scale the input data."
)


class SingularCovarianceError(ValueError):
    """A covariance is singular (:func:`singular_components`); ``components``
    lists which."""

    def __init__(self, components):
        self.components = sorted(int(k) for k in components)
        names = ", ".join(str(k) for k in self.components)
        super().__init__(f"{SINGULAR_MESSAGE} (component(s) {names})")


def logsumexp(a, axis=None):
    """Stable ``log(sum(exp(a), axis))``; rows of -inf give -inf.

    Parameters
    ----------
    a : ndarray
    axis : int or None

    Returns
    -------
    ndarray or float
        ``a`` reduced along ``axis``.
    """
    a = np.asarray(a, dtype=np.float64)
    return _logsumexp_from_max(a, np.max(a, axis=axis, keepdims=True), axis)


def _logsumexp_from_max(a, a_max, axis):
    """:func:`logsumexp` of a float64 ``a`` whose maxima along ``axis``
    (``keepdims=True``) the caller has already computed."""
    a_max = np.where(np.isfinite(a_max), a_max, 0.0)
    with np.errstate(divide="ignore", under="ignore"):
        out = np.log(np.sum(np.exp(a - a_max), axis=axis, keepdims=True))
    out += a_max
    return out.item() if axis is None else np.squeeze(out, axis=axis)


# --- precisions -------------------------------------------------------------


def _inverse_lower(chol):
    """Inverse of a batch of lower-triangular matrices by forward substitution."""
    d = chol.shape[-1]
    inv = np.zeros_like(chol)
    for i in range(d):
        # row i of L⁻¹ from L[i, :i] · L⁻¹[:i] + L[i, i] · L⁻¹[i] = e_i
        acc = -np.einsum("...j,...jk->...k", chol[..., i, :i], inv[..., :i, :])
        acc[..., i] += 1.0
        inv[..., i, :] = acc / chol[..., i, i, np.newaxis]
    return inv


def _cholesky_or_raise(covariances):
    """Lower Cholesky factors of (..., d, d) matrices; names failing components."""
    try:
        return np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        pass
    stack = covariances.reshape((-1,) + covariances.shape[-2:])
    bad = []
    for k, cov in enumerate(stack):
        try:
            np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            bad.append(k)
    raise SingularCovarianceError(bad)


def _precision_chol_full(covariances):
    if covariances.shape[-1] == 2:
        prec_chol, failed = precision_cholesky_2x2(covariances)
        if failed:
            raise SingularCovarianceError(failed)
        return prec_chol
    cov_chol = _cholesky_or_raise(covariances)
    return _inverse_lower(cov_chol).transpose(0, 2, 1)


def _precision_chol_tied(covariance):
    if covariance.shape[-1] == 2:
        prec_chol, failed = precision_cholesky_2x2(covariance[np.newaxis])
        if failed:
            raise SingularCovarianceError([0])
        return prec_chol[0]
    cov_chol = _cholesky_or_raise(covariance)
    return _inverse_lower(cov_chol).T


def _precision_chol_scalar(covariances):
    # rows are components: (K, d) for diag, (K,) -> (K, 1) for spherical
    bad = np.flatnonzero(np.any(covariances.reshape(len(covariances), -1) <= 0, 1))
    if bad.size:
        raise SingularCovarianceError(bad)
    return 1.0 / np.sqrt(covariances)


_PRECISION_CHOLESKY = {
    "full": _precision_chol_full,
    "tied": _precision_chol_tied,
    "diag": _precision_chol_scalar,
    "spherical": _precision_chol_scalar,
}


def singular_components(covariances, covariance_type):
    """Components whose covariance is singular to working precision.

    A full or tied covariance is singular when it is not positive definite
    (NaN included) or when its correlation matrix (the covariance scaled to
    a unit diagonal) has an eigenvalue below :data:`SINGULAR_RTOL`: the
    covariance of points on a line or a plane comes out off by rounding, and
    its Cholesky factor may then exist, with an enormous precision. A diag
    or spherical covariance is singular when a variance is not positive.
    The rule reads only the covariance's own numbers, so it does not depend
    on units, and it is the same for d = 2 (closed forms on Python floats)
    and larger d.

    Parameters
    ----------
    covariances : ndarray
        Shape depends on ``covariance_type`` (see the module docstring).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    list of int
        The singular components (``[0]`` for a singular tied covariance).
    """
    if covariance_type in ("diag", "spherical"):
        rows = covariances.reshape(len(covariances), -1)
        return np.flatnonzero(~np.all(rows > 0, axis=1)).tolist()  # and NaN
    mats = covariances if covariance_type == "full" else covariances[np.newaxis]
    if mats.shape[-1] == 2:
        return singular_2x2(mats, SINGULAR_RTOL)
    diag = np.diagonal(mats, axis1=1, axis2=2)
    if not diag.min() > 0:  # rare: leave out the non-positive (and NaN) ones
        bad = ~np.all(diag > 0, axis=1)
        rest = np.flatnonzero(~bad)
        kept = singular_components(mats[rest], "full") if rest.size else []
        return sorted(np.flatnonzero(bad).tolist() + rest[kept].tolist())
    # an infinite or NaN entry makes the correlation matrix, and so its
    # smallest eigenvalue, NaN: singular as well
    scale = 1.0 / np.sqrt(diag)
    corr = mats * scale[:, :, np.newaxis] * scale[:, np.newaxis, :]
    return np.flatnonzero(~(smallest_eigenvalues(corr) > SINGULAR_RTOL)).tolist()


def compute_precision_cholesky(covariances, covariance_type):
    """Cholesky factors of the precision matrices, from covariances.

    For full and tied types the factor ``U`` is upper triangular with
    ``precision = U @ U.T`` (scikit-learn's convention); for diag and spherical
    it is ``1 / sqrt(covariance)``. Covariances that are singular to working
    precision (:func:`singular_components`) are refused before any factor
    is formed.

    Parameters
    ----------
    covariances : ndarray
        Shape depends on ``covariance_type`` (see the module docstring).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Raises
    ------
    SingularCovarianceError
        A subclass of ``ValueError`` naming the components whose covariance is
        singular.
    """
    bad = singular_components(covariances, covariance_type)
    if bad:
        raise SingularCovarianceError(bad)
    return _PRECISION_CHOLESKY[covariance_type](covariances)


def _flip(a):
    return a[..., ::-1, ::-1]


def precision_cholesky_from_precisions(precisions, covariance_type):
    """Cholesky factors ``U`` (``precision = U @ U.T``) from precision matrices."""
    precisions = np.asarray(precisions, dtype=np.float64)
    if covariance_type in ("full", "tied"):
        # the upper factor of P is the flipped lower factor of the flipped P
        return _flip(_cholesky_or_raise(_flip(precisions)))
    return np.sqrt(precisions)


def precisions_from_cholesky(precisions_cholesky, covariance_type):
    """Precision matrices ``U @ U.T`` (or squares, for diag and spherical)."""
    if covariance_type in ("full", "tied"):
        return precisions_cholesky @ np.swapaxes(precisions_cholesky, -1, -2)
    return precisions_cholesky**2


def covariances_from_precision_cholesky(precisions_cholesky, covariance_type):
    """Covariances that correspond to the given precision Cholesky factors."""
    if covariance_type in ("full", "tied"):
        return np.linalg.inv(
            precisions_from_cholesky(precisions_cholesky, covariance_type)
        )
    return 1.0 / precisions_cholesky**2


# --- log densities ----------------------------------------------------------


def _log_det_full(prec_chol, n_features):
    return np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)


def _log_det_tied(prec_chol, n_features):
    return np.log(np.diagonal(prec_chol)).sum()


def _log_det_diag(prec_chol, n_features):
    return np.log(prec_chol).sum(axis=1)


def _log_det_spherical(prec_chol, n_features):
    return n_features * np.log(prec_chol)


_LOG_DET = {
    "full": _log_det_full,
    "tied": _log_det_tied,
    "diag": _log_det_diag,
    "spherical": _log_det_spherical,
}


def log_det_cholesky(precisions_cholesky, covariance_type, n_features):
    """Log-determinant of each precision Cholesky factor, shape (n_components,)
    (a scalar for ``tied``); equals ``-0.5 * log det(covariance)``."""
    return _LOG_DET[covariance_type](precisions_cholesky, n_features)


# The squared distances are computed in a (K, d, n_samples) layout, so every
# elementwise pass runs along rows of n values (an (n, K, d) layout makes numpy
# loop over rows of d = 2 values: 3-7x slower in Pyodide's wasm numpy), and
# returned as a C-contiguous (n_samples, K) array, as before. Every entry is
# the same sum of the same products.


def _mahalanobis_full(X, means, prec_chol):
    # y[k] = (X - mu_k) U_k, written as X U_k - mu_k U_k like scikit-learn
    y = np.matmul(np.swapaxes(prec_chol, 1, 2), _by_feature(X))
    y -= np.einsum("kd,kde->ke", means, prec_chol)[:, :, np.newaxis]
    return _squares_nk(y)


def _mahalanobis_tied(X, means, prec_chol):
    y = (prec_chol.T @ _by_feature(X))[np.newaxis]
    y = y - (means @ prec_chol)[:, :, np.newaxis]
    return _squares_nk(y)


def _mahalanobis_diag(X, means, prec_chol):
    # differences first: scikit-learn's expanded form (x² - 2xμ + μ²) loses
    # digits when the data sit far from the origin
    y = _by_feature(X)[np.newaxis] - means[:, :, np.newaxis]
    y *= prec_chol[:, :, np.newaxis]
    return _squares_nk(y)


def _mahalanobis_spherical(X, means, prec_chol):
    return _mahalanobis_diag(X, means, np.repeat(prec_chol[:, None], X.shape[1], 1))


def _by_feature(X):
    """``X.T`` as a C-contiguous (d, n_samples) array."""
    return np.ascontiguousarray(X.T)


def _squares_nk(y):
    """``sum_j y[k, j, i]**2`` of a (K, d, n) array, as a C-contiguous (n, K)."""
    return np.ascontiguousarray(np.einsum("kjn,kjn->kn", y, y).T)


_MAHALANOBIS = {
    "full": _mahalanobis_full,
    "tied": _mahalanobis_tied,
    "diag": _mahalanobis_diag,
    "spherical": _mahalanobis_spherical,
}


def estimate_log_gaussian_prob(X, means, precisions_cholesky, covariance_type):
    """Log density of every sample under every component.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    means : ndarray of shape (n_components, n_features)
    precisions_cholesky : ndarray
        Shape depends on ``covariance_type`` (see the module docstring).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    log_prob : ndarray of shape (n_samples, n_components)
        ``log N(x_i | mu_k, Sigma_k)``.
    """
    n_features = X.shape[1]
    log_det = log_det_cholesky(precisions_cholesky, covariance_type, n_features)
    maha = _MAHALANOBIS[covariance_type](X, means, precisions_cholesky)
    return -0.5 * (n_features * math.log(2 * math.pi) + maha) + log_det


def estimate_weighted_log_prob(X, weights, means, precisions_cholesky, covariance_type):
    """``log pi_k + log N(x_i | mu_k, Sigma_k)``, shape (n_samples, n_components).

    A weight of exactly 0 gives ``-inf`` for that component, not a warning.
    """
    with np.errstate(divide="ignore"):
        log_weights = np.log(weights)
    return (
        estimate_log_gaussian_prob(X, means, precisions_cholesky, covariance_type)
        + log_weights
    )
