"""Why EM works: the lower bound and its gap.

For any responsibilities ``q`` (each row a distribution over the K
components) and parameters ``theta`` the log-likelihood splits into two
parts (Bishop, PRML section 9.4)::

    log L(theta) = L(q, theta) + KL(q || p(z | x, theta))

    L(q, theta) = sum_i sum_k q_ik [log pi_k + log N(x_i | mu_k, Sigma_k)
                                    - log q_ik]
                = Q(theta | theta_old) + H(q)

The bound ``L`` lies below ``log L`` by the Kullback-Leibler divergence of
``q`` from the posterior of the components, which is never negative. The
E-step sets ``q`` to that posterior, so the gap closes and the bound touches
``log L``; the M-step maximises the bound over ``theta`` with ``q`` fixed, so
the bound rises, and ``log L``, which is the bound plus a gap that has
reopened, rises at least as much.

:func:`lower_bound` evaluates the three numbers (totals over the data, in
the units of the page's log-likelihood, not per point), :func:`half_step_bounds`
does so after every half-step of an EM run, and :func:`bound_path` along a
path from one parameter set to the next (PRML figure 9.14), on which the
bound is tangent to ``log L`` at the start and maximal at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._validation import (
    check_covariance_type,
    check_float,
    check_parameters,
    check_shape,
    check_X,
    precision_shape,
)
from ..densities import compute_precision_cholesky, logsumexp
from ..em import _check_responsibilities
from ..mixture import _centred_weighted_log_prob

__all__ = [
    "BoundPath",
    "HalfStep",
    "LowerBound",
    "bound_path",
    "half_step_bounds",
    "interpolate_mixture",
    "lower_bound",
]

#: How far a row of responsibilities may sum from 1 before it is refused.
_ROW_SUM_ATOL = 1e-6


class LowerBound(NamedTuple):
    """``log L = bound + gap`` at one ``(q, theta)``, totals over the data.

    Attributes
    ----------
    log_likelihood : float
        ``sum_i log sum_k pi_k N(x_i | mu_k, Sigma_k)``.
    bound : float
        ``L(q, theta) = Q(theta | theta_old) + H(q)``; ``-inf`` when ``q``
        puts mass on a component of weight 0.
    gap : float
        ``KL(q || p(z | x, theta)) = log_likelihood - bound`` (up to
        rounding), >= 0; 0 right after an E-step at temperature 1.
    """

    log_likelihood: float
    bound: float
    gap: float


def _decompose(X, weights, means, precisions_cholesky, covariance_type, resp):
    """:func:`lower_bound` on validated arguments (rows of ``resp`` sum to 1)."""
    weighted = _centred_weighted_log_prob(
        X, weights, means, precisions_cholesky, covariance_type
    )
    log_norm = logsumexp(weighted, axis=1)
    positive = resp > 0
    # q log q and q log(q / p) are 0 where q = 0, whatever p (0 log 0 = 0);
    # both branches of np.where are evaluated, hence the errstate
    with np.errstate(divide="ignore", invalid="ignore"):
        log_q = np.log(resp)
        log_post = weighted - log_norm[:, np.newaxis]
        bound_terms = np.where(positive, resp * (weighted - log_q), 0.0)
        kl_terms = np.where(positive, resp * (log_q - log_post), 0.0)
    # each sample's KL is >= 0; rounding may leave -1e-17, which is not news
    gap = np.maximum(kl_terms.sum(axis=1), 0.0)
    return LowerBound(float(log_norm.sum()), float(bound_terms.sum()), float(gap.sum()))


def _check_distribution_rows(resp, n_samples):
    """Responsibilities checked (non-negative, rows summing to 1 within
    ``1e-6``) and renormalised exactly."""
    resp = _check_responsibilities(resp, n_samples)
    sums = resp.sum(axis=1)
    worst = int(np.argmax(np.abs(sums - 1.0)))
    if abs(sums[worst] - 1.0) > _ROW_SUM_ATOL:
        raise ValueError(
            "resp must have rows that sum to 1 (a distribution over the "
            f"components for every sample); row {worst} sums to {sums[worst]:.9g}"
        )
    return resp / sums[:, np.newaxis]


def _check_mixture(X, weights, means, covariances, covariance_type, prec_chol):
    """``(weights, means, precisions_cholesky)`` validated, the factors from
    ``covariances`` unless given."""
    if prec_chol is None:
        means = np.asarray(means, dtype=np.float64)
        n_components = means.shape[0] if means.ndim == 2 else 0
        shape = precision_shape(covariance_type, n_components, X.shape[1])
        covariances = check_shape("covariances", covariances, shape)
        prec_chol = compute_precision_cholesky(covariances, covariance_type)
    return check_parameters(weights, means, prec_chol, covariance_type, X.shape[1])


def lower_bound(
    X,
    weights,
    means,
    covariances,
    covariance_type,
    resp,
    *,
    precisions_cholesky=None,
):
    """The decomposition ``log L(theta) = L(q, theta) + KL(q || p(z | x, theta))``.

    Evaluated in log space: a component of weight 0 contributes
    ``log pi_k = -inf`` only where ``q`` gives it mass, and entries with
    ``q_ik = 0`` contribute nothing (``0 log 0 = 0``).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    weights : array-like of shape (n_components,)
        Used as given (not renormalised), as EM uses them.
    means : array-like of shape (n_components, n_features)
    covariances : array-like or None
        full (K, d, d), tied (d, d), diag (K, d), spherical (K,); may be
        None when ``precisions_cholesky`` is given.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    resp : array-like of shape (n_samples, n_components)
        The distribution ``q``: non-negative, every row summing to 1 (within
        1e-6; renormalised exactly).
    precisions_cholesky : array-like, optional
        The precision Cholesky factors (as in :class:`~emcore.EMSnapshot`),
        used instead of factorising ``covariances``.

    Returns
    -------
    LowerBound
        ``(log_likelihood, bound, gap)``, each a total over the samples.

    Raises
    ------
    ValueError
        For invalid arguments, naming them; a covariance that is not
        positive definite raises :class:`~emcore.SingularCovarianceError`.

    Examples
    --------
    >>> import numpy as np
    >>> from emcore import e_step, lower_bound
    >>> X = np.array([[0.0], [0.2], [3.0], [3.4]])
    >>> w, m, cov = [0.5, 0.5], [[0.0], [3.0]], [[1.0], [1.0]]
    >>> _, log_resp = e_step(X, w, m, np.sqrt(1 / np.array(cov)), "diag")
    >>> at_e = lower_bound(X, w, m, cov, "diag", np.exp(log_resp))
    >>> bool(abs(at_e.gap) < 1e-12), bool(abs(at_e.log_likelihood - at_e.bound) < 1e-12)
    (True, True)
    >>> uniform = lower_bound(X, w, m, cov, "diag", np.full((4, 2), 0.5))
    >>> round(uniform.log_likelihood - uniform.bound - uniform.gap, 12)
    0.0
    """
    covariance_type = check_covariance_type(covariance_type)
    X = check_X(X)
    weights, means, prec_chol = _check_mixture(
        X, weights, means, covariances, covariance_type, precisions_cholesky
    )
    resp = _check_distribution_rows(resp, X.shape[0])
    if resp.shape[1] != len(means):
        raise ValueError(
            f"resp must have one column per component ({len(means)}); got "
            f"{resp.shape[1]}"
        )
    return _decompose(X, weights, means, prec_chol, covariance_type, resp)


@dataclass(frozen=True)
class HalfStep:
    """The bound after one half-step of EM.

    Attributes
    ----------
    iteration : int
        The EM iteration (1-based) the half-step belongs to.
    step : {'E', 'M'}
        After the E-step (``q`` new, ``theta`` still the last M-step's) or
        after the M-step (the same ``q``, the new ``theta``).
    log_likelihood, bound, gap : float
        :class:`LowerBound`'s totals.
    """

    iteration: int
    step: str
    log_likelihood: float
    bound: float
    gap: float


def half_step_bounds(X, snapshots, covariance_type, *, initial=None):
    """The bound after every E-step and M-step of an EM run.

    Iteration ``t``'s E-step computes ``q_t`` from ``theta_{t-1}``, its
    M-step ``theta_t`` from ``q_t``. After the E-step the bound equals
    ``log L(theta_{t-1})`` (gap 0 at temperature 1); after the M-step it is
    ``L(q_t, theta_t)``, at least the E-step's, and ``log L(theta_t)`` is at
    least that.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    snapshots : iterable of EMSnapshot
        Consecutive snapshots of one start, with their responsibilities
        (``return_resp=True``), as :func:`~emcore.em_steps` or
        :meth:`~emcore.GaussianMixture.fit_steps` yield them. Without
        ``initial`` the first is taken as ``theta_0`` (the iteration-0
        snapshot of ``fit_steps(include_initial=True)``) and contributes no
        half-step.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    initial : (weights, means, covariances), optional
        ``theta_0``, when every snapshot is an iteration.

    Returns
    -------
    list of HalfStep
        Two per iteration, E then M.
    """
    covariance_type = check_covariance_type(covariance_type)
    X = check_X(X)
    snapshots = iter(snapshots)
    if initial is None:
        first = next(snapshots, None)
        if first is None:
            return []
        previous = (first.weights, first.means, None, first.precisions_cholesky)
    else:
        previous = (*initial, None)
    previous = _check_mixture(X, *previous[:3], covariance_type, previous[3])
    out = []
    for snap in snapshots:
        if snap.resp is None:
            raise ValueError(
                f"snapshots must carry their responsibilities; iteration "
                f"{snap.iteration} has resp None (use return_resp=True)"
            )
        resp = _check_distribution_rows(snap.resp, X.shape[0])
        current = _check_mixture(
            X, snap.weights, snap.means, None, covariance_type, snap.precisions_cholesky
        )
        for step, params in (("E", previous), ("M", current)):
            parts = _decompose(X, *params, covariance_type, resp)
            out.append(HalfStep(snap.iteration, step, *parts))
        previous = current
    return out


# --- the path of PRML figure 9.14 ---------------------------------------------


def _log_cholesky(covariances, covariance_type):
    """Covariances as unconstrained coordinates: for full and tied the lower
    Cholesky factor with the log of its diagonal, for diag and spherical the
    log of the variances (halved, the log of the factor)."""
    if covariance_type in ("full", "tied"):
        chol = np.linalg.cholesky(covariances)
        d = chol.shape[-1]
        diag = np.arange(d)
        chol[..., diag, diag] = np.log(chol[..., diag, diag])
        return chol
    return 0.5 * np.log(covariances)


def _from_log_cholesky(coords, covariance_type):
    if covariance_type in ("full", "tied"):
        chol = coords.copy()
        d = chol.shape[-1]
        diag = np.arange(d)
        chol[..., diag, diag] = np.exp(chol[..., diag, diag])
        return chol @ np.swapaxes(chol, -1, -2)
    return np.exp(2.0 * coords)


def _log_weights_between(w0, w1, s):
    """Weights along a straight line of their logarithms, and their total
    along a straight line of its logarithm (positive for any ``s``)."""
    both = (w0 > 0) & (w1 > 0)
    if not both.any():
        raise ValueError(
            "start and end weights must share a component of positive weight; "
            f"got {w0.tolist()} and {w1.tolist()}"
        )
    # a component with weight 0 at one end stays at 0 strictly in between
    l0 = np.log(np.where(both, w0, 1.0))
    l1 = np.log(np.where(both, w1, 1.0))
    mixed = np.where(both, l0 + s * (l1 - l0), -np.inf)
    t0, t1 = np.log(w0.sum()), np.log(w1.sum())
    return np.exp(mixed - logsumexp(mixed) + t0 + s * (t1 - t0))


def interpolate_mixture(start, end, s, covariance_type):
    """The mixture at ``s`` on the path from ``start`` (``s = 0``) to ``end``
    (``s = 1``).

    Means move in a straight line; weights along a straight line of their
    logarithms, renormalised (to a total that moves along the line of its
    own logarithm: 1 all the way when both ends sum to 1); covariances along a
    straight line of their log-Cholesky coordinates (the lower Cholesky
    factor with its diagonal replaced by its logarithm; for diag and
    spherical the log of the variances). Every point of the path is a valid
    mixture for any real ``s``, also beyond [0, 1], and ``s = 0`` and
    ``s = 1`` give ``start`` and ``end`` exactly. A component of weight 0 at
    one end has weight 0 strictly in between.

    Parameters
    ----------
    start, end : (weights, means, covariances)
        Shapes (K,), (K, d) and as ``covariance_type`` says.
    s : float
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
    """
    s = check_float("s", s)
    covariance_type = check_covariance_type(covariance_type)
    start = _check_endpoint("start", start, covariance_type)
    end = _check_endpoint("end", end, covariance_type, like=start)
    return _interpolate(start, end, s, covariance_type)


def _interpolate(start, end, s, covariance_type):
    if s == 0.0:
        return start
    if s == 1.0:
        return end
    (w0, m0, c0), (w1, m1, c1) = start, end
    weights = _log_weights_between(w0, w1, s)
    means = m0 + s * (m1 - m0)
    g0 = _log_cholesky(c0, covariance_type)
    g1 = _log_cholesky(c1, covariance_type)
    return weights, means, _from_log_cholesky(g0 + s * (g1 - g0), covariance_type)


def _check_endpoint(name, params, covariance_type, like=None):
    if not isinstance(params, (tuple, list)) or len(params) != 3:
        raise ValueError(
            f"{name} must be a (weights, means, covariances) triple; got "
            f"{type(params).__name__}"
        )
    means = np.asarray(params[1], dtype=np.float64)
    if means.ndim != 2:
        raise ValueError(
            f"{name} means must have shape (n_components, n_features); got "
            f"shape {means.shape}"
        )
    K, d = means.shape
    if like is not None and (K, d) != like[1].shape:
        raise ValueError(
            f"{name} must have the shapes of start: means {like[1].shape}; got "
            f"{means.shape}"
        )
    weights = check_shape(f"{name} weights", params[0], (K,))
    if np.any(weights < 0) or not weights.sum() > 0:
        raise ValueError(
            f"{name} weights must be non-negative with a positive sum; got "
            f"{weights.tolist()}"
        )
    shape = precision_shape(covariance_type, K, d)
    covariances = check_shape(f"{name} covariances", params[2], shape)
    compute_precision_cholesky(covariances, covariance_type)  # positive definite
    return weights, check_shape(f"{name} means", means, (K, d)), covariances


@dataclass(frozen=True)
class BoundPath:
    """``log L`` and the bound along a path through parameter space.

    Attributes
    ----------
    s : ndarray of shape (n_points,)
        Positions on the path: 0 is its start, 1 its end.
    log_likelihood, bound, gap : ndarray of shape (n_points,)
        :class:`LowerBound`'s totals at each position, with ``q`` fixed.
    """

    s: np.ndarray
    log_likelihood: np.ndarray
    bound: np.ndarray
    gap: np.ndarray


def bound_path(X, start, end, covariance_type, s=None, *, resp=None):
    """``log L`` and the bound ``L(q, theta(s))`` along the path from
    ``start`` to ``end`` (Bishop, PRML figure 9.14).

    With ``q`` the E-step of ``start`` (the default) and ``end`` the M-step
    that follows it, the bound touches ``log L`` at ``s = 0`` (and is
    tangent to it there: their difference, the KL divergence, is smallest,
    0, at ``s = 0``) and is largest at ``s = 1``. The path is
    :func:`interpolate_mixture`'s: means in a straight line, weights along
    their logarithms, covariances along their log-Cholesky coordinates, so
    it stays a valid mixture beyond [0, 1]. To move along one parameter
    only, pass an ``end`` equal to ``start`` but for that parameter: moving
    one component's whole mean, for instance, the bound is still largest at
    the M-step's mean, whatever the covariances (a single coordinate of a
    mean has its peak elsewhere when the covariance correlates it with the
    others).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    start, end : (weights, means, covariances)
        ``theta_t`` and ``theta_{t+1}``.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    s : array-like of shape (n_points,), optional
        Positions on the path; default 41 points from -0.5 to 1.5.
    resp : array-like of shape (n_samples, n_components), optional
        ``q``; default the E-step of ``start`` (at temperature 1).

    Returns
    -------
    BoundPath
    """
    covariance_type = check_covariance_type(covariance_type)
    X = check_X(X)
    start = _check_endpoint("start", start, covariance_type)
    end = _check_endpoint("end", end, covariance_type, like=start)
    s = np.linspace(-0.5, 1.5, 41) if s is None else np.asarray(s, dtype=np.float64)
    if s.ndim != 1 or not np.all(np.isfinite(s)):
        raise ValueError(f"s must be a 1-D array of finite numbers; got {s!r}")
    prec0 = compute_precision_cholesky(start[2], covariance_type)
    if resp is None:
        weighted = _centred_weighted_log_prob(
            X, start[0], start[1], prec0, covariance_type
        )
        resp = np.exp(weighted - logsumexp(weighted, axis=1)[:, np.newaxis])
    else:
        resp = _check_distribution_rows(resp, X.shape[0])
    rows = []
    for position in s:
        weights, means, covariances = _interpolate(
            start, end, float(position), covariance_type
        )
        prec = compute_precision_cholesky(covariances, covariance_type)
        rows.append(_decompose(X, weights, means, prec, covariance_type, resp))
    loglik, bound, gap = (np.array(col) for col in zip(*rows, strict=True))
    return BoundPath(s.copy(), loglik, bound, gap)
