"""``GaussianMixture``: scikit-learn's estimator interface over :mod:`emcore.em`."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from ._validation import (
    check_choice,
    check_covariance_type,
    check_float,
    check_int,
    check_random_state,
    check_shape,
    check_weights,
    check_X,
    precision_shape,
)
from .densities import (
    covariances_from_precision_cholesky,
    estimate_weighted_log_prob,
    logsumexp,
    precision_cholesky_from_precisions,
    precisions_from_cholesky,
)
from .em import (
    EMSnapshot,
    _Engine,
    collapsed_components,
    e_step,
    em_steps,
    precisions_or_regularize,
)
from .initialization import INIT_METHODS, initial_responsibilities

__all__ = ["ConvergenceWarning", "GaussianMixture", "NotFittedError", "StartResult"]


def _centred_weighted_log_prob(X, weights, means, precisions_cholesky, covariance_type):
    # densities are translation invariant; measuring from the mixture's centre
    # keeps (x - mu) U accurate when the data sit far from the origin relative
    # to a component's width (scikit-learn's X U - mu U loses eps * |x| * |U|)
    centre = weights @ means / weights.sum()
    return estimate_weighted_log_prob(
        X - centre, weights, means - centre, precisions_cholesky, covariance_type
    )


class ConvergenceWarning(UserWarning):
    """The best start stopped at ``max_iter`` before meeting ``tol``."""


class NotFittedError(ValueError, AttributeError):
    """A method that needs a fitted model was called before ``fit``."""


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


class GaussianMixture:
    """Gaussian mixture fitted by EM, with scikit-learn's interface and numbers.

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
    n_init : int, default=1
        Number of starts; the one with the highest final lower bound wins.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}
        How each start's responsibilities are seeded (scikit-learn's meanings).
    weights_init : array-like of shape (n_components,), optional
    means_init : array-like of shape (n_components, n_features), optional
    precisions_init : array-like, optional
        Shape depends on ``covariance_type``: full (K, d, d), tied (d, d),
        diag (K, d), spherical (K,).
    random_state : None, int or numpy.random.Generator
    on_singular : {'raise', 'regularize'}, default='raise'
        ``'raise'`` fails like scikit-learn when a covariance is not positive
        definite; ``'regularize'`` adds the smallest ridge that fixes it and
        records the component in ``regularized_``.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_, precisions_, precisions_cholesky_ : ndarray
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Per-sample mean log-likelihood measured by the last E-step of the best
        start, i.e. of the parameters *before* its last M-step (so it lags the
        final parameters by one step, as in scikit-learn).
    lower_bounds_ : list of float
        The best start's per-iteration lower bounds.
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
        on_singular="raise",
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
        self.on_singular = on_singular

    def __repr__(self):
        return (
            f"GaussianMixture(n_components={self.n_components!r}, "
            f"covariance_type={self.covariance_type!r})"
        )

    # --- validation -------------------------------------------------------

    def _check_parameters(self, X):
        K = check_int("n_components", self.n_components, 1)
        n_samples, d = X.shape
        if n_samples < K:
            raise ValueError(
                f"X must have at least n_components = {K} samples; got "
                f"n_samples = {n_samples}"
            )
        cov = check_covariance_type(self.covariance_type)
        check_float("tol", self.tol, 0.0)
        check_float("reg_covar", self.reg_covar, 0.0)
        check_int("max_iter", self.max_iter, 1)
        check_int("n_init", self.n_init, 1)
        check_choice("init_params", self.init_params, INIT_METHODS)
        check_choice("on_singular", self.on_singular, ("raise", "regularize"))
        check_random_state(self.random_state)
        inits = {}
        if self.weights_init is not None:
            inits["weights"] = check_weights("weights_init", self.weights_init, K)
        if self.means_init is not None:
            inits["means"] = check_shape("means_init", self.means_init, (K, d))
        if self.precisions_init is not None:
            prec = check_shape(
                "precisions_init", self.precisions_init, precision_shape(cov, K, d)
            )
            if cov in ("full", "tied"):
                stack = prec.reshape(-1, d, d)
                asym = np.abs(stack - np.swapaxes(stack, 1, 2)).max(axis=(1, 2))
                scale = np.abs(stack).max(axis=(1, 2))
                if np.any(asym > 1e-8 * scale):
                    k = int(np.argmax(asym > 1e-8 * scale))
                    raise ValueError(
                        "precisions_init must be symmetric matrices; matrix "
                        f"{k} differs from its transpose by up to {asym[k]:.6g}"
                    )
                smallest = np.linalg.eigvalsh(stack)[:, 0]
                if np.any(smallest <= 0):
                    k = int(np.argmin(smallest))
                    raise ValueError(
                        "precisions_init must be positive definite matrices "
                        f"(all eigenvalues > 0); matrix {k} has smallest "
                        f"eigenvalue {smallest[k]:.6g}"
                    )
                try:
                    inits["precisions_cholesky"] = precision_cholesky_from_precisions(
                        prec, cov
                    )
                except ValueError:
                    raise ValueError(
                        "precisions_init must be positive definite matrices; "
                        "their Cholesky factorisation failed (nearly singular)"
                    ) from None
            else:
                if np.any(prec <= 0):
                    raise ValueError(
                        "precisions_init must be positive (> 0); got minimum "
                        f"{prec.min():.6g}"
                    )
                inits["precisions_cholesky"] = np.sqrt(prec)
        return inits

    # --- fitting ----------------------------------------------------------

    def _initial_parameters(self, X, inits, rng):
        if len(inits) == 3:  # everything given: no responsibilities, no randomness
            return inits["weights"], inits["means"], inits["precisions_cholesky"], ()
        resp = initial_responsibilities(X, self.n_components, self.init_params, rng)
        engine = _Engine(X, self.covariance_type)
        nk, means, covariances = engine.estimate_parameters(resp, self.reg_covar)
        weights = inits.get("weights", nk / X.shape[0])
        means = inits.get("means", means)
        if "precisions_cholesky" in inits:
            return weights, means, inits["precisions_cholesky"], ()
        _, prec_chol, fixed = precisions_or_regularize(
            X,
            covariances,
            self.covariance_type,
            self.reg_covar,
            self.on_singular,
            scale=engine.scale,
        )
        return weights, means, prec_chol, fixed

    def fit_steps(self, X, *, return_resp=False, include_initial=False):
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
        """
        X = check_X(X, min_samples=2)
        inits = self._check_parameters(X)
        rng = check_random_state(self.random_state)
        self.starts_ = []
        best = None
        for start in range(self.n_init):
            # a one-hot start's covariances are reg_covar alone by design, so
            # a ridge needed there is not news; only EM's own M-steps count
            weights, means, prec_chol, _ = self._initial_parameters(X, inits, rng)
            if include_initial:
                yield (
                    start,
                    EMSnapshot(
                        iteration=0,
                        weights=weights,
                        means=means,
                        covariances=covariances_from_precision_cholesky(
                            prec_chol, self.covariance_type
                        ),
                        precisions_cholesky=prec_chol,
                        log_likelihood=-np.inf,
                        change=np.nan,
                        converged=False,
                    ),
                )
            fixed = ()
            trace, snap = [], None
            for snap in em_steps(
                X,
                weights,
                means,
                prec_chol,
                self.covariance_type,
                tol=self.tol,
                reg_covar=self.reg_covar,
                max_iter=self.max_iter,
                return_resp=return_resp,
                on_singular=self.on_singular,
            ):
                trace.append(snap.log_likelihood)
                fixed = fixed + tuple(k for k in snap.regularized if k not in fixed)
                yield start, snap
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
            self.starts_.append(result)
            if best is None or result.lower_bound > best.lower_bound:
                best = result
        self._set_best(best)
        self.collapsed_ = collapsed_components(
            X, best.covariances, self.covariance_type, self.reg_covar
        )
        if not self.converged_:
            warnings.warn(
                "The best start did not converge within max_iter = "
                f"{self.max_iter} iterations (tol = {self.tol}). Increase "
                "max_iter or tol, or check for degenerate data.",
                ConvergenceWarning,
                stacklevel=2,
            )

    def _set_best(self, best):
        self.weights_ = best.weights
        self.means_ = best.means
        self.covariances_ = best.covariances
        self.precisions_cholesky_ = best.precisions_cholesky
        self.precisions_ = precisions_from_cholesky(
            best.precisions_cholesky, self.covariance_type
        )
        self.converged_ = best.converged
        self.n_iter_ = best.n_iter
        self.lower_bound_ = best.lower_bound
        self.lower_bounds_ = list(best.lower_bounds)
        self.regularized_ = best.regularized
        self.n_features_in_ = best.means.shape[1]

    def fit(self, X, y=None):
        """Estimate the parameters with EM (``n_init`` starts, best kept).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        for _ in self.fit_steps(X):
            pass
        return self

    def fit_predict(self, X, y=None):
        """Fit, then label ``X`` by a final E-step (so it agrees with predict).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.fit(X).predict(X)

    # --- using a fitted model ---------------------------------------------

    def _checked(self, X):
        if not hasattr(self, "means_"):
            raise NotFittedError(
                "This GaussianMixture is not fitted yet; call fit(X) first."
            )
        return check_X(X, n_features=self.n_features_in_)

    def _weighted_log_prob(self, X):
        return _centred_weighted_log_prob(
            X,
            self.weights_,
            self.means_,
            self.precisions_cholesky_,
            self.covariance_type,
        )

    def predict_starts(self, X):
        """Labels of ``X`` under each start's final parameters.

        Returns
        -------
        labels : ndarray of shape (n_init, n_samples)
            Row ``i`` is what :meth:`predict` would give had start ``i`` won.
        """
        X = self._checked(X)
        return np.array(
            [
                np.argmax(
                    _centred_weighted_log_prob(
                        X,
                        st.weights,
                        st.means,
                        st.precisions_cholesky,
                        self.covariance_type,
                    ),
                    axis=1,
                )
                for st in self.starts_
            ]
        )

    def score_samples(self, X):
        """Log-likelihood of each sample, shape (n_samples,)."""
        return logsumexp(self._weighted_log_prob(self._checked(X)), axis=1)

    def score(self, X, y=None):
        """Per-sample mean log-likelihood of ``X``."""
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X):
        """Responsibilities of each component for each sample, (n_samples, K)."""
        X = self._checked(X)
        _, log_resp = e_step(
            X,
            self.weights_,
            self.means_,
            self.precisions_cholesky_,
            self.covariance_type,
        )
        return np.exp(log_resp)

    def predict(self, X):
        """Most responsible component of each sample, shape (n_samples,)."""
        return np.argmax(self._weighted_log_prob(self._checked(X)), axis=1)

    def n_parameters(self):
        """Free parameters: K·d means, K − 1 weights and the covariance terms
        (K·d(d+1)/2 full, d(d+1)/2 tied, K·d diag, K spherical)."""
        if not hasattr(self, "means_"):
            raise NotFittedError("n_parameters needs a fitted model; call fit first")
        return n_parameters(
            self.n_components, self.n_features_in_, self.covariance_type
        )

    def aic(self, X):
        """Akaike information criterion ``-2·ℓ + 2p`` (lower is better), with
        ℓ the total log-likelihood of ``X`` at the fitted parameters."""
        X = self._checked(X)
        return -2 * self.score(X) * X.shape[0] + 2 * self.n_parameters()

    def bic(self, X):
        """Bayesian information criterion ``-2·ℓ + p·ln N`` (lower is better),
        with ℓ the total log-likelihood of ``X`` at the fitted parameters."""
        X = self._checked(X)
        n = X.shape[0]
        return -2 * self.score(X) * n + self.n_parameters() * math.log(n)

    def sample(self, n_samples=1):
        """Draw samples from the fitted mixture.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        labels : ndarray of shape (n_samples,)
            The component each sample came from.
        """
        if not hasattr(self, "means_"):
            raise NotFittedError("sample needs a fitted model; call fit first")
        n_samples = check_int("n_samples", n_samples, 1)
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_ / self.weights_.sum())
        d = self.n_features_in_
        cov = self.covariances_
        parts = []
        for k, count in enumerate(counts):
            if self.covariance_type == "full":
                parts.append(rng.multivariate_normal(self.means_[k], cov[k], count))
            elif self.covariance_type == "tied":
                parts.append(rng.multivariate_normal(self.means_[k], cov, count))
            else:
                scale = np.sqrt(cov[k])
                parts.append(self.means_[k] + rng.standard_normal((count, d)) * scale)
        labels = np.repeat(np.arange(self.n_components), counts.astype(np.intp))
        return np.vstack(parts), labels
