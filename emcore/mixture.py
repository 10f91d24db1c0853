"""``GaussianMixture``: scikit-learn's estimator interface over :mod:`emcore.em`."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ._validation import (
    check_choice,
    check_random_state,
)
from .base import MixtureBase, validate_data
from .densities import (
    covariances_from_precision_cholesky,
    estimate_weighted_log_prob,
    logsumexp,
)
from .em import EMSnapshot, _collapsed, _iterate, precisions_or_regularize
from .initialization import _initial_responsibility_steps, check_initial_parameters
from .kernels.moments import MomentWorkspace
from .kernels.mstep import _COV_RTOL
from .kernels.rowblocks import ROW_BLOCK, beat_steps, row_slices, run_steps
from .variational.tempering import annealed_steps, annealing_temperatures

__all__ = ["GaussianMixture", "StartResult", "n_parameters"]


def _centred_weighted_log_prob(X, weights, means, precisions_cholesky, covariance_type):
    # densities are translation invariant; measuring from the mixture's centre
    # keeps (x - mu) U accurate when the data sit far from the origin relative
    # to a component's width (scikit-learn's X U - mu U loses eps * |x| * |U|)
    centre = weights @ means / weights.sum()
    return estimate_weighted_log_prob(
        X - centre, weights, means - centre, precisions_cholesky, covariance_type
    )


def n_parameters(n_components, n_features, covariance_type):
    """Free parameters of a mixture: means, K - 1 weights, covariance terms."""
    cov_params = {
        "full": n_components * n_features * (n_features + 1) // 2,
        "tied": n_features * (n_features + 1) // 2,
        "diag": n_components * n_features,
        "spherical": n_components,
    }[covariance_type]
    return int(cov_params + n_features * n_components + n_components - 1)


@dataclass(frozen=True)
class StartResult:
    """How one of the ``n_init`` starts ended.

    Attributes
    ----------
    lower_bound : float
        Its final per-sample mean log-likelihood (scikit-learn's lower bound).
    n_iter : int
    converged : bool
    lower_bounds : list of float
        Its per-iteration trace.
    weights, means, covariances, precisions_cholesky : ndarray
        Its final parameters.
    regularized : tuple of int
        Components that needed an extra ridge at any iteration.
    """

    lower_bound: float
    n_iter: int
    converged: bool
    lower_bounds: list
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray
    regularized: tuple = ()


class GaussianMixture(MixtureBase):
    """Gaussian mixture fitted by EM, with scikit-learn's interface and numbers.

    A scikit-learn estimator without depending on scikit-learn: ``get_params``,
    ``set_params``, ``clone``, ``Pipeline`` and ``GridSearchCV`` work, and
    scikit-learn's own GaussianMixture tests and ``check_estimator`` pass.

    Parameters
    ----------
    n_components : int, default=1
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default='full'
    tol : float, default=1e-3
        EM stops when the per-sample mean log-likelihood changes by less than
        ``tol`` (in absolute value) between iterations.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance.
    max_iter : int, default=100
        EM iterations per start; 0 keeps the initial parameters.
    n_init : int, default=1
        Number of starts; the one with the highest final lower bound wins.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data', \
'whitened'}
        How each start's responsibilities are seeded (scikit-learn's meanings;
        ``'whitened'``, emcore's own, is ``'kmeans'`` on the whitened data:
        :func:`emcore.initialization.initial_responsibilities`).
    weights_init : array-like of shape (n_components,), optional
    means_init : array-like of shape (n_components, n_features), optional
    precisions_init : array-like, optional
        Shape depends on ``covariance_type``: full (K, d, d), tied (d, d),
        diag (K, d), spherical (K,).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        An int seeds numpy's PCG64 (the same stream in CPython and Pyodide).
    warm_start : bool, default=False
        Continue from the last fit's parameters (one start, ``n_init``
        ignored), measuring the first change from its lower bound.
    verbose : int, default=0
        1 prints each start and every ``verbose_interval``-th iteration; 2
        adds times, changes and lower bounds.
    verbose_interval : int, default=10
    on_singular : {'raise', 'regularize'}, default='raise'
        ``'raise'`` fails like scikit-learn when a covariance is singular
        (:func:`~emcore.densities.singular_components`); ``'regularize'`` adds
        the smallest ridge that fixes it and records it in ``regularized_``.
    temperature : float, default=1.0
        The E-step's temperature: responsibilities proportional to
        ``(pi_k N_ik) ** (1 / temperature)``. 1 is EM; 0 assigns each sample
        wholly to its most probable component (classification EM); above 1
        components merge. See :mod:`emcore.variational.tempering`.
    annealing : None or (float, float), default=None
        ``(T0, factor)``: deterministic annealing. Each start runs EM at
        ``T0``, then at ``T0 * factor``, ``T0 * factor**2``, ... and last at
        ``temperature``, each stage until it converges (or for ``max_iter``
        iterations), continuing from the last one's parameters; ``n_iter_``
        and ``lower_bounds_`` count the iterations of every stage.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_, precisions_, precisions_cholesky_ : ndarray
        float32 when ``X`` was float32, else float64 (EM itself runs in
        float64 either way).
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Per-sample mean log-likelihood measured by the last E-step of the best
        start, i.e. of the parameters *before* its last M-step (so it lags the
        final parameters by one step, as in scikit-learn); ``-inf`` when
        ``max_iter=0``.
    lower_bounds_ : list of float
        The best start's per-iteration lower bounds.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Only when ``X`` had string column names (a DataFrame).
    starts_ : list of StartResult
        Every start's outcome, in order (for diagnosing local optima).
    regularized_ : tuple of int
        Components of the best start that needed an extra ridge (beyond
        ``reg_covar``) at some iteration, with ``on_singular="regularize"``.
    collapsed_ : tuple of int
        Components of the final model that sit on a single point or a line:
        their covariance less ``reg_covar`` has an eigenvalue below ``1e-8`` of
        the data's variance, so only the regularisation keeps it invertible.
        For ``covariance_type="tied"`` (one shared covariance), both attributes
        use index 0 for that covariance.

    Examples
    --------
    >>> import numpy as np
    >>> from emcore import GaussianMixture
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (100, 2)), rng.normal(8, 1, (100, 2))])
    >>> gm = GaussianMixture(2, random_state=0).fit(X)
    >>> [round(float(m)) for m in np.sort(gm.means_[:, 0])]
    [0, 8]
    >>> gm.n_parameters()
    11
    >>> gm
    GaussianMixture(n_components=2, random_state=0)
    """

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
        on_singular="raise",
        temperature=1.0,
        annealing=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.on_singular = on_singular
        self.temperature = temperature
        self.annealing = annealing

    # --- validation -------------------------------------------------------

    def _check_parameters(self, X):
        K = self._check_common_parameters(X)
        check_choice("on_singular", self.on_singular, ("raise", "regularize"))
        return check_initial_parameters(
            self.weights_init,
            self.means_init,
            self.precisions_init,
            self.covariance_type,
            K,
            X.shape[1],
        )

    # --- fitting ----------------------------------------------------------

    def fit_steps(
        self,
        X,
        *,
        return_resp=False,
        include_initial=False,
        progress=False,
        _workspaces=None,
    ):
        """Fit, yielding ``(start, snapshot)`` after every EM iteration.

        ``start`` is the 0-based index of the start being run and ``snapshot``
        an :class:`~emcore.em.EMSnapshot`. When the generator is exhausted the
        estimator is fitted exactly as by :meth:`fit` (which consumes it).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        return_resp : bool, default=False
            Attach the responsibilities of each E-step to its snapshot.
        include_initial : bool, default=False
            Also yield each start's initial parameters, before its first
            iteration, as a snapshot with ``iteration == 0`` (its
            ``log_likelihood`` is ``-inf``: nothing has been measured yet).
        progress : bool, default=False
            Also yield ``(start, None)`` between the steps of each start's
            initialisation (after each k-means++ centre, each k-means
            iteration, before and after the first M-step), so that a caller that
            must stay responsive can pause there. On more than
            :data:`~emcore.kernels.rowblocks.ROW_BLOCK` samples the work is also split
            into row blocks (the moment features, distances, E-steps and
            M-steps) with a pause between blocks, so no step handles more
            than one block; the fit is then equal to the unsplit one up to
            the rounding of the M-step's sums (about 1e-12 relative).
            Otherwise the fit is unchanged.
        _workspaces : dict, optional
            For fits of many models to the same ``X`` (the simulator's
            sweep): the caller's dict of the data's prepared moment
            workspaces, filled by the first fit and reused, not rebuilt, by
            the next ones of any covariance type with the same features. The
            caller must pass it only with the same ``X``, unchanged.
        """
        X = validate_data(self, X, reset=True, min_samples=2)
        dtype = X.dtype
        X = X.astype(np.float64, copy=False)
        inits = self._check_parameters(X)
        temperatures = annealing_temperatures(self.annealing, self.temperature)
        rng = check_random_state(self.random_state)
        cov = self.covariance_type
        continuing = bool(self.warm_start) and hasattr(self, "converged_")
        previous = self._current_parameters() if continuing else None
        previous_bound = self.lower_bound_ if continuing else -np.inf
        slices = row_slices(X.shape[0], ROW_BLOCK if progress else None)
        work = yield from _workspace_steps(X, cov, slices, _workspaces)
        starts, best = [], None
        for start in range(1 if continuing else self.n_init):
            self._print_start(start)
            began = time.perf_counter()
            if continuing:
                initial = previous
            else:
                steps = _initial_parameter_steps(self, work, inits, rng, slices)
                if progress:
                    initial = yield from beat_steps(steps, lambda s=start: (s, None))
                    # the first M-step apart from the first iteration
                    yield start, None
                else:
                    initial = run_steps(steps)
            if include_initial:
                yield start, _initial_snapshot(initial, cov)
            result = yield from _start_steps(
                self,
                start,
                work,
                initial,
                temperatures,
                slices,
                began,
                return_resp=return_resp,
                lower_bound=previous_bound,
            )
            starts.append(result)
            best = self._better_start(best, result)
        self.starts_ = starts
        self._set_fitted(
            best.weights, best.means, best.covariances, best.precisions_cholesky, dtype
        )
        self._set_outcome(best)
        self.regularized_ = best.regularized
        self.collapsed_ = _collapsed(
            best.covariances, cov, work.scale, self.reg_covar, _COV_RTOL
        )
        self._warn_if_not_converged()

    # --- using a fitted model ---------------------------------------------

    def _weighted_log_prob(self, X):
        weights, means, prec_chol = self._current_parameters(
            ("weights_", "means_", "precisions_cholesky_")
        )
        return _centred_weighted_log_prob(
            X, weights, means, prec_chol, self.covariance_type
        )

    def _mean_log_likelihood(self, X):
        return float(np.mean(logsumexp(self._weighted_log_prob(X), axis=1)))

    def predict_starts(self, X):
        """Labels of ``X`` under each start's final parameters.

        Returns
        -------
        labels : ndarray of shape (n_init, n_samples)
            Row ``i`` is what :meth:`predict` would give had start ``i`` won.
        """
        X, _ = self._validate(X)
        return _start_labels(X, self.starts_, self.covariance_type)

    def n_parameters(self):
        """Free parameters: K·d means, K − 1 weights and the covariance terms
        (K·d(d+1)/2 full, d(d+1)/2 tied, K·d diag, K spherical)."""
        self._check_fitted()
        return n_parameters(
            self.n_components, self.means_.shape[1], self.covariance_type
        )

    # scikit-learn's private name, which its own tests call
    _n_parameters = n_parameters

    def aic(self, X):
        """Akaike information criterion ``-2·ℓ + 2p`` (lower is better), with
        ℓ the total log-likelihood of ``X`` at the fitted parameters."""
        X, _ = self._validate(X)
        return -2 * self._mean_log_likelihood(X) * X.shape[0] + 2 * self.n_parameters()

    def bic(self, X):
        """Bayesian information criterion ``-2·ℓ + p·ln N`` (lower is better),
        with ℓ the total log-likelihood of ``X`` at the fitted parameters."""
        X, _ = self._validate(X)
        n = X.shape[0]
        return -2 * self._mean_log_likelihood(X) * n + self.n_parameters() * math.log(n)


def _initial_parameter_steps(gm, work, inits, rng, slices):
    """The initial parameters of one start of ``gm`` (a GaussianMixture).

    A generator: yields None between the steps of the initialisation
    (k-means++ centres, k-means iterations, the first M-step, and their
    row blocks when ``slices`` has several); returns the weights, means,
    covariances and precision factors of one start."""
    cov = gm.covariance_type
    if len(inits) == 3:  # everything given: no responsibilities, no randomness
        prec_chol = inits["precisions_cholesky"]
        covariances = covariances_from_precision_cholesky(prec_chol, cov)
        return inits["weights"], inits["means"], covariances, prec_chol
    resp = yield from _initial_responsibility_steps(
        work.X, gm.n_components, gm.init_params, rng, slices
    )
    yield
    nk, means, covariances = yield from work.estimate_parameter_steps(
        resp, gm.reg_covar, slices
    )
    weights = inits.get("weights", nk / work.n_samples)
    means = inits.get("means", means)
    if "precisions_cholesky" in inits:
        prec_chol = inits["precisions_cholesky"]
        covariances = covariances_from_precision_cholesky(prec_chol, cov)
        return weights, means, covariances, prec_chol
    # a one-hot start's covariances are reg_covar alone by design, so a
    # ridge needed there is not news; only EM's own M-steps count
    covariances, prec_chol, _ = precisions_or_regularize(
        work.X, covariances, cov, gm.reg_covar, gm.on_singular, scale=work.scale
    )
    return weights, means, covariances, prec_chol


def _workspace_steps(X, covariance_type, slices, workspaces):
    """The moment workspace of ``X``: one of ``workspaces`` with the same
    features when there is one, else built (by row blocks, yielding
    ``(0, None)`` between them, when ``slices`` has several); added to
    ``workspaces`` when given."""
    work = None
    for known in (workspaces or {}).values():
        work = known.for_type(covariance_type)
        if work is not None:
            break
    if work is None and len(slices) > 1:
        work = yield from beat_steps(
            MomentWorkspace.build_steps(X, covariance_type, slices), lambda: (0, None)
        )
    elif work is None:
        work = MomentWorkspace(X, covariance_type)
    if workspaces is not None:
        workspaces.setdefault(covariance_type, work)
    return work


def _initial_snapshot(initial, covariance_type):
    """A start's ``initial`` parameters as the snapshot of iteration 0
    (nothing measured yet: its log-likelihood is ``-inf``)."""
    weights, means, _, prec_chol = initial
    return EMSnapshot(
        iteration=0,
        weights=weights,
        means=means,
        covariances=covariances_from_precision_cholesky(prec_chol, covariance_type),
        precisions_cholesky=prec_chol,
        log_likelihood=-np.inf,
        change=np.nan,
        converged=False,
    )


def _start_steps(
    gm, start, work, initial, temperatures, slices, began, *, return_resp, lower_bound
):
    """EM from one start's ``initial`` parameters with ``gm``'s settings:
    yields ``(start, snapshot)`` after every iteration (``(start, None)``
    between row blocks) and returns the start's :class:`StartResult`."""
    weights, means, covariances, prec_chol = initial
    fixed = ()
    trace = []
    snap = None
    for snap in annealed_steps(
        _iterate,
        work,
        weights,
        means,
        prec_chol,
        temperatures,
        tol=gm.tol,
        reg_covar=gm.reg_covar,
        max_iter=gm.max_iter,
        return_resp=return_resp,
        on_singular=gm.on_singular,
        lower_bound=lower_bound,
        slices=slices,
    ):
        if snap is None:  # between row blocks
            yield start, None
            continue
        trace.append(snap.log_likelihood)
        fixed = fixed + tuple(k for k in snap.regularized if k not in fixed)
        gm._print_iteration(snap, began)
        yield start, snap
    if snap is None:  # max_iter = 0: the initial parameters, unmeasured
        return StartResult(
            lower_bound=-np.inf,
            n_iter=0,
            converged=False,
            lower_bounds=[],
            weights=weights,
            means=means,
            covariances=covariances,
            precisions_cholesky=prec_chol,
        )
    result = StartResult(
        lower_bound=snap.log_likelihood,
        n_iter=snap.iteration,
        converged=snap.converged,
        lower_bounds=trace,
        weights=snap.weights,
        means=snap.means,
        covariances=snap.covariances,
        precisions_cholesky=snap.precisions_cholesky,
        regularized=tuple(sorted(fixed)),
    )
    gm._print_start_end(result, began)
    return result


def _start_labels(X, starts, covariance_type):
    """Labels of ``X`` under each of ``starts``' final parameters, shape
    (n_starts, n_samples)."""
    return np.array(
        [
            np.argmax(
                _centred_weighted_log_prob(
                    X, st.weights, st.means, st.precisions_cholesky, covariance_type
                ),
                axis=1,
            )
            for st in starts
        ]
    )
