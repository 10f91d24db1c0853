"""scikit-learn's estimator protocol without scikit-learn.

:class:`ParamsBase` gives an estimator ``get_params``/``set_params`` (from its
constructor's signature, as scikit-learn introspects them), a ``repr`` of the
parameters that differ from their defaults, and ``__sklearn_tags__``, which
imports scikit-learn only when scikit-learn's own tooling calls it.
:class:`MixtureBase` adds what every mixture estimator shares once fitted
(scikit-learn's ``BaseMixture``): scoring, labelling and sampling from the
weighted log-densities a subclass defines, the checks of the parameters all
mixtures have, and scikit-learn's verbose messages.
:func:`validate_data` checks ``X`` at a public entry point with scikit-learn's
wording and sets or checks ``n_features_in_`` and ``feature_names_in_``.
"""

from __future__ import annotations

import inspect
import numbers
import sys
import time
import warnings

import numpy as np

from ._validation import (
    MAX_ABS_VALUE,
    check_choice,
    check_covariance_type,
    check_float,
    check_int,
    check_random_state,
)
from .densities import logsumexp, precisions_from_cholesky
from .exceptions import resolve
from .initialization import INIT_METHODS
from .kernels.moments import normalise_log_prob

__all__ = ["MixtureBase", "ParamsBase", "validate_data"]


class ParamsBase:
    """Parameters, ``repr`` and tags of a scikit-learn style estimator.

    Subclasses store every constructor argument unchanged under its own name
    and do nothing else in ``__init__`` (scikit-learn's rule, so that
    ``clone`` and ``set_params`` work).
    """

    @classmethod
    def _get_param_names(cls):
        signature = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind != p.VAR_KEYWORD
        )

    def get_params(self, deep=True):
        """Constructor parameters of this estimator.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of parameters that are estimators, as
            ``name__parameter``.

        Returns
        -------
        params : dict
        """
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set constructor parameters (``name`` or ``name__parameter``).

        Returns
        -------
        self
        """
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self}. Valid "
                    f"parameters are: {self._get_param_names()!r}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self):
        defaults = {
            p.name: p.default
            for p in inspect.signature(type(self).__init__).parameters.values()
        }
        changed = []
        for name in self._get_param_names():
            value = getattr(self, name)
            default = defaults.get(name, inspect.Parameter.empty)
            if repr(value) != repr(default) and not (
                _is_nan(value) and _is_nan(default)
            ):
                changed.append(f"{name}={value!r}")
        # n_components first, as it is the one positional parameter
        changed.sort(key=lambda item: not item.startswith("n_components="))
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        # called by scikit-learn only, so scikit-learn is there to import
        from sklearn.utils import Tags, TargetTags

        return Tags(
            estimator_type="density_estimator",
            target_tags=TargetTags(required=False),
        )


class MixtureBase(ParamsBase):
    """What every mixture estimator shares: scikit-learn's ``BaseMixture``.

    A subclass defines ``fit_steps(X)`` (a generator that fits the estimator
    when exhausted) and ``_weighted_log_prob(X)``, the (n_samples, K) array
    that scoring normalises (``log pi_k + log N(x | k)`` for EM, its
    variational expectation for variational Bayes), and stores
    ``n_components``, ``covariance_type``, ``tol``, ``reg_covar``,
    ``max_iter``, ``n_init``, ``init_params``, ``random_state``,
    ``warm_start``, ``verbose`` and ``verbose_interval``.
    """

    # --- checks -------------------------------------------------------------

    def _check_common_parameters(self, X):
        """The parameters every mixture has, checked against ``X``; returns
        ``n_components``."""
        K = check_int("n_components", self.n_components, 1)
        n_samples = X.shape[0]
        if n_samples < K:
            raise ValueError(
                "Expected n_samples >= n_components but got n_components = "
                f"{K}, n_samples = {n_samples} (X must have at least "
                "n_components samples)"
            )
        check_covariance_type(self.covariance_type)
        check_float("tol", self.tol, 0.0)
        check_float("reg_covar", self.reg_covar, 0.0)
        check_int("max_iter", self.max_iter, 0)
        check_int("n_init", self.n_init, 1)
        check_choice("init_params", self.init_params, INIT_METHODS)
        if not isinstance(self.warm_start, (bool, np.bool_)):
            raise ValueError(
                f"warm_start must be True or False; got {self.warm_start!r}"
            )
        check_int("verbose", self.verbose, 0)
        check_int("verbose_interval", self.verbose_interval, 1)
        return K

    def _check_fitted(self):
        if not hasattr(self, "means_"):
            raise resolve("NotFittedError")(
                f"This {type(self).__name__} instance is not fitted yet. Call "
                "'fit' with appropriate arguments before using this estimator."
            )

    def _validate(self, X):
        """Fitted model and ``X`` checked; ``X`` in float64, and its dtype."""
        self._check_fitted()
        X = validate_data(self, X, reset=False)
        return X.astype(np.float64, copy=False), X.dtype

    def _current_parameters(
        self, names=("weights_", "means_", "covariances_", "precisions_cholesky_")
    ):
        """The fitted parameters in float64 (a warm start continues from them)."""
        return tuple(
            np.asarray(getattr(self, name), dtype=np.float64) for name in names
        )

    def _set_fitted(self, weights, means, covariances, precisions_cholesky, dtype):
        """Store the fitted parameters (and the precisions) in ``dtype``, X's
        precision, as scikit-learn does."""
        cast = dict(dtype=dtype, copy=False)
        self.weights_ = weights.astype(**cast)
        self.means_ = means.astype(**cast)
        self.covariances_ = np.asarray(covariances).astype(**cast)
        self.precisions_cholesky_ = np.asarray(precisions_cholesky).astype(**cast)
        self.precisions_ = precisions_from_cholesky(
            precisions_cholesky, self.covariance_type
        ).astype(**cast)

    def _set_outcome(self, best):
        """Store how the best start ended: ``converged_``, ``n_iter_``,
        ``lower_bound_`` and ``lower_bounds_``."""
        self.converged_ = best.converged
        self.n_iter_ = best.n_iter
        self.lower_bound_ = best.lower_bound
        self.lower_bounds_ = list(best.lower_bounds)

    @staticmethod
    def _better_start(best, result):
        """The winner so far after ``result`` (both have a ``lower_bound``):
        scikit-learn's rule, in which a later start also wins ties with
        ``-inf``."""
        if (
            best is None
            or best.lower_bound == -np.inf
            or result.lower_bound > best.lower_bound
        ):
            return result
        return best

    def _warn_if_not_converged(self):
        if not self.converged_ and self.max_iter > 0:
            warnings.warn(
                "Best performing initialization did not converge. Try different "
                "init parameters, or increase max_iter, tol, or check for "
                f"degenerate data. (max_iter = {self.max_iter}, tol = {self.tol})",
                resolve("ConvergenceWarning"),
                stacklevel=3,
            )

    # --- verbose output, in scikit-learn's words ---------------------------

    def _print_start(self, start):
        if self.verbose:
            print(f"Initialization {start}")

    def _print_iteration(self, snap, began):
        if not self.verbose or snap.iteration % self.verbose_interval:
            return
        if self.verbose == 1:
            print(f"  Iteration {snap.iteration}")
        else:
            lapse = time.perf_counter() - began
            print(
                f"  Iteration {snap.iteration}\t time lapse {lapse:.5f}s\t "
                f"ll change {snap.change:.5f}"
            )

    def _print_start_end(self, result, began):
        if not self.verbose:
            return
        status = "converged" if result.converged else "did not converge"
        if self.verbose == 1:
            print(f"Initialization {status}.")
        else:
            lapse = time.perf_counter() - began
            print(
                f"Initialization {status}. time lapse {lapse:.5f}s\t lower bound "
                f"{result.lower_bound:.5f}."
            )

    # --- fitting and using a fitted model -----------------------------------

    def fit(self, X, y=None):
        """Estimate the parameters (``n_init`` starts, the best kept).

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

    def score_samples(self, X):
        """Log-likelihood of each sample.

        Returns
        -------
        log_prob : ndarray of shape (n_samples,)
            In ``X``'s precision (float32 or float64).
        """
        X, dtype = self._validate(X)
        return logsumexp(self._weighted_log_prob(X), axis=1).astype(dtype)

    def score(self, X, y=None):
        """Per-sample mean log-likelihood of ``X``."""
        # the mean of score_samples, in X's precision, as scikit-learn has it
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X):
        """Responsibilities of each component for each sample.

        Returns
        -------
        resp : ndarray of shape (n_samples, n_components)
            In ``X``'s precision (float32 or float64); rows sum to 1.
        """
        X, dtype = self._validate(X)
        weighted = np.ascontiguousarray(self._weighted_log_prob(X).T)
        _, resp, _ = normalise_log_prob(weighted)
        return resp.astype(dtype)

    def predict(self, X):
        """Most responsible component of each sample, shape (n_samples,)."""
        X, _ = self._validate(X)
        return np.argmax(self._weighted_log_prob(X), axis=1)

    def sample(self, n_samples=1):
        """Draw samples from the fitted mixture.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        labels : ndarray of shape (n_samples,)
            The component each sample came from.
        """
        self._check_fitted()
        if isinstance(n_samples, numbers.Integral) and n_samples < 1:
            raise ValueError(
                f"Invalid value for 'n_samples': {n_samples} . The sampling "
                "requires at least one sample (n_samples must be >= 1)."
            )
        n_samples = check_int("n_samples", n_samples, 1)
        rng = check_random_state(self.random_state)
        weights, means, cov, _ = self._current_parameters()
        counts = rng.multinomial(n_samples, weights / weights.sum())
        d = means.shape[1]
        parts = []
        for k, count in enumerate(counts):
            if self.covariance_type == "full":
                parts.append(rng.multivariate_normal(means[k], cov[k], count))
            elif self.covariance_type == "tied":
                parts.append(rng.multivariate_normal(means[k], cov, count))
            else:
                scale = np.sqrt(cov[k])
                parts.append(means[k] + rng.standard_normal((count, d)) * scale)
        labels = np.repeat(np.arange(len(weights)), counts.astype(np.intp))
        return np.vstack(parts).astype(self.means_.dtype, copy=False), labels


def _is_nan(value):
    return isinstance(value, float) and value != value


# --- input validation ---------------------------------------------------------


def _feature_names(X):
    """Column names of a DataFrame-like ``X`` when all are strings, else None."""
    columns = getattr(X, "columns", None)
    if columns is None or isinstance(X, np.ndarray):
        return None
    names = np.asarray(columns, dtype=object)
    if names.ndim != 1 or len(names) == 0:
        return None
    types = sorted({type(name).__qualname__ for name in names})
    if len(types) > 1 and "str" in types:
        raise TypeError(
            "Feature names are only supported if all input features have string "
            f"names, but your input has {types} as feature name / column name "
            "types. If you want feature names to be stored and validated, you "
            "must convert them all to strings, by using X.columns = "
            "X.columns.astype(str) for example. Otherwise you can remove feature "
            "/ column names from your input data, or convert them all to a "
            "non-string data type."
        )
    return names if types == ["str"] else None


def _name_list(title, names, limit=5):
    shown = [f"- {name}" for name in names[:limit]]
    if len(names) > limit:
        shown.append("- ...")
    return f"{title}\n" + "\n".join(shown) + "\n"


def _check_feature_names(estimator, X, reset):
    names = _feature_names(X)
    cls = type(estimator).__name__
    if reset:
        if names is not None:
            estimator.feature_names_in_ = names
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return
    fitted = getattr(estimator, "feature_names_in_", None)
    if names is None and fitted is None:
        return
    if fitted is None:
        warnings.warn(
            f"X has feature names, but {cls} was fitted without feature names",
            UserWarning,
            stacklevel=4,
        )
        return
    if names is None:
        warnings.warn(
            f"X does not have valid feature names, but {cls} was fitted with "
            "feature names",
            UserWarning,
            stacklevel=4,
        )
        return
    if len(fitted) == len(names) and np.all(fitted == names):
        return
    message = "The feature names should match those that were passed during fit.\n"
    unseen = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    if unseen:
        message += _name_list("Feature names unseen at fit time:", unseen)
    if missing:
        message += _name_list(
            "Feature names seen at fit time, yet now missing:", missing
        )
    if not unseen and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def _reshape_hint(kind, array):
    return (
        f"Expected 2D array, got {kind} array instead:\narray={array}.\n"
        "Reshape your data either using array.reshape(-1, 1) if your data has a "
        "single feature or array.reshape(1, -1) if it contains a single sample."
    )


def validate_data(estimator, X, *, reset, min_samples=1):
    """``X`` as a C-contiguous float64 or float32 array, checked like
    scikit-learn's ``validate_data`` (same exceptions and wording).

    With ``reset=True`` (in ``fit``) it records ``n_features_in_`` and
    ``feature_names_in_``; otherwise it checks ``X`` against them.

    Parameters
    ----------
    estimator : ParamsBase
    X : array-like of shape (n_samples, n_features)
    reset : bool
    min_samples : int, default=1

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        float32 if ``X`` was float32, else float64.
    """
    cls = type(estimator).__name__
    _check_feature_names(estimator, X, reset)
    sparse = sys.modules.get("scipy.sparse")
    if sparse is not None and sparse.issparse(X):
        raise TypeError(
            "Sparse data was passed for X, but dense data is required. Use "
            "'.toarray()' to convert to a dense numpy array."
        )
    raw = X if isinstance(X, np.ndarray) else np.asarray(X)
    if raw.dtype.kind == "c":
        raise ValueError(f"Complex data not supported\n{raw}\n")
    dtype = np.float32 if raw.dtype == np.float32 else np.float64
    arr = raw.astype(dtype, copy=False)  # object and str raise numpy's TypeError
    if arr.ndim == 0:
        raise ValueError(_reshape_hint("scalar", arr))
    if arr.ndim == 1:
        raise ValueError(_reshape_hint("1D", arr))
    if arr.ndim > 2:
        raise ValueError(f"Found array with dim {arr.ndim}. {cls} expected <= 2.")
    if not np.isfinite(arr).all():
        bad = ~np.isfinite(arr)
        row, col = np.argwhere(bad)[0]
        detail = (
            f" X must contain only finite numbers; found "
            f"{int(np.count_nonzero(bad))} NaN or infinite value(s), the first "
            f"{arr[row, col]} at row {row}, column {col}."
        )
        if np.isnan(arr).any():
            raise ValueError(
                f"Input X contains NaN.\n{cls} does not accept missing values "
                "encoded as NaN natively." + detail
            )
        raise ValueError(
            f"Input X contains infinity or a value too large for {arr.dtype!r}."
            + detail
        )
    n_samples, n_features = arr.shape
    if n_samples < min_samples:
        raise ValueError(
            f"Found array with {n_samples} sample(s) (shape={arr.shape}) while a "
            f"minimum of {min_samples} is required by {cls}."
        )
    if n_features < 1:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={arr.shape}) while a minimum "
            f"of 1 is required by {cls}."
        )
    largest = float(np.max(np.abs(arr))) if arr.size else 0.0
    if largest > MAX_ABS_VALUE:
        raise ValueError(
            f"X values must lie within +-{MAX_ABS_VALUE:g} (their squares must fit "
            f"in a float64); got {largest:g}. Rescale the data."
        )
    if reset:
        estimator.n_features_in_ = n_features
    elif n_features != estimator.n_features_in_:
        raise ValueError(
            f"X has {n_features} features, but {cls} is expecting "
            f"{estimator.n_features_in_} features as input."
        )
    return np.ascontiguousarray(arr)
