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
    check_covariance_type,
    check_float,
    check_int,
    check_parameters,
    check_X,
)
from .densities import (
    SingularCovarianceError,
    compute_precision_cholesky,
    logsumexp,
)
from .moments import MomentWorkspace

__all__ = ["EMSnapshot", "e_step", "em_steps", "m_step", "precisions_or_regularize"]


def e_step(X, weights, means, precisions_cholesky, covariance_type):
    """Expectation step: log-responsibilities under the current parameters.

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
    work = MomentWorkspace(X, covariance_type)
    weighted = work.weighted_log_prob(weights, means, precisions_cholesky)
    log_norm = logsumexp(weighted, axis=1)
    with np.errstate(under="ignore", invalid="ignore"):
        weighted -= log_norm[:, np.newaxis]
    return float(np.mean(log_norm)), weighted


def m_step(X, resp, covariance_type, reg_covar, *, on_singular="raise"):
    """Maximisation step: maximum-likelihood parameters given responsibilities.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    resp : ndarray of shape (n_samples, n_components)
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
    return _m_step(MomentWorkspace(X, covariance_type), X, resp, reg_covar, on_singular)


def _m_step(work, X, resp, reg_covar, on_singular):
    nk, means, covariances = work.estimate_parameters(resp, reg_covar)
    covariances, precisions_cholesky, regularized = precisions_or_regularize(
        X, covariances, work.covariance_type, reg_covar, on_singular
    )
    return nk / nk.sum(), means, covariances, precisions_cholesky, regularized


def precisions_or_regularize(X, covariances, covariance_type, reg_covar, on_singular):
    """Precision Cholesky factors of ``covariances``, regularising if allowed.

    Returns
    -------
    covariances : ndarray
        The input, or a copy with an extra ridge on the failing components.
    precisions_cholesky : ndarray
    regularized : tuple of int
        The components that needed the extra ridge.
    """
    try:
        return covariances, compute_precision_cholesky(covariances, covariance_type), ()
    except SingularCovarianceError as err:
        if on_singular != "regularize":
            raise
        bad = tuple(err.components)
    # A ridge relative to the data's own scale keeps the fix meaningful whether
    # coordinates are 1e-8 or 1e8; it grows tenfold until every factor exists.
    scale = float(np.mean(np.var(X, axis=0))) or 1.0
    ridge = max(reg_covar, 1e-10 * scale, np.finfo(np.float64).tiny)
    covariances = covariances.copy()
    d = X.shape[1]
    components = bad
    for _ in range(400):
        for k in components:
            if covariance_type == "full":
                covariances[k].flat[:: d + 1] += ridge
            elif covariance_type == "tied":
                covariances.flat[:: d + 1] += ridge
            else:
                covariances[k] = np.maximum(covariances[k], 0.0) + ridge
        try:
            return (
                covariances,
                compute_precision_cholesky(covariances, covariance_type),
                bad,
            )
        except SingularCovarianceError as err:
            components = tuple(err.components)
            ridge *= 10.0
    raise SingularCovarianceError(components)


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
    if on_singular not in ("raise", "regularize"):
        raise ValueError(
            f"on_singular must be 'raise' or 'regularize'; got {on_singular!r}"
        )
    weights, means, precisions_cholesky = check_parameters(
        weights, means, precisions_cholesky, covariance_type, X.shape[1]
    )

    work = MomentWorkspace(X, covariance_type)
    lower_bound = -np.inf
    for iteration in range(1, max_iter + 1):
        previous = lower_bound
        lower_bound, resp, _ = work.e_step(weights, means, precisions_cholesky)
        weights, means, covariances, precisions_cholesky, fixed = _m_step(
            work, X, resp, reg_covar, on_singular
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
