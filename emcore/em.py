"""The EM algorithm one step at a time.

``e_step`` and ``m_step`` are the two halves of an iteration; ``em_steps`` runs
them in scikit-learn's order and yields an :class:`EMSnapshot` after every
iteration, which is what the simulator page draws as one animation frame.
The E-step may run at a temperature, and EM may anneal from hot to cold
(:mod:`emcore.variational.tempering`); at the default ``T = 1`` the code is
EM's own.
The public functions validate their arguments once; the private ``_iterate``
and ``_m_step`` they call (and :class:`emcore.GaussianMixture` calls, after
its own validation) trust them. The kernels and their accuracy guards live in
:mod:`emcore.kernels.moments`.
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
from .densities import SingularCovarianceError, compute_precision_cholesky
from .kernels.linalg import smallest_eigenvalues, unusable_2x2
from .kernels.moments import MomentWorkspace, feature_scale
from .kernels.rowblocks import run_steps
from .variational.tempering import (
    annealed_steps,
    annealing_temperatures,
    check_temperature,
    tempered_e_step_steps,
    tempered_iteration_steps,
)

__all__ = [
    "EMSnapshot",
    "e_step",
    "em_steps",
    "feature_scale",
    "m_step",
    "precisions_or_regularize",
]


#: With ``on_singular="regularize"``, covariances whose smallest eigenvalue is
#: below this fraction of the data's variance (feature by feature) count as
#: collapsed: their precision would only amplify rounding noise.
_SINGULAR_RTOL = 1e-12
#: First extra ridge, relative to each feature's variance (it grows tenfold).
_RIDGE_RTOL = 1e-10
#: Absolute floor of that ridge, so precisions stay far from overflow even for
#: data at 1e-150 scale.
_RIDGE_FLOOR = 1e-270


def _m_step(work, resp, reg_covar, on_singular, estimates=None):
    """M-step on a :class:`MomentWorkspace`; arguments already validated.
    ``estimates`` are the soft counts, means and covariances when already
    computed (by row blocks)."""
    if estimates is None:
        estimates = work.estimate_parameters(resp, reg_covar)
    nk, means, covariances = estimates
    covariances, precisions_cholesky, regularized = precisions_or_regularize(
        work.X,
        covariances,
        work.covariance_type,
        reg_covar,
        on_singular,
        scale=work.scale,
    )
    return nk / nk.sum(), means, covariances, precisions_cholesky, regularized


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


def e_step(X, weights, means, precisions_cholesky, covariance_type, *, temperature=1.0):
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
    temperature : float, default=1.0
        Responsibilities proportional to ``(pi_k N_ik) ** (1 / temperature)``;
        0 gives hard (one-hot) assignments to the most probable component.
        See :mod:`emcore.variational.tempering`.

    Returns
    -------
    mean_log_likelihood : float
        ``mean_i log sum_k pi_k N(x_i | mu_k, Sigma_k)``: the per-sample average
        log-likelihood of the current parameters (scikit-learn's lower bound),
        whatever the temperature.
    log_resp : ndarray of shape (n_samples, n_components)
        ``log gamma_ik``; ``exp(log_resp)`` rows sum to 1 (``-inf`` off the
        chosen component at temperature 0).
    """
    covariance_type = check_covariance_type(covariance_type)
    X = check_X(X)
    temperature = check_temperature(temperature)
    weights, means, precisions_cholesky = check_parameters(
        weights, means, precisions_cholesky, covariance_type, X.shape[1]
    )
    work = MomentWorkspace(X, covariance_type)
    if temperature != 1.0:
        return run_steps(
            tempered_e_step_steps(
                work,
                weights,
                means,
                precisions_cholesky,
                temperature,
                (slice(None),),
                log=True,
            )
        )
    mean_ll, log_resp, _ = work.e_step(weights, means, precisions_cholesky, log=True)
    return mean_ll, log_resp


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
        What to do when a covariance is singular to working precision
        (:func:`~emcore.densities.singular_components`): raise
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
    return _m_step(MomentWorkspace(X, covariance_type), resp, reg_covar, on_singular)


def precisions_or_regularize(
    X, covariances, covariance_type, reg_covar, on_singular, *, scale=None
):
    """Precision Cholesky factors of ``covariances``, regularising if allowed.

    A covariance fails when it is singular to working precision
    (:func:`~emcore.densities.singular_components`) or so small that its
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
    if covariance_type in ("full", "tied") and covariances.shape[-1] == 2:
        mats = covariances.reshape(-1, 2, 2)  # the same tests, on Python floats
        bad = unusable_2x2(
            mats, prec.reshape(-1, 2, 2), _PRECISION_LIMIT, scale, _SINGULAR_RTOL
        )
        if bad:
            raise SingularCovarianceError(bad)
        return prec
    if covariance_type in ("diag", "spherical") and _usable_scalar(
        covariances, covariance_type, prec, scale
    ):
        return prec
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


def _usable_scalar(covariances, covariance_type, prec, scale):
    """Whether every diag or spherical factor passes :func:`_factor`'s tests,
    judged on whole arrays (the usual case, in a few calls; False sends
    :func:`_factor` to the per-component tests, which decide alike)."""
    # the factors 1/sqrt(c) are positive (or nan, which fails the test)
    if not prec.max() < _PRECISION_LIMIT:
        return False
    if scale is None:
        return True
    with np.errstate(over="ignore"):  # an overflowing quotient is not small
        if covariance_type == "diag":
            smallest = (covariances / scale).min()
        else:  # dividing by the positive mean keeps the order
            smallest = covariances.min() / scale.mean()
    return bool(smallest >= _SINGULAR_RTOL)


def _collapsed(covariances, covariance_type, scale, reg_covar, rtol):
    """Components whose covariance, less ``reg_covar``, has an eigenvalue below
    ``rtol`` of the data's variance (after scaling each feature by it)."""
    with np.errstate(over="ignore"):
        # a quotient that overflows is far above rtol: not collapsed
        return _smallest_relative(covariances, covariance_type, scale, reg_covar, rtol)


def _smallest_relative(covariances, covariance_type, scale, reg_covar, rtol):
    if covariance_type in ("full", "tied"):
        root = np.sqrt(scale)
        d = len(scale)
        mats = covariances if covariance_type == "full" else covariances[np.newaxis]
        raw = mats - reg_covar * np.eye(d)
        emp = raw / np.outer(root, root)
        finite = np.all(np.isfinite(emp), axis=(1, 2))
        smallest = np.empty(len(mats))
        if finite.any():
            smallest[finite] = smallest_eigenvalues(emp[finite])
        if not finite.all():  # scaling overflowed: judge against the widest feature
            smallest[~finite] = smallest_eigenvalues(raw[~finite]) / scale.max()
    elif covariance_type == "diag":
        smallest = ((covariances - reg_covar) / scale).min(axis=1)
    else:
        smallest = (covariances - reg_covar) / scale.mean()
    return tuple(int(k) for k in np.flatnonzero(~(smallest >= rtol)))


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
        ``log_likelihood`` minus the previous iteration's (inf on iteration 1,
        and on the first iteration of every annealing stage).
    converged : bool
        ``abs(change) < tol`` (when annealing, at the final temperature only).
    resp : ndarray of shape (n_samples, n_components) or None
        The E-step's responsibilities, when requested.
    regularized : tuple of int
        Components whose covariance needed an extra ridge in this M-step.
    temperature : float
        The temperature of this iteration's E-step (1 for EM itself).
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
    temperature: float = 1.0


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
    temperature=1.0,
    annealing=None,
):
    """Run EM from the given parameters, yielding a snapshot per iteration.

    Iteration ``t`` computes responsibilities and the mean log-likelihood of
    the current parameters (E-step), then new parameters (M-step). EM stops
    after the first iteration whose log-likelihood changed by less than
    ``tol`` in absolute value (never on iteration 1), or after ``max_iter``.
    With ``annealing`` it does so once per temperature of the schedule, each
    stage continuing from the last one's parameters and log-likelihood.

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
    temperature : float, default=1.0
        The E-step's temperature (the final one, when annealing): 1 is EM,
        0 hard assignments (classification EM), above 1 components merge.
        See :mod:`emcore.variational.tempering`.
    annealing : None or (float, float), default=None
        ``(T0, factor)``: deterministic annealing from ``T0`` down to
        ``temperature``, multiplying by ``factor`` between stages
        (:func:`~emcore.variational.tempering.annealing_temperatures`);
        ``max_iter`` applies to each stage and snapshots number the
        iterations across stages.

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
    temperatures = annealing_temperatures(annealing, temperature)
    weights, means, precisions_cholesky = check_parameters(
        weights, means, precisions_cholesky, covariance_type, X.shape[1]
    )
    if X.shape[0] < len(means):
        raise ValueError(
            f"X must have at least n_components = {len(means)} samples; got "
            f"n_samples = {X.shape[0]}"
        )

    work = MomentWorkspace(X, covariance_type)
    yield from annealed_steps(
        _iterate,
        work,
        weights,
        means,
        precisions_cholesky,
        temperatures,
        tol=tol,
        reg_covar=reg_covar,
        max_iter=max_iter,
        return_resp=return_resp,
        on_singular=on_singular,
    )


def _iterate(
    work,
    weights,
    means,
    precisions_cholesky,
    *,
    tol,
    reg_covar,
    max_iter,
    return_resp,
    on_singular,
    lower_bound=-np.inf,
    slices=None,
    temperature=1.0,
):
    """EM iterations on a :class:`MomentWorkspace` (arguments validated).

    ``lower_bound`` is the previous fit's, when continuing one (warm start):
    the first iteration's change is measured from it, as in scikit-learn.
    With more than one row block in ``slices`` (see
    :func:`emcore.kernels.rowblocks.row_slices`) every iteration runs block by block
    and None is yielded between blocks, before the iteration's snapshot.
    At a ``temperature`` other than 1 the E-step is the tempered one.
    """
    blocked = slices is not None and len(slices) > 1
    for iteration in range(1, max_iter + 1):
        previous = lower_bound
        if temperature != 1.0:
            lower_bound, resp, estimates = yield from tempered_iteration_steps(
                work,
                weights,
                means,
                precisions_cholesky,
                reg_covar,
                temperature,
                slices or (slice(None),),
            )
        elif blocked:
            lower_bound, resp, estimates = yield from work.em_iteration_steps(
                weights, means, precisions_cholesky, reg_covar, slices
            )
        else:
            lower_bound, resp, _ = work.e_step(weights, means, precisions_cholesky)
            estimates = None
        weights, means, covariances, precisions_cholesky, fixed = _m_step(
            work, resp, reg_covar, on_singular, estimates
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
            temperature=temperature,
        )
        if converged:
            return
