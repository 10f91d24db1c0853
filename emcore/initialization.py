"""Starting points for EM: k-means++ seeding, Lloyd's k-means, initial
responsibilities for each of scikit-learn's ``init_params`` methods, and
``"whitened"``: k-means on the data whitened to identity covariance, which
finds long parallel clusters that k-means on the raw data cuts across; and
the checks of initial parameters a user gives (``weights_init``,
``means_init``, ``precisions_init``, and priors of the same shapes)."""

from __future__ import annotations

import numpy as np

from ._validation import (
    check_choice,
    check_int,
    check_random_state,
    check_X,
    precision_shape,
)
from .densities import precision_cholesky_from_precisions
from .kernels.rowblocks import run_steps as _run_steps

INIT_METHODS = ("kmeans", "k-means++", "random", "random_from_data", "whitened")

__all__ = [
    "INIT_METHODS",
    "initial_responsibilities",
    "kmeans",
    "kmeans_plusplus",
    "whiten",
]


def _squared_distances(X, centers, x_norms=None):
    """Squared distances, shape (n_centers, n_samples); ``x_norms`` are the
    squared norms of the rows of ``X`` when known (the same values).

    Centres along the first axis: every elementwise pass then runs over a
    row of n_samples values. The (n_samples, n_centers) layout makes numpy
    loop over rows of 2-8 values, 10x slower in Pyodide's wasm numpy.
    """
    d2 = centers @ X.T
    d2 *= -2.0
    d2 += np.einsum("nd,nd->n", X, X) if x_norms is None else x_norms
    d2 += np.einsum("kd,kd->k", centers, centers)[:, np.newaxis]
    return np.maximum(d2, 0.0, out=d2)


def kmeans_plusplus(X, n_clusters, random_state=None, n_local_trials=None):
    """Greedy k-means++ seeding (Arthur & Vassilvitskii 2007).

    The first centre is a uniformly drawn sample; each next one is the best,
    by the resulting potential (sum of squared distances to the nearest
    centre), of ``n_local_trials`` candidates drawn with probability
    proportional to their squared distance to the centres chosen so far.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_clusters : int
    random_state : None, int or numpy.random.Generator
    n_local_trials : int, optional
        Defaults to ``2 + int(log(n_clusters))`` as in scikit-learn.

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    indices : ndarray of shape (n_clusters,)
        Row of ``X`` chosen for each centre.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [9.0, 9.0], [9.1, 9.0]])
    >>> centers, idx = kmeans_plusplus(X, 2, random_state=0)
    >>> sorted(int(i) // 2 for i in idx)  # one seed from each pair
    [0, 1]
    """
    X = check_X(X)
    n_clusters = check_int("n_clusters", n_clusters, 1, X.shape[0])
    rng = check_random_state(random_state)
    if n_local_trials is not None:
        n_local_trials = check_int("n_local_trials", n_local_trials, 1)
    return _kmeans_plusplus(X, n_clusters, rng, n_local_trials)


def _kmeans_plusplus(X, n_clusters, rng, n_local_trials=None):
    """:func:`kmeans_plusplus` on validated arguments (``rng`` a Generator)."""
    return _run_steps(_kmeans_plusplus_steps(X, n_clusters, rng, n_local_trials))


def _distance_steps(X, centers, slices, closest=None, x_norms=None):
    """:func:`_squared_distances` by row blocks (each entry as in the whole
    array), then ``np.minimum(closest, ...)`` if ``closest`` is given; a
    generator that yields None between blocks and returns the
    (n_centers, n_samples) array. ``x_norms``: the rows' squared norms,
    when known."""
    if len(slices) == 1:  # the whole array, without a copy
        d2 = _squared_distances(X, centers, x_norms)
        return d2 if closest is None else np.minimum(closest, d2, out=d2)
    out = np.empty((len(centers), len(X)))
    for i, sl in enumerate(slices):
        if i:
            yield
        d2 = _squared_distances(
            X[sl], centers, None if x_norms is None else x_norms[sl]
        )
        out[:, sl] = d2 if closest is None else np.minimum(closest[sl], d2, out=d2)
    return out


def _kmeans_plusplus_steps(X, n_clusters, rng, n_local_trials=None, slices=None):
    """:func:`_kmeans_plusplus` as a generator: yields None after each centre
    after the first (and between the row blocks of ``slices``, see
    :func:`emcore.kernels.rowblocks.row_slices`), returns ``(centers, indices)``.

    Only the distances are split by rows; the potentials and cumulative sums
    that choose the centres are whole-array sums, so the centres do not
    depend on the blocks."""
    n_samples = X.shape[0]
    slices = slices or (slice(None),)
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))

    indices = np.empty(n_clusters, dtype=np.int64)
    indices[0] = rng.integers(n_samples)
    # each row's squared norm, once for every centre (row by row, so the
    # same whole or by blocks)
    norms = np.einsum("nd,nd->n", X, X)
    closest = (yield from _distance_steps(X, X[indices[:1]], slices, None, norms))[0]
    potential = closest.sum()
    for c in range(1, n_clusters):
        targets = rng.uniform(size=n_local_trials) * potential
        candidates = np.searchsorted(np.cumsum(closest), targets)
        np.clip(candidates, None, n_samples - 1, out=candidates)
        if len(slices) > 1:
            yield
        trial = yield from _distance_steps(X, X[candidates], slices, closest, norms)
        trial_potential = trial.sum(axis=1)
        best = int(np.argmin(trial_potential))
        potential = trial_potential[best]
        closest = trial[best]
        indices[c] = candidates[best]
        yield
    return X[indices].copy(), indices


def kmeans(X, n_clusters, random_state=None, max_iter=300, tol=1e-4):
    """Lloyd's k-means seeded by k-means++.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_clusters : int
    random_state : None, int or numpy.random.Generator
    max_iter : int, default=300
    tol : float, default=1e-4
        Stop when the squared centre shift is at most ``tol`` times the mean
        feature variance (scikit-learn's rule).

    Returns
    -------
    centers : ndarray of shape (n_clusters, n_features)
    labels : ndarray of shape (n_samples,)
        Index of the nearest final centre for every sample.
    """
    X = check_X(X)
    n_clusters = check_int("n_clusters", n_clusters, 1, X.shape[0])
    rng = check_random_state(random_state)
    max_iter = check_int("max_iter", max_iter, 1)
    return _kmeans(X, n_clusters, rng, max_iter, tol)


def _kmeans(X, n_clusters, rng, max_iter=300, tol=1e-4):
    """:func:`kmeans` on validated arguments (``rng`` a Generator)."""
    return _run_steps(_kmeans_steps(X, n_clusters, rng, max_iter, tol))


def _kmeans_steps(X, n_clusters, rng, max_iter=300, tol=1e-4, slices=None):
    """:func:`_kmeans` as a generator: yields None after each seed centre
    and after each Lloyd iteration (and between the row blocks of
    ``slices``), returns ``(centers, labels)``; a caller that must stay
    responsive (the browser page) resumes it a step at a time. Only the
    distances are split by rows, so the result does not depend on the blocks."""
    slices = slices or (slice(None),)
    centers, _ = yield from _kmeans_plusplus_steps(X, n_clusters, rng, None, slices)
    yield
    centers, labels, _ = yield from _lloyd_steps(X, centers, max_iter, tol, slices)
    return centers, labels


def _lloyd_steps(X, centers, max_iter, tol, slices=None):
    """Lloyd's iterations from ``centers`` (n_clusters, n_features), as in
    scikit-learn's ``KMeans(init=centers, n_init=1, algorithm="lloyd")``.

    Each iteration assigns every sample to its nearest centre and moves each
    centre to the mean of its samples; a cluster left empty restarts at the
    samples worst served (farthest from their nearest centre), the worst for
    the lowest-numbered empty cluster. The iterations stop after the first
    whose summed squared centre shift is at most ``tol`` times the mean
    feature variance of ``X``, or after ``max_iter``.

    A generator that yields None after each iteration not stopped by the
    shift (and between the row blocks of ``slices``); returns ``(centers,
    labels, n_iter)``, the labels being those of the final centres.
    """
    slices = slices or (slice(None),)
    n_clusters = len(centers)
    threshold = tol * float(np.mean(np.var(X, axis=0)))
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        d2 = yield from _distance_steps(X, centers, slices)
        if len(slices) > 1:
            yield
        labels = np.argmin(d2, axis=0)
        counts = np.bincount(labels, minlength=n_clusters)
        # per-cluster sums, added in sample order as np.add.at would
        sums = np.stack(
            [
                np.bincount(labels, weights=X[:, j], minlength=n_clusters)
                for j in range(X.shape[1])
            ],
            axis=1,
        )
        new = centers.copy()
        filled = counts > 0
        new[filled] = sums[filled] / counts[filled, np.newaxis]
        empty = np.flatnonzero(~filled)
        if empty.size:
            # an empty cluster restarts at the points worst served so far
            far = np.argsort(d2[labels, np.arange(len(X))])[::-1][: empty.size]
            new[empty] = X[far]
        shift = float(np.sum((new - centers) ** 2))
        centers = new
        if shift <= threshold:
            break
        yield
    labels = np.argmin((yield from _distance_steps(X, centers, slices)), axis=0)
    return centers, labels, n_iter


def initial_responsibilities(X, n_components, init_params, random_state=None):
    """Responsibilities that seed EM, by scikit-learn's ``init_params`` rules.

    ``"kmeans"``: one-hot on k-means labels; ``"k-means++"``: one-hot on the K
    k-means++ seed points only (so the first covariances are about
    ``reg_covar``); ``"random"``: uniform random rows normalised to 1;
    ``"random_from_data"``: one-hot on K distinct random samples;
    ``"whitened"`` (not in scikit-learn): one-hot on the k-means labels of
    the whitened data (:func:`whiten`), so that the first M-step, on the
    data as given, starts from clusters found where every direction has the
    same spread.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    n_components : int
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data', \
'whitened'}
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    resp : ndarray of shape (n_samples, n_components)
    """
    init_params = check_choice("init_params", init_params, INIT_METHODS)
    X = check_X(X)
    n_components = check_int("n_components", n_components, 1, X.shape[0])
    rng = check_random_state(random_state)
    return _initial_responsibilities(X, n_components, init_params, rng)


def _initial_responsibilities(X, n_components, init_params, rng):
    """:func:`initial_responsibilities` on validated arguments."""
    return _run_steps(_initial_responsibility_steps(X, n_components, init_params, rng))


def _initial_responsibility_steps(X, n_components, init_params, rng, slices=None):
    """:func:`_initial_responsibilities` as a generator: yields None between
    the k-means++ centres and the k-means iterations (and their row blocks,
    ``slices``), returns ``resp``."""
    n_samples = X.shape[0]
    resp = np.zeros((n_samples, n_components))
    if init_params == "kmeans":
        _, labels = yield from _kmeans_steps(X, n_components, rng, slices=slices)
        resp[np.arange(n_samples), labels] = 1.0
    elif init_params == "random":
        resp = rng.uniform(size=(n_samples, n_components))
        resp /= resp.sum(axis=1)[:, np.newaxis]
    elif init_params == "random_from_data":
        indices = rng.choice(n_samples, size=n_components, replace=False)
        resp[indices, np.arange(n_components)] = 1.0
    elif init_params == "whitened":
        _, labels = yield from _kmeans_steps(
            _whiten(X), n_components, rng, slices=slices
        )
        resp[np.arange(n_samples), labels] = 1.0
    else:
        _, indices = yield from _kmeans_plusplus_steps(
            X, n_components, rng, None, slices
        )
        resp[indices, np.arange(n_components)] = 1.0
    return resp


#: Ridge added to the correlation matrix before whitening: data on a line
#: still whiten, the null directions to about zero.
_WHITEN_RIDGE = 1e-12


def whiten(X):
    """The data moved to mean zero and identity covariance.

    Each feature is centred and divided by its standard deviation (a
    constant feature stays 0), then decorrelated: ``Z = Y L^-T`` with ``L``
    the Cholesky factor of the correlation matrix plus ``1e-12`` times the
    identity (so that data on a line whiten too). Euclidean distances
    between the rows of ``Z`` are Mahalanobis distances under the data's
    covariance, the same for any rotation or rescaling of ``X``; so k-means
    on ``Z`` (the ``"whitened"`` start) sees long, thin parallel clusters as
    well separated as round ones, where k-means on ``X`` cuts them across.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    Z : ndarray of shape (n_samples, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 2)) @ np.array([[3.0, 1.0], [0.0, 0.5]]) + 7
    >>> Z = whiten(X)
    >>> np.round(Z.mean(axis=0), 12) + 0.0, np.round(np.cov(Z.T, bias=True), 6)
    (array([0., 0.]), array([[1., 0.],
           [0., 1.]]))
    """
    return _whiten(check_X(X))


def _whiten(X):
    """:func:`whiten` on a validated array."""
    centred = X - X.mean(axis=0)
    sd = np.sqrt(np.einsum("nd,nd->d", centred, centred) / X.shape[0])
    # by the standard deviations first: the ridge is then relative to every
    # feature's own spread, whatever their units
    scaled = centred / np.where(sd > 0, sd, 1.0)
    corr = scaled.T @ scaled / X.shape[0]
    chol = np.linalg.cholesky(corr + _WHITEN_RIDGE * np.eye(X.shape[1]))
    # Z L^T = scaled, solved for Z
    return np.ascontiguousarray(np.linalg.solve(chol, scaled.T).T)


def check_initial_parameters(
    weights_init, means_init, precisions_init, covariance_type, n_components, n_features
):
    """The initial parameters a user gave, checked with scikit-learn's wording.

    Parameters
    ----------
    weights_init : array-like of shape (n_components,) or None
    means_init : array-like of shape (n_components, n_features) or None
    precisions_init : array-like or None
        full (K, d, d), tied (d, d), diag (K, d), spherical (K,).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    n_components, n_features : int

    Returns
    -------
    dict
        ``weights``, ``means`` and ``precisions_cholesky`` (the Cholesky
        factors of the precisions) for the parameters given, as float64.
    """
    inits = {}
    K, d = n_components, n_features
    if weights_init is not None:
        inits["weights"] = _check_weights_init(weights_init, K)
    if means_init is not None:
        inits["means"] = _init_array("means_init", "means", means_init, (K, d))
    if precisions_init is not None:
        inits["precisions_cholesky"] = _check_precisions_init(
            precisions_init, covariance_type, K, d
        )
    return inits


def _init_array(name, sk_name, value, shape):
    """An initial parameter as float64 of ``shape``, checked with
    scikit-learn's wording followed by emcore's."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != shape:
        raise ValueError(
            f"The parameter '{sk_name}' should have the shape of {shape}, but got "
            f"{arr.shape} ({name} must have shape {shape}; got shape {arr.shape})"
        )
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise ValueError(
            f"{name} must contain only finite numbers; found {bad} NaN or "
            f"infinite value(s), the first {arr[~np.isfinite(arr)][0]}"
        )
    return arr


def _check_weights_init(weights, n_components):
    given = np.asarray(weights)
    weights = _init_array("weights_init", "weights", given, (n_components,))
    # float32 weights are only as normalised as float32 allows (scikit-learn's
    # tolerances)
    atol = 1e-6 if given.dtype == np.float32 else 1e-8
    total = weights.sum()
    low, high = weights.min(), weights.max()
    if low < 0 or high > 1:
        # scikit-learn's message labels the minimum "max" and the maximum "min"
        raise ValueError(
            "The parameter 'weights' should be in the range [0, 1], but got max "
            f"value {low:.5f}, min value {high:.5f} (weights_init must lie in "
            f"[0, 1]; got min {low} and max {high})"
        )
    if not np.allclose(np.abs(1.0 - total), 0.0, atol=atol):
        raise ValueError(
            "The parameter 'weights' should be normalized, but got sum(weights) "
            f"= {total:.5f} (weights_init must sum to 1; got sum {total:.6g})"
        )
    return weights


def check_positive_definite(name, sk_label, value, shape, covariance_type):
    """A covariance-like initial parameter or prior as float64 of ``shape``:
    positive entries (diag, spherical) or symmetric positive-definite
    matrices (full, tied); the message starts with scikit-learn's words about
    ``sk_label`` (e.g. ``'full precision'``) and goes on in emcore's about
    ``name``."""
    value = _init_array(name, sk_label, value, shape)
    if covariance_type in ("diag", "spherical"):
        if np.any(value <= 0):
            raise ValueError(
                f"'{sk_label}' should be positive: {name} must be positive "
                f"(> 0); got minimum {value.min():.6g}"
            )
        return value
    lead = f"'{sk_label}' should be symmetric, positive-definite: "
    n_features = shape[-1]
    stack = value.reshape(-1, n_features, n_features)
    asym = np.abs(stack - np.swapaxes(stack, 1, 2)).max(axis=(1, 2))
    scale = np.abs(stack).max(axis=(1, 2))
    if np.any(asym > 1e-8 * scale):
        k = int(np.argmax(asym > 1e-8 * scale))
        raise ValueError(
            f"{lead}{name} must be symmetric matrices; matrix {k} "
            f"differs from its transpose by up to {asym[k]:.6g}"
        )
    smallest = np.linalg.eigvalsh(stack)[:, 0]
    if np.any(smallest <= 0):
        k = int(np.argmin(smallest))
        raise ValueError(
            f"{lead}{name} must be positive definite matrices (all "
            f"eigenvalues > 0); matrix {k} has smallest eigenvalue {smallest[k]:.6g}"
        )
    return value


def _check_precisions_init(prec, cov, n_components, n_features):
    shape = precision_shape(cov, n_components, n_features)
    label = f"{cov} precision"
    prec = check_positive_definite("precisions_init", label, prec, shape, cov)
    if cov in ("diag", "spherical"):
        return np.sqrt(prec)
    try:
        return precision_cholesky_from_precisions(prec, cov)
    except ValueError:
        raise ValueError(
            f"'{label}' should be symmetric, positive-definite: precisions_init "
            "must be positive definite matrices; their Cholesky factorisation "
            "failed (nearly singular)"
        ) from None
