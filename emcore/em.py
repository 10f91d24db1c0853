"""The EM algorithm one step at a time.

``e_step`` and ``m_step`` are the two halves of an iteration; ``em_steps`` runs
them in scikit-learn's order and yields an :class:`EMSnapshot` after every
iteration, which is what the simulator page draws as one animation frame.
:class:`emcore.GaussianMixture` fits by consuming the same generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import (
    check_choice,
    check_covariance_type,
    check_float,
    check_int,
    check_parameters,
    check_X,
)
from .densities import (
    SingularCovarianceError,
    compute_precision_cholesky,
    estimate_weighted_log_prob,
    logsumexp,
)
from .moments import MomentWorkspace

__all__ = [
    "EMSnapshot",
    "collapsed_components",
    "e_step",
    "em_steps",
    "feature_scale",
    "m_step",
    "precisions_or_regularize",
]


# --- numerical guards around the fast moment kernels -----------------------
#
# The kernels of :mod:`emcore.moments` expand squares around the data's mean.
# That is exact enough for ordinary fits, but loses everything when a
# component is much narrower than its distance to the data's centre: a
# component sitting on one point gets a covariance of rounding noise instead
# of 0 (+ reg_covar), and a huge precision turns the expanded quadratic form
# into noise of order eps * |P| * |x - centre|**2. The engine below measures
# both error bounds and, only when they matter, recomputes with differences
# first (scikit-learn's two-pass forms on centred data), which are exact for
# these cases. Ordinary fits never take the slow path.

#: Relative accuracy asked of a covariance's smallest eigenvalue before the
#: moment-based value is trusted.
_COV_RTOL = 1e-8
#: Largest tolerated error bound (absolute, in nats) of the expanded E-step.
_LOGPROB_ATOL = 1e-9
#: With ``on_singular="regularize"``, covariances whose smallest eigenvalue is
#: below this fraction of the data's variance (feature by feature) count as
#: collapsed: their precision would only amplify rounding noise.
_SINGULAR_RTOL = 1e-12
#: First extra ridge, relative to each feature's variance (it grows tenfold).
_RIDGE_RTOL = 1e-10
#: Absolute floor of that ridge, so precisions stay far from overflow even for
#: data at 1e-150 scale.
_RIDGE_FLOOR = 1e-270
_EPS = np.finfo(np.float64).eps


def feature_scale(X):
    """Per-feature variance of ``X``; zero variances borrow the largest one
    (or 1.0 when every feature is constant). Shape (n_features,)."""
    var = np.var(X, axis=0)
    # a constant column can leave rounding residue: below the column's own
    # resolution a variance counts as 0
    var[var <= (4 * _EPS * np.max(np.abs(X), axis=0)) ** 2] = 0.0
    positive = var[var > 0]
    fill = float(positive.max()) if positive.size else 1.0
    return np.where(var > 0, var, fill)


class _Engine:
    """A :class:`MomentWorkspace` plus the data needed to check its accuracy."""

    def __init__(self, X, covariance_type):
        self.X = X
        self.covariance_type = covariance_type
        self.work = MomentWorkspace(X, covariance_type)
        self.Xc = X - self.work.centre
        self.radius = float(np.sqrt(np.max(np.einsum("nd,nd->n", self.Xc, self.Xc))))
        self.scale = feature_scale(X)

    def _expansion_is_accurate(self, means, precisions_cholesky):
        """Whether the expanded quadratic forms are accurate to 1e-9 nats."""
        mu = means - self.work.centre
        dist = np.sqrt(np.einsum("kd,kd->k", mu, mu))
        trace_p = _precision_trace(precisions_cholesky, self.covariance_type, len(mu))
        bound = 8 * _EPS * trace_p * (self.radius + dist) ** 2
        return bool(np.all(bound <= _LOGPROB_ATOL))

    def weighted_log_prob(self, weights, means, precisions_cholesky):
        """``log pi_k + log N(x_i | mu_k, Sigma_k)``, shape (n_samples, K)."""
        if self._expansion_is_accurate(means, precisions_cholesky):
            return self.work.weighted_log_prob(weights, means, precisions_cholesky)
        # differences first, on centred data (translation leaves densities alone)
        return estimate_weighted_log_prob(
            self.Xc,
            weights,
            means - self.work.centre,
            precisions_cholesky,
            self.covariance_type,
        )

    def e_step(self, weights, means, precisions_cholesky):
        """Mean log-likelihood, responsibilities (n, K) and log-normalisers (n,)."""
        if self._expansion_is_accurate(means, precisions_cholesky):
            return self.work.e_step(weights, means, precisions_cholesky)
        weighted = self.weighted_log_prob(weights, means, precisions_cholesky)
        top = weighted.max(axis=1)
        top[~np.isfinite(top)] = 0.0
        resp = weighted - top[:, np.newaxis]
        with np.errstate(under="ignore"):
            np.exp(resp, out=resp)
        total = resp.sum(axis=1)
        empty = total <= 0  # every component at -inf: no information, share evenly
        if np.any(empty):
            resp[empty] = 1.0
            total[empty] = resp.shape[1]
        resp /= total[:, np.newaxis]
        with np.errstate(divide="ignore"):
            log_norm = np.log(total) + top
        log_norm[empty] = -np.inf
        return float(np.mean(log_norm)), resp, log_norm

    def estimate_parameters(self, resp, reg_covar):
        """Soft counts, means and covariances; collapsed components are
        recomputed from differences so their covariance is exact."""
        nk, means, covariances = self.work.estimate_parameters(resp, reg_covar)
        if self.covariance_type == "tied":
            # (nk * means.T) @ means is symmetric only up to rounding
            covariances = (covariances + covariances.T) / 2.0
        suspect = self._suspect_components(means, covariances, reg_covar)
        if suspect.size:
            covariances = self._direct_covariances(
                resp, nk, means, covariances, reg_covar, suspect
            )
        return nk, means, covariances

    def _suspect_components(self, means, covariances, reg_covar):
        cov_type = self.covariance_type
        mu = means - self.work.centre
        spread = np.einsum("kd,kd->k", mu, mu)
        d = means.shape[1]
        if cov_type in ("full", "tied"):
            mats = covariances if cov_type == "full" else covariances[np.newaxis]
            emp = mats - reg_covar * np.eye(d)
            smallest = np.linalg.eigvalsh(emp)[:, 0]
            width = np.trace(emp, axis1=1, axis2=2)
            if cov_type == "tied":
                spread = np.array([spread.max()])
        elif cov_type == "diag":
            emp = covariances - reg_covar
            smallest = emp.min(axis=1)
            width = emp.sum(axis=1)
        else:
            emp = covariances - reg_covar
            smallest = emp
            width = d * emp
        second = np.abs(width) + spread
        return np.flatnonzero(smallest <= _COV_RTOL * second)

    def _direct_covariances(self, resp, nk, means, covariances, reg_covar, which):
        covariances = covariances.copy()
        Xc = self.Xc
        mu = means - self.work.centre
        d = Xc.shape[1]
        if self.covariance_type == "tied":
            cov = np.zeros((d, d))
            for k in range(len(nk)):
                diff = Xc - mu[k]
                cov += (resp[:, k, np.newaxis] * diff).T @ diff
            cov = (cov + cov.T) / (2.0 * nk.sum())  # exactly symmetric
            cov.flat[:: d + 1] += reg_covar
            return cov
        for k in which:
            diff = Xc - mu[k]
            weighted = resp[:, k, np.newaxis] * diff
            if self.covariance_type == "full":
                cov = weighted.T @ diff
                cov = (cov + cov.T) / (2.0 * nk[k])  # exactly symmetric
                cov.flat[:: d + 1] += reg_covar
            else:
                cov = np.einsum("nd,nd->d", weighted, diff) / nk[k] + reg_covar
                if self.covariance_type == "spherical":
                    cov = cov.mean()
            covariances[k] = cov
        return covariances

    def m_step(self, resp, reg_covar, on_singular):
        nk, means, covariances = self.estimate_parameters(resp, reg_covar)
        covariances, precisions_cholesky, regularized = precisions_or_regularize(
            self.X,
            covariances,
            self.covariance_type,
            reg_covar,
            on_singular,
            scale=self.scale,
        )
        return nk / nk.sum(), means, covariances, precisions_cholesky, regularized


def _precision_trace(precisions_cholesky, covariance_type, n_components):
    """``trace(P_k)`` per component (an upper bound of its largest eigenvalue)."""
    sq = precisions_cholesky**2
    if covariance_type == "full":
        return sq.sum(axis=(1, 2))
    if covariance_type == "tied":
        return np.full(n_components, sq.sum())
    if covariance_type == "diag":
        return sq.sum(axis=1)
    return sq * 1.0


def _check_on_singular(on_singular):
    return check_choice("on_singular", on_singular, ("raise", "regularize"))


def _check_responsibilities(resp, n_samples):
    try:
        resp = np.asarray(resp, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            "resp must be a numeric array of shape (n_samples, n_components); "
            f"got {type(resp).__name__}"
        ) from None
    if resp.ndim != 2 or resp.shape[0] != n_samples or resp.shape[1] < 1:
        raise ValueError(
            f"resp must have shape ({n_samples}, n_components) with n_components "
            f">= 1 (one row per sample of X); got shape {resp.shape}"
        )
    if not np.all(np.isfinite(resp)):
        bad = int(np.count_nonzero(~np.isfinite(resp)))
        raise ValueError(
            f"resp must contain only finite numbers; found {bad} NaN or "
            "infinite value(s)"
        )
    if np.any(resp < 0):
        raise ValueError(
            f"resp must be non-negative (responsibilities); got minimum "
            f"{resp.min():.6g}"
        )
    return resp


def e_step(X, weights, means, precisions_cholesky, covariance_type):
    """Expectation step: log-responsibilities under the current parameters.

    The arguments are validated first (cheap checks only), like
    :func:`em_steps`; invalid ones raise ``ValueError`` naming them.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    precisions_cholesky : ndarray
        Shape depends on ``covariance_type`` (see :mod:`emcore.densities`).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    mean_log_likelihood : float
        ``mean_i log sum_k pi_k N(x_i | mu_k, Sigma_k)``: the per-sample average
        log-likelihood of the current parameters (scikit-learn's lower bound).
    log_resp : ndarray of shape (n_samples, n_components)
        ``log gamma_ik``; ``exp(log_resp)`` rows sum to 1.
    """
    covariance_type = check_covariance_type(covariance_type)
    X = check_X(X)
    weights, means, precisions_cholesky = check_parameters(
        weights, means, precisions_cholesky, covariance_type, X.shape[1]
    )
    engine = _Engine(X, covariance_type)
    weighted = engine.weighted_log_prob(weights, means, precisions_cholesky)
    log_norm = logsumexp(weighted, axis=1)
    finite = np.isfinite(log_norm)
    with np.errstate(under="ignore", invalid="ignore"):
        weighted -= np.where(finite, log_norm, 0.0)[:, np.newaxis]
    if not np.all(finite):  # every component at -inf: share evenly
        weighted[~finite] = -np.log(weighted.shape[1])
    return float(np.mean(log_norm)), weighted


def m_step(X, resp, covariance_type, reg_covar, *, on_singular="raise"):
    """Maximisation step: maximum-likelihood parameters given responsibilities.

    The arguments are validated first (cheap checks only), like
    :func:`em_steps`; invalid ones raise ``ValueError`` naming them.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    resp : ndarray of shape (n_samples, n_components)
        Non-negative responsibilities (rows need not sum to 1).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    reg_covar : float
        Non-negative value added to the diagonal of every covariance.
    on_singular : {'raise', 'regularize'}
        What to do when a covariance is not positive definite: raise
        :class:`~emcore.densities.SingularCovarianceError` (a ``ValueError``,
        as scikit-learn does) or add the smallest extra ridge, growing by
        factors of 10, that makes it positive definite and report it.

    Returns
    -------
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
    precisions_cholesky : ndarray
    regularized : tuple of int
        Components whose covariance needed more than ``reg_covar``.
    """
    covariance_type = check_covariance_type(covariance_type)
    X = check_X(X)
    resp = _check_responsibilities(resp, X.shape[0])
    reg_covar = check_float("reg_covar", reg_covar, 0.0)
    on_singular = _check_on_singular(on_singular)
    return _Engine(X, covariance_type).m_step(resp, reg_covar, on_singular)


def precisions_or_regularize(
    X, covariances, covariance_type, reg_covar, on_singular, *, scale=None
):
    """Precision Cholesky factors of ``covariances``, regularising if allowed.

    A covariance fails when it is not positive definite or so small that its
    precision would overflow; ``on_singular="raise"`` then raises
    :class:`~emcore.densities.SingularCovarianceError` (a ``ValueError``).
    With ``on_singular="regularize"`` a component is also fixed when its
    smallest eigenvalue is below ``1e-12`` of the data's variance (feature by
    feature), where its precision would only amplify rounding noise. The fix
    adds a ridge of ``1e-10`` of each feature's variance (at least
    ``reg_covar``), growing tenfold until the factor exists.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    covariances : ndarray
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    reg_covar : float
    on_singular : {'raise', 'regularize'}
    scale : ndarray of shape (n_features,), optional
        :func:`feature_scale` of ``X``, when already known.

    Returns
    -------
    covariances : ndarray
        The input, or a copy with an extra ridge on the failing components.
    precisions_cholesky : ndarray
    regularized : tuple of int
        The components that needed the extra ridge.
    """
    if on_singular != "regularize":
        return covariances, _factor(covariances, covariance_type), ()
    if scale is None:
        scale = feature_scale(X)
    try:
        return covariances, _factor(covariances, covariance_type, scale), ()
    except SingularCovarianceError as err:
        bad = tuple(err.components)
    # A ridge relative to each feature's own scale keeps the fix meaningful
    # whether coordinates are 1e-8 or 1e8; it grows tenfold until every factor
    # exists and no eigenvalue is negligible any more.
    ridge = np.maximum(np.maximum(reg_covar, _RIDGE_RTOL * scale), _RIDGE_FLOOR)
    covariances = covariances.copy()
    d = X.shape[1]
    components = bad
    for _ in range(400):
        for k in components:
            if covariance_type == "full":
                covariances[k].flat[:: d + 1] += ridge
            elif covariance_type == "tied":
                covariances.flat[:: d + 1] += ridge
            elif covariance_type == "diag":
                covariances[k] = np.maximum(covariances[k], 0.0) + ridge
            else:
                covariances[k] = max(covariances[k], 0.0) + ridge.mean()
        try:
            prec = _factor(covariances, covariance_type, scale)
            return covariances, prec, tuple(sorted(bad))
        except SingularCovarianceError as err:
            components = tuple(err.components)
            bad = tuple(set(bad) | set(components))
        ridge = ridge * 10.0
    raise SingularCovarianceError(components)


#: Precision Cholesky entries above this would overflow once squared.
_PRECISION_LIMIT = 1e150


def _factor(covariances, covariance_type, scale=None):
    """Precision Cholesky factors, raising :class:`SingularCovarianceError` for
    components whose factor fails, is too large to square, or (when ``scale``
    is given) whose covariance is negligible next to the data's variance."""
    prec = compute_precision_cholesky(covariances, covariance_type)
    per_component = np.abs(prec).reshape(
        1 if covariance_type == "tied" else len(prec), -1
    )
    with np.errstate(invalid="ignore"):
        huge = ~(per_component.max(axis=1) < _PRECISION_LIMIT)
    bad = set(np.flatnonzero(huge).tolist())
    if scale is not None:
        bad |= set(_collapsed(covariances, covariance_type, scale, 0.0, _SINGULAR_RTOL))
    if bad:
        raise SingularCovarianceError(bad)
    return prec


def _collapsed(covariances, covariance_type, scale, reg_covar, rtol):
    """Components whose covariance, less ``reg_covar``, has an eigenvalue below
    ``rtol`` of the data's variance (after scaling each feature by it)."""
    with np.errstate(over="ignore"):
        # a quotient that overflows is far above rtol: not collapsed
        return _smallest_relative(covariances, covariance_type, scale, reg_covar, rtol)


def _smallest_relative(covariances, covariance_type, scale, reg_covar, rtol):
    root = np.sqrt(scale)
    if covariance_type in ("full", "tied"):
        d = len(scale)
        mats = covariances if covariance_type == "full" else covariances[np.newaxis]
        raw = mats - reg_covar * np.eye(d)
        emp = raw / np.outer(root, root)
        finite = np.all(np.isfinite(emp), axis=(1, 2))
        smallest = np.empty(len(mats))
        if finite.any():
            smallest[finite] = np.linalg.eigvalsh(emp[finite])[:, 0]
        if not finite.all():  # scaling overflowed: judge against the widest feature
            smallest[~finite] = np.linalg.eigvalsh(raw[~finite])[:, 0] / scale.max()
    elif covariance_type == "diag":
        smallest = ((covariances - reg_covar) / scale).min(axis=1)
    else:
        smallest = (covariances - reg_covar) / scale.mean()
    return tuple(int(k) for k in np.flatnonzero(~(smallest >= rtol)))


def collapsed_components(X, covariances, covariance_type, reg_covar):
    """Components whose own spread is negligible next to the data's.

    A component has collapsed when its covariance without ``reg_covar`` has an
    eigenvalue below ``1e-8`` of the data's variance (feature by feature): it
    sits on a single point or a line, and only the regularisation keeps its
    covariance invertible.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    covariances : ndarray
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    reg_covar : float

    Returns
    -------
    tuple of int
    """
    return _collapsed(
        covariances, covariance_type, feature_scale(X), reg_covar, _COV_RTOL
    )


@dataclass(frozen=True)
class EMSnapshot:
    """The state of EM after one iteration (one E-step and one M-step).

    Attributes
    ----------
    iteration : int
        1-based iteration number.
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
        Shape depends on the covariance type.
    precisions_cholesky : ndarray
    log_likelihood : float
        Per-sample mean log-likelihood computed by this iteration's E-step,
        i.e. of the parameters *before* this M-step (scikit-learn's
        ``lower_bound_`` for this iteration).
    change : float
        ``log_likelihood`` minus the previous iteration's (inf on iteration 1).
    converged : bool
        ``abs(change) < tol``.
    resp : ndarray of shape (n_samples, n_components) or None
        The E-step's responsibilities, when requested.
    regularized : tuple of int
        Components whose covariance needed an extra ridge in this M-step.
    """

    iteration: int
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray
    log_likelihood: float
    change: float
    converged: bool
    resp: np.ndarray | None = None
    regularized: tuple = ()


def em_steps(
    X,
    weights,
    means,
    precisions_cholesky,
    covariance_type="full",
    *,
    tol=1e-3,
    reg_covar=1e-6,
    max_iter=100,
    return_resp=False,
    on_singular="raise",
):
    """Run EM from the given parameters, yielding a snapshot per iteration.

    Iteration ``t`` computes responsibilities and the mean log-likelihood of
    the current parameters (E-step), then new parameters (M-step). EM stops
    after the first iteration whose log-likelihood changed by less than
    ``tol`` in absolute value (never on iteration 1), or after ``max_iter``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    weights : array-like of shape (n_components,)
    means : array-like of shape (n_components, n_features)
    precisions_cholesky : array-like
        Shape depends on ``covariance_type`` (see :mod:`emcore.densities`).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    tol : float, default=1e-3
    reg_covar : float, default=1e-6
    max_iter : int, default=100
    return_resp : bool, default=False
        Attach each E-step's responsibilities to its snapshot.
    on_singular : {'raise', 'regularize'}
        See :func:`m_step`.

    Yields
    ------
    EMSnapshot

    Examples
    --------
    >>> import numpy as np
    >>> from emcore import em_steps
    >>> X = np.array([[0.0, 0.1], [0.2, 0.0], [5.0, 5.1], [5.2, 4.9]])
    >>> prec_chol = np.stack([np.eye(2), np.eye(2)])
    >>> frames = list(em_steps(X, [0.5, 0.5], [[0, 0], [5, 5]], prec_chol, tol=1e-6))
    >>> frames[-1].converged, frames[-1].means.round(2).tolist()
    (True, [[0.1, 0.05], [5.1, 5.0]])
    """
    covariance_type = check_covariance_type(covariance_type)
    X = check_X(X)
    tol = check_float("tol", tol, 0.0)
    reg_covar = check_float("reg_covar", reg_covar, 0.0)
    max_iter = check_int("max_iter", max_iter, 1)
    on_singular = _check_on_singular(on_singular)
    weights, means, precisions_cholesky = check_parameters(
        weights, means, precisions_cholesky, covariance_type, X.shape[1]
    )
    if X.shape[0] < len(means):
        raise ValueError(
            f"X must have at least n_components = {len(means)} samples; got "
            f"n_samples = {X.shape[0]}"
        )

    engine = _Engine(X, covariance_type)
    lower_bound = -np.inf
    for iteration in range(1, max_iter + 1):
        previous = lower_bound
        lower_bound, resp, _ = engine.e_step(weights, means, precisions_cholesky)
        weights, means, covariances, precisions_cholesky, fixed = engine.m_step(
            resp, reg_covar, on_singular
        )
        change = lower_bound - previous
        converged = bool(abs(change) < tol)
        yield EMSnapshot(
            iteration=iteration,
            weights=weights,
            means=means,
            covariances=covariances,
            precisions_cholesky=precisions_cholesky,
            log_likelihood=lower_bound,
            change=change,
            converged=converged,
            resp=resp if return_resp else None,
            regularized=fixed,
        )
        if converged:
            return
