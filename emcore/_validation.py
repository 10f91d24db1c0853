"""Argument checks shared by the public entry points.

Every check raises ``ValueError`` naming the parameter, the offending value and
what is allowed, so that a message can be shown to a user as it is.
"""

from __future__ import annotations

import numbers

import numpy as np

#: The four covariance types, in scikit-learn's order; every other module imports these.
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

#: Largest magnitude accepted in data: EM squares coordinates, and beyond
#: about 1e154 the squares overflow float64.
MAX_ABS_VALUE = 1e100


def _show(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_int(name, value, low=None, high=None):
    """Return ``value`` as an int in ``[low, high]`` or raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        allowed = "" if low is None and high is None else _range_text(low, high)
        raise ValueError(
            f"{name} must be an integer; got {_show(value)}"
            + (f" (allowed: {allowed})" if allowed else "")
        )
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_range_text(low, high)}; got {value}")
    return value


def check_float(name, value, low=None, high=None, *, low_open=False):
    """Return ``value`` as a finite float in the range or raise ``ValueError``.

    ``low_open`` makes the lower bound exclusive (``value > low``).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        allowed = (
            "" if low is None and high is None else _range_text(low, high, low_open)
        )
        raise ValueError(
            f"{name} must be a real number; got {_show(value)}"
            + (f" (allowed: {allowed})" if allowed else "")
        )
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and value > high
    if not np.isfinite(value) or too_low or too_high:
        raise ValueError(
            f"{name} must be {_range_text(low, high, low_open)}; got {_show(value)}"
        )
    return value


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices`` or raise ``ValueError``."""
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {allowed}; got {_show(value)}")
    return value


def check_covariance_type(value):
    return check_choice("covariance_type", value, COVARIANCE_TYPES)


def check_X(X, name="X", *, n_features=None, min_samples=1):
    """Return ``X`` as a C-contiguous float64 array of shape (n_samples, n_features).

    Raises ``ValueError`` for a wrong number of dimensions, too few samples,
    a feature count different from ``n_features``, or NaN/inf entries.
    """
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric 2-D array; {exc}") from None
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features); "
            f"got an array with {arr.ndim} dimension(s) and shape {arr.shape}"
        )
    if arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least 1 feature; got shape {arr.shape}")
    if arr.shape[0] < min_samples:
        raise ValueError(
            f"{name} must have at least {min_samples} samples; got {arr.shape[0]}"
        )
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} features, but the model was fitted with "
            f"{n_features} features"
        )
    if not np.all(np.isfinite(arr)):
        bad = ~np.isfinite(arr)
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} must contain only finite numbers; found "
            f"{int(np.count_nonzero(bad))} NaN or infinite value(s), the first "
            f"{arr[row, col]} at row {row}, column {col}"
        )
    if arr.size and np.max(np.abs(arr)) > MAX_ABS_VALUE:
        row, col = np.unravel_index(np.argmax(np.abs(arr)), arr.shape)
        raise ValueError(
            f"{name} values must lie within +-{MAX_ABS_VALUE:g} (their squares "
            f"must fit in a float64); got {arr[row, col]:g} at row {row}, column "
            f"{col}. Rescale the data."
        )
    return np.ascontiguousarray(arr)


def check_random_state(random_state):
    """Turn ``None``, an int seed, a ``Generator`` or a ``RandomState`` into a
    ``np.random.Generator``.

    An int seeds PCG64 (the same stream in CPython and Pyodide); a
    ``RandomState`` (scikit-learn's kind) seeds a new Generator from one of its
    draws, so that it advances with every use, as in scikit-learn.
    """
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral):
        raise ValueError(
            "random_state must be None, a non-negative integer, a "
            "numpy.random.Generator or a numpy.random.RandomState; got "
            f"{_show(random_state)}"
        )
    if random_state < 0:
        raise ValueError(
            f"random_state must be a non-negative integer; got {random_state}"
        )
    return np.random.default_rng(int(random_state))


def _range_text(low, high, low_open=False):
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low}, {high}]"
    if low is not None:
        return f"{'>' if low_open else '>='} {low}"
    if high is not None:
        return f"<= {high}"
    return "finite"


def precision_shape(covariance_type, n_components, n_features):
    """Shape of covariances / precisions for a covariance type."""
    return {
        "full": (n_components, n_features, n_features),
        "tied": (n_features, n_features),
        "diag": (n_components, n_features),
        "spherical": (n_components,),
    }[covariance_type]


def check_shape(name, value, shape):
    """Return ``value`` as a float64 array of ``shape`` with finite entries."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a numeric array of shape {shape}; got {_show(value)}"
        ) from None
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        first = arr[~np.isfinite(arr)][0]
        raise ValueError(
            f"{name} must contain only finite numbers; found {bad} NaN or "
            f"infinite value(s), the first {first}"
        )
    return arr


def check_parameters(weights, means, precisions_cholesky, covariance_type, n_features):
    """Validate a full parameter set for EM; returns float64 arrays."""
    means = np.asarray(means, dtype=np.float64)
    if means.ndim != 2:
        raise ValueError(
            f"means must have shape (n_components, {n_features}); got shape "
            f"{means.shape}"
        )
    n_components = means.shape[0]
    means = check_shape("means", means, (n_components, n_features))
    # EM accepts unnormalised weights: scikit-learn's one-hot starts
    # (k-means++, random_from_data) begin with weights summing to K / N.
    weights = check_shape("weights", weights, (n_components,))
    if np.any(weights < 0) or not weights.sum() > 0:
        raise ValueError(
            "weights must be non-negative with a positive sum; got min "
            f"{weights.min():.6g} and sum {weights.sum():.6g}"
        )
    prec = check_shape(
        "precisions_cholesky",
        precisions_cholesky,
        precision_shape(covariance_type, n_components, n_features),
    )
    check_precisions_cholesky(prec, covariance_type)
    return weights, means, prec


def check_precisions_cholesky(prec, covariance_type):
    """Factors must have a positive diagonal (they give the log-determinant)
    and, for full and tied, be upper triangular (``precision = U @ U.T``)."""
    if covariance_type in ("full", "tied"):
        stack = prec.reshape((-1,) + prec.shape[-2:])
        diag = np.diagonal(stack, axis1=1, axis2=2)
        below = np.abs(np.tril(stack, -1)).max(axis=(1, 2))
        if np.any(below > 0):
            k = int(np.argmax(below > 0))
            raise ValueError(
                "precisions_cholesky must be upper triangular (precision = "
                f"U @ U.T); component {k} has a non-zero entry below the "
                f"diagonal (largest {below[k]:.6g})"
            )
    else:
        diag = prec.reshape(len(prec), -1)
    if np.any(diag <= 0):
        k = int(np.argmax(np.any(diag <= 0, axis=1)))
        raise ValueError(
            "precisions_cholesky must have a positive diagonal (> 0); component "
            f"{k} has {diag[k].min():.6g}"
        )
