"""Starts for a mixture of K components from a fitted neighbour at K ± 1.

A sweep over K fits nested models: a good optimum at K − 1 with one
component split in two, or one at K + 1 with two components merged, is
usually close to a good optimum at K, and EM from there needs few
iterations. These functions rank the candidate splits and merges of a fitted
model by how much they change the *complete-data* log-likelihood of its
hard-split responsibilities (closed forms from weighted moments, no EM), and
return the responsibilities of the best ones; an M-step turns them into
starting parameters.

A split cuts a component across its principal axis, where 1-D two-means of
the projections (responsibility-weighted) cuts best; a merge adds two
columns of responsibilities. Greedy splitting is how
"divisive" mixture fitting works (Verbeek, Vlassis and Kröse, Neural
Computation 15, 2003); merging nearby components is the agglomerative
direction of mclust's model-based hierarchical clustering.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = np.vstack([rng.normal(-4, 1, (100, 2)), rng.normal(4, 1, (100, 2))])
>>> resp = np.ones((200, 1))
>>> (split,) = split_responsibilities(X, resp, "full", 1)
>>> split.shape, sorted(np.round(split.sum(axis=0)).tolist())
((200, 2), [100.0, 100.0])
"""

from __future__ import annotations

import numpy as np

from ._validation import check_covariance_type, check_int

__all__ = ["data_features", "merge_responsibilities", "split_responsibilities"]

#: Rows of a regular sample a split's threshold is placed on (at least).
SPLIT_SAMPLE = 1000
#: Pairs whose merge is judged with the entropy they share (the cheapest by
#: the expected complete-data log-likelihood).
MERGE_SHORTLIST = 3
#: Ridge on every scatter before its log-determinant (as ``reg_covar``).
_RIDGE = 1e-6


def data_features(X):
    """The data centred on their mean (n, d), and the products of their
    centred coordinates (n, d(d+1)/2): what weighted moments are made of."""
    Xc = X - X.mean(axis=0)
    rows, cols = np.triu_indices(X.shape[1])
    return Xc, Xc[:, rows] * Xc[:, cols]


def _moments(Xc, products, weights):
    """Weighted counts (K,), centred means (K, d) and scatters (K, d, d) of
    the rows of ``weights`` (K, n): responsibilities by component.

    The scatters come from second moments about the data's mean, which is
    accurate enough to rank splits and merges (EM then starts from an
    M-step of its own)."""
    nk = weights.sum(axis=1) + 10 * np.finfo(float).eps
    means = (weights @ Xc) / nk[:, None]
    second = (weights @ products) / nk[:, None]
    d = Xc.shape[1]
    rows, cols = np.triu_indices(d)
    scatter = np.empty((len(weights), d, d))
    scatter[:, rows, cols] = second
    scatter[:, cols, rows] = second
    scatter -= means[:, :, None] * means[:, None, :]
    return nk, means, scatter


def _log_det(scatter, covariance_type):
    """Log-determinant of the covariance each type would fit to a scatter
    (stacked (..., d, d)): the scatter (full, tied), its diagonal (diag), its
    mean variance (spherical), all with the ridge."""
    d = scatter.shape[-1]
    var = np.diagonal(scatter, axis1=-2, axis2=-1) + _RIDGE
    if covariance_type == "diag":
        return np.sum(np.log(var), axis=-1)
    if covariance_type == "spherical":
        return d * np.log(np.mean(var, axis=-1))
    return np.linalg.slogdet(scatter + _RIDGE * np.eye(d))[1]


def _mixing(n_parts, n_whole):
    """Change of Σ n log(weight) when a group of ``n_whole`` points splits
    into groups of ``n_parts`` (last axis); never positive."""
    return np.sum(n_parts * np.log(n_parts / n_whole[..., None]), axis=-1)


def _split_gains(nk, scatter, owner, parts_n, parts_scatter, covariance_type):
    """Complete-data log-likelihood gain of replacing each ``owner``
    component (P,) by two parts: counts (P, 2), scatters (P, 2, d, d)."""
    mixing = _mixing(parts_n, nk[owner])
    if covariance_type == "tied":
        # one shared covariance: the pooled scatter changes for every point
        n = nk.sum()
        pooled = np.tensordot(nk, scatter, axes=1) / n
        change = np.sum(parts_n[:, :, None, None] * parts_scatter, axis=1)
        change -= nk[owner][:, None, None] * scatter[owner]
        after = _log_det(pooled + change / n, "tied")
        return 0.5 * n * (_log_det(pooled, "tied") - after) + mixing
    whole = nk[owner] * _log_det(scatter[owner], covariance_type)
    parts = np.sum(parts_n * _log_det(parts_scatter, covariance_type), axis=-1)
    return 0.5 * (whole - parts) + mixing


def _cuts(Xc, weights, means, scatter):
    """Every component's points cut across its principal axis: the upper
    part's responsibilities (K, n).

    The threshold is the best weighted two-means cut of the projections (the
    one that leaves the least weighted sum of squares on either side), found
    exactly from cumulative sums over the sorted projections of a regular
    sample of the rows (every row up to twice :data:`SPLIT_SAMPLE`): it only
    starts EM, which then uses them all."""
    axes = np.linalg.eigh(scatter)[1][:, :, -1]  # (K, d)
    # (K, n) rows: passes along them are much faster than down (n, K) columns
    proj = axes @ Xc.T - np.sum(means * axes, axis=1)[:, None]
    sample = slice(None, None, max(1, proj.shape[1] // SPLIT_SAMPLE))
    order = np.argsort(proj[:, sample], axis=1, kind="stable")
    p = np.take_along_axis(proj[:, sample], order, axis=1)
    if p.shape[1] < 2:  # one point: nothing to cut
        return weights.copy()
    w = np.take_along_axis(weights[:, sample], order, axis=1)
    # a cut after each position but the last: the parts' weights and
    # weighted sums of projections
    w_left = np.cumsum(w, axis=1)[:, :-1]
    m_left = np.cumsum(w * p, axis=1)[:, :-1]
    w_right = w.sum(axis=1, keepdims=True) - w_left
    m_right = np.sum(w * p, axis=1, keepdims=True) - m_left
    # the between-part sum of squares, up to a constant; a side without
    # weight is no cut
    floor = 1e-12 * w.sum(axis=1, keepdims=True)
    fine = (w_left > floor) & (w_right > floor)
    between = np.where(
        fine,
        m_left**2 / np.where(fine, w_left, 1.0)
        + m_right**2 / np.where(fine, w_right, 1.0),
        -np.inf,
    )
    best = np.argmax(between, axis=1)
    rows = np.arange(len(p))
    threshold = 0.5 * (p[rows, best] + p[rows, best + 1])
    return weights * (proj >= threshold[:, None])


def _check(X, resp, covariance_type, n_best, min_components):
    covariance_type = check_covariance_type(covariance_type)
    X = np.asarray(X, dtype=np.float64)
    resp = np.asarray(resp, dtype=np.float64)
    if X.ndim != 2 or resp.ndim != 2 or resp.shape[0] != X.shape[0]:
        raise ValueError(
            "resp must have one row per sample of X (n_samples, n_components); "
            f"got X of shape {X.shape} and resp of shape {resp.shape}"
        )
    if resp.shape[1] < min_components:
        raise ValueError(
            f"resp must have at least {min_components} column(s); got {resp.shape[1]}"
        )
    return X, resp, covariance_type, check_int("n_best", n_best, 1)


def split_responsibilities(X, resp, covariance_type, n_best, *, _features=None):
    """Responsibilities for K + 1 components: a fitted model's with one
    component cut in two, for the ``n_best`` best components to cut.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    resp : array-like of shape (n_samples, n_components)
        The fitted model's responsibilities.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
        Whose covariance the gain is measured with.
    n_best : int
        How many splits to return (at most ``n_components``).
    _features : tuple, optional
        ``data_features(X)``, for a caller that splits and merges many fits
        of the same ``X``.

    Returns
    -------
    list of ndarray of shape (n_samples, n_components + 1)
        Best first. The cut component keeps its column for one part; the
        other part is the last column. Arrays in column-major order (each
        component's responsibilities contiguous), for speed. Components
        whose points all fall on one side of their threshold cannot be cut
        and are left out.
    """
    X, resp, covariance_type, n_best = _check(X, resp, covariance_type, n_best, 1)
    Xc, products = _features or data_features(X)
    weights = np.ascontiguousarray(resp.T)
    nk, means, scatter = _moments(Xc, products, weights)
    upper = _cuts(Xc, weights, means, scatter)
    up_total, total = upper.sum(axis=1), weights.sum(axis=1)
    # both parts must hold some weight (a cut of one point has none)
    owners = np.flatnonzero(np.minimum(up_total, total - up_total) > 1e-9 * total)
    if not owners.size:
        return []
    up_n, up_means, up_scatter = _moments(Xc, products, upper[owners])
    # the lower part's moments are the whole's less the upper part's
    low_n = nk[owners] - up_n
    second = scatter[owners] + means[owners, :, None] * means[owners, None, :]
    up_second = up_scatter + up_means[:, :, None] * up_means[:, None, :]
    low_means = (nk[owners, None] * means[owners] - up_n[:, None] * up_means) / low_n[
        :, None
    ]
    low_scatter = (
        nk[owners, None, None] * second - up_n[:, None, None] * up_second
    ) / low_n[:, None, None] - low_means[:, :, None] * low_means[:, None, :]
    gains = _split_gains(
        nk,
        scatter,
        owners,
        np.column_stack([up_n, low_n]),
        np.stack([up_scatter, low_scatter], axis=1),
        covariance_type,
    )
    out = []
    for i in np.argsort(-gains, kind="stable")[:n_best]:
        j = owners[i]
        # built by component, returned as (n, K + 1): a copy by columns is
        # several times dearer in Pyodide
        new = np.empty((len(weights) + 1, weights.shape[1]))
        new[:-1] = weights
        new[j] = upper[j]
        new[-1] = weights[j] - upper[j]
        out.append(new.T)
    return out


def merge_responsibilities(
    X, resp, covariance_type, n_best, *, _features=None, return_costs=False
):
    """Responsibilities for K − 1 components: a fitted model's with two
    components merged, for the ``n_best`` pairs whose merge costs least.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    resp : array-like of shape (n_samples, n_components)
        The fitted model's responsibilities (at least 2 components).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    n_best : int
        How many merges to return.
    _features : tuple, optional
        As for :func:`split_responsibilities`.
    return_costs : bool, default=False
        Also return what each merge costs.

    Returns
    -------
    resps : list of ndarray of shape (n_samples, n_components - 1)
        Best first; the merged pair's sum takes the first one's column.
        Arrays in column-major order, like the splits'.
    costs : ndarray of shape (len(resps),)
        Only with ``return_costs``: how far the log-likelihood falls at most,
        from the fitted model's to the merged start's after its first
        M-step. The expected complete-data log-likelihood falls by the
        merge's cost and the responsibilities' entropy by what the pair
        shared, and the log-likelihood is at least their sum (the bound EM
        climbs, Neal and Hinton 1998), which equals it at the fitted model.

    Notes
    -----
    Pairs are ranked by the drop of the expected complete-data
    log-likelihood (Gaussian terms and weights), then the
    :data:`MERGE_SHORTLIST` cheapest by the whole bound, entropy included:
    two components that share many points lose little by the first measure
    but much by the second.
    """
    X, resp, covariance_type, n_best = _check(X, resp, covariance_type, n_best, 2)
    Xc, products = _features or data_features(X)
    nk, means, scatter = _moments(Xc, products, np.ascontiguousarray(resp.T))
    a, b = np.triu_indices(resp.shape[1], k=1)
    n = nk[a] + nk[b]
    mean = (nk[a, None] * means[a] + nk[b, None] * means[b]) / n[:, None]

    def second(idx):  # E[x xᵀ] of each component
        return scatter[idx] + means[idx, :, None] * means[idx, None, :]

    merged = (nk[a, None, None] * second(a) + nk[b, None, None] * second(b)) / n[
        :, None, None
    ] - mean[:, :, None] * mean[:, None, :]
    # the cost of a merge is the gain of splitting the merged group back
    parts_n = np.column_stack([nk[a], nk[b]])
    if covariance_type == "tied":
        # the shared covariance of the merged model is the pooled scatter
        # plus what the merge adds to it
        total = nk.sum()
        pooled = np.tensordot(nk, scatter, axes=1) / total
        change = n[:, None, None] * merged
        change -= nk[a, None, None] * scatter[a] + nk[b, None, None] * scatter[b]
        before = _log_det(pooled, "tied")
        after = _log_det(pooled + change / total, "tied")
        costs = 0.5 * total * (after - before) + _mixing(parts_n, n)
    else:
        costs = 0.5 * (
            n * _log_det(merged, covariance_type)
            - nk[a] * _log_det(scatter[a], covariance_type)
            - nk[b] * _log_det(scatter[b], covariance_type)
        ) + _mixing(parts_n, n)
    shortlist = np.argsort(costs, kind="stable")[: max(n_best, MERGE_SHORTLIST)]
    drops = costs[shortlist] + _shared_entropy(resp, a[shortlist], b[shortlist])
    order = np.argsort(drops, kind="stable")[:n_best]
    out = [_merged(resp, a[p], b[p]) for p in shortlist[order]]
    return (out, drops[order]) if return_costs else out


def _merged(resp, a, b):
    """``resp`` with column ``b`` added to column ``a`` and removed, in
    column-major order."""
    keep = [j for j in range(resp.shape[1]) if j != b]
    new = np.array(resp.T[keep])
    new[keep.index(a)] += resp[:, b]
    return new.T


def _shared_entropy(resp, a, b):
    """Entropy of the responsibilities that each pair (a, b) shares: what a
    merge takes from the entropy of the whole, ``-Σ r_a log(r_a / (r_a +
    r_b)) + r_b log(r_b / (r_a + r_b))``. Only rows where both are above
    ``1e-12`` of their sum add more than about ``1e-11`` each, so only they
    are summed (the logarithms are the dear part)."""
    out = np.zeros(len(a))
    for i, (ca, cb) in enumerate(zip(a, b, strict=True)):
        ra, rb = resp[:, ca], resp[:, cb]
        both = ra + rb
        rows = np.minimum(ra, rb) > 1e-12 * both
        ra, rb, both = ra[rows], rb[rows], both[rows]
        out[i] = -np.sum(ra * np.log(ra / both) + rb * np.log(rb / both))
    return out
