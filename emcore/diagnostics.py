"""Component health: is a fitted component a finding or an artefact?

Information criteria reward likelihood, and a Gaussian squeezed onto a few
repeated values has an enormous density there. On data measured to a coarse
resolution (Iris petals in 0.1 cm steps: 150 rows, 102 distinct points) BIC
can then prefer a K whose extra component sits on a handful of identical
rows. R's mclust leaves such fits out of its BIC table; this module gives the
facts to do the same and to say why.

A component is flagged when any of these holds (the thresholds are module
constants):

* **near-singular**: its covariance's smallest eigenvalue is below
  :data:`RCOND_MIN` times its largest (axes more than 100 : 1);
* **collapsed**: its typical spread, ``det(Σ_k)^(1/2d)``, is below
  :data:`SCALE_MIN` of the data's, ``det(cov(X))^(1/2d)``;
* **on duplicated points**: the points it is most responsible for take at
  most ``d`` distinct values (too few to span the space), or repeat on
  average more than :data:`MULTIPLICITY_MAX` times each.

Examples
--------
>>> import numpy as np
>>> from emcore import GaussianMixture
>>> rng = np.random.default_rng(0)
>>> X = np.vstack([rng.normal(size=(200, 2)), np.repeat([[4.0, 4.0]], 30, axis=0)])
>>> gm = GaussianMixture(2, random_state=0).fit(X)
>>> [h.degenerate for h in component_health(gm, X)]
[False, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import to_full_covariances

__all__ = [
    "MULTIPLICITY_MAX",
    "RCOND_MIN",
    "SCALE_MIN",
    "ComponentHealth",
    "component_health",
    "count_distinct_rows",
    "covariances_suspect",
    "degeneracy_note",
]

#: Smallest accepted ratio of a covariance's smallest to largest eigenvalue.
RCOND_MIN = 1e-4
#: Smallest accepted spread of a component relative to the whole data's.
SCALE_MIN = 1e-2
#: Largest accepted mean number of copies per distinct point of a component.
MULTIPLICITY_MAX = 3.0


@dataclass(frozen=True)
class ComponentHealth:
    """What one fitted component rests on.

    Attributes
    ----------
    component : int
        Index of the component in the fitted model.
    n_points : int
        Points whose most responsible component this is.
    n_distinct : int
        Distinct rows among those points.
    rcond : float
        Smallest over largest eigenvalue of the component's covariance.
    relative_scale : float
        ``(det Σ_k / det cov(X)) ** (1 / 2d)``: the component's geometric-mean
        standard deviation as a fraction of the data's.
    reasons : tuple of str
        Plain-language reasons the component is suspect; empty when healthy.
    """

    component: int
    n_points: int
    n_distinct: int
    rcond: float
    relative_scale: float
    reasons: tuple

    @property
    def degenerate(self) -> bool:
        """True when any reason applies."""
        return bool(self.reasons)


_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xBF58476D1CE4E5B9)
_SHIFT = np.uint64(31)


def count_distinct_rows(X, labels=None, n_labels=1):
    """Number of distinct rows of ``X``, per label.

    Equal to ``len(np.unique(X[labels == j], axis=0))`` for every ``j`` (rows
    compare as numbers, so ``-0.0`` equals ``0.0``), but one hash of each row
    and one sort of the hashes replace a row sort per label: about 10x
    faster on 200,000 rows. Rows with equal hashes are compared, and any
    collision falls back to the exact row sort, so the count is exact.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Finite values.
    labels : array-like of shape (n_samples,) of int, optional
        Group of every row, from 0 to ``n_labels - 1``; all rows in group 0
        by default.
    n_labels : int, default 1

    Returns
    -------
    ndarray of shape (n_labels,), intp
        Distinct rows in each group.

    Examples
    --------
    >>> X = np.array([[0.0, 1.0], [-0.0, 1.0], [2.0, 3.0], [2.0, 3.0]])
    >>> count_distinct_rows(X).tolist()
    [2]
    >>> count_distinct_rows(X, [0, 0, 0, 1], 2).tolist()
    [2, 1]
    """
    # + 0.0 turns -0.0 into 0.0, so equal numbers have equal bits
    X = np.ascontiguousarray(np.asarray(X, dtype=np.float64) + 0.0)
    n = X.shape[0]
    X = X.reshape(n, -1)
    if labels is None:
        labels = np.zeros(n, dtype=np.intp)
    labels = np.asarray(labels).astype(np.intp, copy=False)
    if n == 0:
        return np.zeros(n_labels, dtype=np.intp)
    bits = X.view(np.uint64)
    # a 64-bit mix of the label and every coordinate's bits (wrapping)
    key = labels.astype(np.uint64) * _MIX_A
    for j in range(bits.shape[1]):
        key ^= bits[:, j]
        key *= _MIX_B
        key ^= key >> _SHIFT
    order = np.argsort(key)
    ordered = key[order]
    same = ordered[1:] == ordered[:-1]
    if same.any():
        a, b = order[1:][same], order[:-1][same]
        if np.any(X[a] != X[b]) or np.any(labels[a] != labels[b]):
            return np.array(  # a hash collision: count exactly
                [len(np.unique(X[labels == j], axis=0)) for j in range(n_labels)],
                dtype=np.intp,
            )
    first = np.ones(n, dtype=bool)
    first[1:] = ~same
    return np.bincount(labels[order[first]], minlength=n_labels).astype(np.intp)


def _log_det_and_rcond(covariances):
    # eigvalsh on tiny (d, d) blocks: no ±inf can arise from a finite fit
    eig = np.maximum(np.linalg.eigvalsh(covariances), np.finfo(float).tiny)
    # floored at the smallest normal number: identical points give a zero
    # covariance, which must read as collapsed, not divide by zero
    return np.sum(np.log(eig), axis=-1), eig[..., 0] / eig[..., -1]


def _data_facts(X):
    """What :func:`component_health` needs of the data alone, for judging
    many fits of the same ``X``: ``(log det cov(X), every row distinct)``."""
    X = np.asarray(X, dtype=np.float64)
    return _data_log_det(X), int(count_distinct_rows(X)[0]) == len(X)


def covariances_suspect(covariances, covariance_type, n_features, data_log_det):
    """Whether any component is near-singular or collapsed: the checks of
    :func:`component_health` that need the covariances alone (no pass over
    the data), for ranking many candidate fits cheaply.

    Parameters
    ----------
    covariances : ndarray
        As fitted: full (K, d, d), tied (d, d), diag (K, d), spherical (K,).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    n_features : int
        d.
    data_log_det : float
        ``log det cov(X)`` of the data they were fitted to.

    Returns
    -------
    bool
    """
    cov = np.asarray(covariances, dtype=np.float64)
    if covariance_type in ("full", "tied"):
        log_det, rcond = _log_det_and_rcond(cov)
    else:  # diag, spherical: the variances are the eigenvalues
        var = np.maximum(cov.reshape(len(cov), -1), np.finfo(float).tiny)
        log_det = np.sum(np.log(var), axis=1) * (n_features // var.shape[1])
        rcond = var.min(axis=1) / var.max(axis=1)
    scale = np.exp((log_det - data_log_det) / (2 * n_features))
    return bool(np.any(rcond < RCOND_MIN) or np.any(scale < SCALE_MIN))


def _data_log_det(X):
    data_cov = np.atleast_2d(np.cov(X, rowvar=False, bias=True))
    return _log_det_and_rcond(data_cov[None])[0][0]


def component_health(gm, X, labels=None, *, _facts=None):
    """Judge every component of a fitted mixture on the data it was fitted to.

    Parameters
    ----------
    gm : GaussianMixture
        A fitted model (emcore's, or any object with scikit-learn's fitted
        attributes ``means_``, ``covariances_``, ``covariance_type`` and a
        ``predict`` method).
    X : array-like of shape (n_samples, n_features)
        The data.
    labels : array-like of shape (n_samples,), optional
        ``gm.predict(X)`` when the caller has it already (it costs an
        E-step on large data).
    _facts : tuple, optional
        ``_data_facts(X)`` when the caller judges many fits of ``X``.

    Returns
    -------
    list of ComponentHealth
        One entry per component, in the model's order.
    """
    X = np.asarray(X, dtype=np.float64)
    k, d = np.shape(gm.means_)
    full = to_full_covariances(gm.covariances_, gm.covariance_type, k, d)
    log_det, rcond = _log_det_and_rcond(full)
    if _facts is None:  # counting per component is cheaper than both counts
        data_log_det, all_distinct = _data_log_det(X), False
    else:
        data_log_det, all_distinct = _facts
    scale = np.exp((log_det - data_log_det) / (2 * d))
    labels = np.asarray(gm.predict(X) if labels is None else labels)
    n_points = np.bincount(labels, minlength=k)
    # without repeated rows, every point of a component is a distinct one
    distinct = n_points if all_distinct else count_distinct_rows(X, labels, k)
    out = []
    for j in range(k):
        n_pts = int(n_points[j])
        n_distinct = int(distinct[j])
        reasons = []
        if rcond[j] < RCOND_MIN:
            ratio = 1.0 / np.sqrt(rcond[j])
            reasons.append(f"near-singular covariance (axes {ratio:.0f} : 1)")
        if scale[j] < SCALE_MIN:
            reasons.append(f"collapsed (spread {scale[j]:.1g} of the data's)")
        if n_pts > d and (n_distinct <= d or n_pts > MULTIPLICITY_MAX * n_distinct):
            reasons.append(
                f"sits on duplicated points ({n_pts} points at {n_distinct} "
                "distinct positions)"
            )
        out.append(
            ComponentHealth(
                component=j,
                n_points=n_pts,
                n_distinct=n_distinct,
                rcond=float(rcond[j]),
                relative_scale=float(scale[j]),
                reasons=tuple(reasons),
            )
        )
    return out


def degeneracy_note(health):
    """One sentence naming the suspect components, or ``""`` when none is.

    Parameters
    ----------
    health : list of ComponentHealth

    Returns
    -------
    str

    Examples
    --------
    >>> degeneracy_note([ComponentHealth(2, 29, 8, 3.5e-5, 0.02, ("x",))])
    'component 3: x'
    """
    bad = [h for h in health if h.degenerate]
    return "; ".join(
        f"component {h.component + 1}: {', '.join(h.reasons)}" for h in bad
    )
