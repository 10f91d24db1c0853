"""``BayesianGaussianMixture``: scikit-learn's variational Bayesian mixture.

The estimator runs :mod:`.updates` one iteration at a time and yields a
:class:`VBSnapshot` after each (:meth:`BayesianGaussianMixture.fit_steps`),
which is what a page animates: the weights of components the data do not
need fall towards 0 from one iteration to the next.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .._validation import (
    check_choice,
    check_float,
    check_random_state,
)
from ..base import MixtureBase, validate_data
from ..initialization import (
    _init_array,
    _initial_responsibilities,
    check_positive_definite,
)
from ..kernels.moments import MomentWorkspace
from ..mixture import _centred_weighted_log_prob
from .updates import (
    DIRICHLET_DISTRIBUTION,
    DIRICHLET_PROCESS,
    Posterior,
    Prior,
    component_offsets,
    elbo,
    expected_weights,
    posterior_from_moments,
    vb_e_step,
)

__all__ = ["BayesianGaussianMixture", "VBSnapshot"]

WEIGHT_PRIOR_TYPES = (DIRICHLET_PROCESS, DIRICHLET_DISTRIBUTION)


@dataclass(frozen=True)
class VBSnapshot:
    """The variational posterior after one iteration (an E-step and an M-step).

    Attributes
    ----------
    iteration : int
        1-based (0 for a start's initial posterior).
    weights : ndarray of shape (n_components,)
        The expected weights (what ``weights_`` would be if the fit stopped
        here).
    means : ndarray of shape (n_components, n_features)
    covariances, precisions_cholesky : ndarray
        Shapes by covariance type, as the estimator's attributes.
    lower_bound : float
        The variational lower bound after this M-step (a total over the
        samples, less constant terms, as scikit-learn has it); ``-inf`` at
        iteration 0.
    change : float
        ``lower_bound`` minus the previous iteration's.
    converged : bool
        ``abs(change) < tol``.
    weight_concentration : ndarray or pair of ndarray
    mean_precision : ndarray of shape (n_components,)
    degrees_of_freedom : ndarray of shape (n_components,) or float
    resp : ndarray of shape (n_samples, n_components) or None
        The E-step's responsibilities, when requested.
    """

    iteration: int
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray
    lower_bound: float
    change: float
    converged: bool
    weight_concentration: tuple | np.ndarray
    mean_precision: np.ndarray
    degrees_of_freedom: np.ndarray | float
    resp: np.ndarray | None = None


@dataclass(frozen=True)
class _Start:
    """How one start ended (for the best-start rule and verbose output)."""

    lower_bound: float
    n_iter: int
    converged: bool
    lower_bounds: list
    posterior: Posterior


_POSTERIOR_ATTRIBUTES = (
    "weight_concentration_",
    "mean_precision_",
    "means_",
    "degrees_of_freedom_",
    "covariances_",
    "precisions_cholesky_",
)


class BayesianGaussianMixture(MixtureBase):
    """Variational Bayesian Gaussian mixture, with scikit-learn's interface
    and numbers.

    A Dirichlet-process (stick-breaking, truncated at ``n_components``) or
    Dirichlet prior on the weights lets the fit leave components unused:
    their expected weights fall towards 0. The parameters, attributes and
    methods are scikit-learn's ``BayesianGaussianMixture``'s, and its own
    tests and ``check_estimator`` pass; numpy is the only dependency. As in
    :class:`~emcore.GaussianMixture`, a start that leaves rows of the
    responsibilities at 0 (``'k-means++'``, ``'random_from_data'``) gives a
    first tied covariance from the seeded samples only (scikit-learn's counts
    every sample there), so tied fits from those starts differ.

    Parameters
    ----------
    n_components : int, default=1
        The most components the fit may use.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default='full'
    tol : float, default=1e-3
        The fit stops when the lower bound (a total, not per sample) changes
        by less than ``tol`` between iterations.
    reg_covar : float, default=1e-6
    max_iter : int, default=100
    n_init : int, default=1
        Starts; the one with the highest lower bound wins.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}
    weight_concentration_prior_type : {'dirichlet_process', \
'dirichlet_distribution'}, default='dirichlet_process'
    weight_concentration_prior : float > 0, optional
        ``gamma``: small values empty components, large ones keep them; None
        is ``1 / n_components``.
    mean_precision_prior : float > 0, optional
        How strongly means are drawn to ``mean_prior``; None is 1.
    mean_prior : array-like of shape (n_features,), optional
        None is the mean of ``X``.
    degrees_of_freedom_prior : float > n_features - 1, optional
        None is ``n_features``.
    covariance_prior : float or array-like, optional
        The Wishart prior's covariance: (d, d) for full and tied, (d,) for
        diag, a float for spherical; None is the covariance of ``X``.
    random_state : None, int, numpy.random.Generator or RandomState
    warm_start : bool, default=False
    verbose : int, default=0
    verbose_interval : int, default=10

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_, precisions_, precisions_cholesky_ : ndarray
        float32 when ``X`` was float32, else float64.
    weight_concentration_ : ndarray or pair of ndarray
        Dirichlet concentrations, or each stick's Beta parameters.
    mean_precision_ : ndarray of shape (n_components,)
    degrees_of_freedom_ : ndarray of shape (n_components,) or float (tied)
    weight_concentration_prior_, mean_precision_prior_, mean_prior_, \
degrees_of_freedom_prior_, covariance_prior_
        The priors used.
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        The best start's last lower bound (``-inf`` when ``max_iter=0``).
    lower_bounds_ : list of float
        The best start's lower bound after every iteration.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Only when ``X`` had string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from emcore import BayesianGaussianMixture
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (150, 2)), rng.normal(8, 1, (150, 2))])
    >>> bgm = BayesianGaussianMixture(n_components=6, random_state=0).fit(X)
    >>> int(np.sum(bgm.weights_ > 0.01))
    2
    """

    def __init__(
        self,
        *,
        n_components=1,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weight_concentration_prior_type=DIRICHLET_PROCESS,
        weight_concentration_prior=None,
        mean_precision_prior=None,
        mean_prior=None,
        degrees_of_freedom_prior=None,
        covariance_prior=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weight_concentration_prior_type = weight_concentration_prior_type
        self.weight_concentration_prior = weight_concentration_prior
        self.mean_precision_prior = mean_precision_prior
        self.mean_prior = mean_prior
        self.degrees_of_freedom_prior = degrees_of_freedom_prior
        self.covariance_prior = covariance_prior
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    # --- priors -----------------------------------------------------------

    def _check_parameters(self, X):
        """Check the priors against ``X`` (float64), set the ``*_prior_``
        attributes and return them as a :class:`Prior` (scikit-learn's
        private name, which its own tests call)."""
        K = self._check_common_parameters(X)
        prior = _resolve_prior(
            X,
            K,
            self.covariance_type,
            self.weight_concentration_prior_type,
            self.weight_concentration_prior,
            self.mean_precision_prior,
            self.mean_prior,
            self.degrees_of_freedom_prior,
            self.covariance_prior,
        )
        self.weight_concentration_prior_ = prior.weight_concentration
        self.mean_precision_prior_ = prior.mean_precision
        self.mean_prior_ = prior.mean
        self.degrees_of_freedom_prior_ = prior.degrees_of_freedom
        self.covariance_prior_ = prior.covariance
        return prior

    # --- fitting ----------------------------------------------------------

    def _initial_posterior(self, work, prior, rng):
        resp = _initial_responsibilities(
            work.X, self.n_components, self.init_params, rng
        )
        nk, xk, sk = work.estimate_parameters(resp, self.reg_covar)
        return posterior_from_moments(prior, nk, xk, sk, self.covariance_type)

    def _initialize_parameters(self, X, random_state):
        """Set the initial posterior from ``init_params`` (scikit-learn's
        private name, which its own tests call after ``_check_parameters``)."""
        X = np.asarray(X, dtype=np.float64)
        prior = self._check_parameters(X)
        work = MomentWorkspace(X, self.covariance_type)
        posterior = self._initial_posterior(
            work, prior, check_random_state(random_state)
        )
        self._set_posterior(posterior, prior.weight_type, X.dtype)

    def fit_steps(self, X, *, return_resp=False, include_initial=False):
        """Fit, yielding ``(start, snapshot)`` after every iteration.

        ``start`` is the 0-based index of the start being run and
        ``snapshot`` a :class:`VBSnapshot`. When the generator is exhausted
        the estimator is fitted exactly as by :meth:`fit` (which consumes it).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        return_resp : bool, default=False
            Attach each E-step's responsibilities to its snapshot.
        include_initial : bool, default=False
            Also yield each start's initial posterior as a snapshot with
            ``iteration == 0`` (its ``lower_bound`` is ``-inf``).
        """
        X = validate_data(self, X, reset=True, min_samples=2)
        dtype = X.dtype
        X = X.astype(np.float64, copy=False)
        prior = self._check_parameters(X)
        cov, kind = self.covariance_type, prior.weight_type
        rng = check_random_state(self.random_state)
        continuing = bool(self.warm_start) and hasattr(self, "converged_")
        work = MomentWorkspace(X, cov)
        best = None
        for start in range(1 if continuing else self.n_init):
            self._print_start(start)
            began = time.perf_counter()
            if continuing:
                posterior = self._fitted_posterior()
                bound = self.lower_bound_
            else:
                posterior = self._initial_posterior(work, prior, rng)
                bound = -np.inf
            if include_initial:
                yield (
                    start,
                    _snapshot(0, posterior, kind, -np.inf, np.nan, 0, None),
                )
            trace, snap = [], None
            for iteration in range(1, self.max_iter + 1):
                previous = bound
                log_resp = vb_e_step(work, posterior, kind)
                resp = np.exp(log_resp)
                nk, xk, sk = work.estimate_parameters(resp, self.reg_covar)
                posterior = posterior_from_moments(prior, nk, xk, sk, cov)
                bound = elbo(posterior, resp, log_resp, prior, cov)
                trace.append(bound)
                snap = _snapshot(
                    iteration,
                    posterior,
                    kind,
                    bound,
                    bound - previous,
                    self.tol,
                    resp if return_resp else None,
                )
                self._print_iteration(snap, began)
                yield start, snap
                if snap.converged:
                    break
            result = _Start(
                lower_bound=-np.inf if snap is None else bound,
                n_iter=0 if snap is None else snap.iteration,
                converged=snap is not None and snap.converged,
                lower_bounds=trace,
                posterior=posterior,
            )
            if snap is not None:
                self._print_start_end(result, began)
            best = self._better_start(best, result)
        self._set_posterior(best.posterior, kind, dtype)
        self._set_outcome(best)
        self._warn_if_not_converged()

    def _set_posterior(self, posterior, weight_type, dtype):
        self.weight_concentration_ = posterior.weight_concentration
        self.mean_precision_ = posterior.mean_precision
        self.degrees_of_freedom_ = posterior.degrees_of_freedom
        self._set_fitted(
            expected_weights(posterior.weight_concentration, weight_type),
            posterior.means,
            posterior.covariances,
            posterior.precisions_cholesky,
            dtype,
        )

    def _fitted_posterior(self):
        """The fitted posterior in float64 (a warm start continues from it)."""
        concentration = self.weight_concentration_
        if isinstance(concentration, tuple):
            concentration = tuple(
                np.asarray(c, dtype=np.float64) for c in concentration
            )
        return Posterior(
            concentration,
            *self._current_parameters(_POSTERIOR_ATTRIBUTES[1:]),
        )

    # --- using a fitted model ---------------------------------------------

    def _weighted_log_prob(self, X):
        posterior = self._fitted_posterior()
        K = len(posterior.means)
        log_prob = _centred_weighted_log_prob(
            X,
            np.ones(K),
            posterior.means,
            posterior.precisions_cholesky,
            self.covariance_type,
        )
        offsets = component_offsets(
            posterior, self.weight_concentration_prior_type, X.shape[1]
        )
        return log_prob + offsets


def _positive_or(name, value, default):
    """``value`` as a float > 0, or ``default`` when it is None."""
    if value is None:
        return default
    return check_float(name, value, 0.0, low_open=True)


def _snapshot(iteration, posterior, weight_type, bound, change, tol, resp):
    return VBSnapshot(
        iteration=iteration,
        weights=expected_weights(posterior.weight_concentration, weight_type),
        means=posterior.means,
        covariances=posterior.covariances,
        precisions_cholesky=posterior.precisions_cholesky,
        lower_bound=bound,
        change=change,
        converged=bool(abs(change) < tol),
        weight_concentration=posterior.weight_concentration,
        mean_precision=posterior.mean_precision,
        degrees_of_freedom=posterior.degrees_of_freedom,
        resp=resp,
    )


def _resolve_prior(
    X, n_components, covariance_type, weight_type, gamma, kappa, mean, nu, covariance
):
    """The priors checked against ``X`` (float64), defaults filled in, as a
    :class:`Prior` (scikit-learn's defaults and messages)."""
    d = X.shape[1]
    weight_type = check_choice(
        "weight_concentration_prior_type", weight_type, WEIGHT_PRIOR_TYPES
    )
    gamma = _positive_or("weight_concentration_prior", gamma, 1.0 / n_components)
    kappa = _positive_or("mean_precision_prior", kappa, 1.0)
    if mean is None:
        mean = X.mean(axis=0)
    else:
        mean = _init_array("mean_prior", "means", mean, (d,))
    nu = _positive_or("degrees_of_freedom_prior", nu, d)
    if nu <= d - 1.0:
        raise ValueError(
            "The parameter 'degrees_of_freedom_prior' should be greater than "
            f"{d - 1}, but got {nu:.3f}. (degrees_of_freedom_prior must be > "
            "n_features - 1)"
        )
    covariance = _covariance_prior(X, covariance_type, covariance)
    return Prior(weight_type, gamma, kappa, mean, nu, covariance)


def _covariance_prior(X, covariance_type, given):
    cov = covariance_type
    if given is None:  # the data's own covariance
        if cov == "diag":
            return np.var(X, axis=0, ddof=1)
        if cov == "spherical":
            return float(np.var(X, axis=0, ddof=1).mean())
        return np.atleast_2d(np.cov(X.T))
    if cov == "spherical":
        return check_float("covariance_prior", given, 0.0, low_open=True)
    d = X.shape[1]
    shape = (d, d) if cov in ("full", "tied") else (d,)
    return check_positive_definite(
        "covariance_prior", f"{cov} covariance_prior", given, shape, cov
    )
