"""Comparing clusterings: contingency tables, the adjusted Rand index, and
label matching through an optimal one-to-one assignment.

Label matching is what keeps colours steady on the page: EM numbers its
components arbitrarily, so before drawing, each fitted component is renamed
after the true cluster it shares the most points with (:func:`match_labels`),
using a numpy implementation of the rectangular assignment problem
(:func:`linear_sum_assignment`).
"""

from __future__ import annotations

import numpy as np

from ._validation import check_int

__all__ = [
    "adjusted_rand_score",
    "contingency_matrix",
    "linear_sum_assignment",
    "match_labels",
]


def _check_labels(name, labels):
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of labels; got an array of shape "
            f"{labels.shape}"
        )
    return labels


def _check_pair(labels_true, labels_pred):
    labels_true = _check_labels("labels_true", labels_true)
    labels_pred = _check_labels("labels_pred", labels_pred)
    if labels_true.shape[0] != labels_pred.shape[0]:
        raise ValueError(
            "labels_true and labels_pred must have the same length; got "
            f"{labels_true.shape[0]} and {labels_pred.shape[0]}"
        )
    return labels_true, labels_pred


def contingency_matrix(labels_true, labels_pred):
    """Count how often each true class meets each predicted cluster.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        Reference labels (any sortable values).
    labels_pred : array-like of shape (n_samples,)
        Labels to compare with.

    Returns
    -------
    ndarray of shape (n_classes, n_clusters), int64
        Entry ``[i, j]`` counts the samples whose true label is the ``i``-th
        distinct value of ``labels_true`` (sorted) and whose predicted label is
        the ``j``-th distinct value of ``labels_pred``.
    """
    labels_true, labels_pred = _check_pair(labels_true, labels_pred)
    classes, class_idx = np.unique(labels_true, return_inverse=True)
    clusters, cluster_idx = np.unique(labels_pred, return_inverse=True)
    n_rows, n_cols = classes.shape[0], clusters.shape[0]
    flat = class_idx.ravel().astype(np.intp) * n_cols + cluster_idx.ravel()
    counts = np.bincount(flat, minlength=n_rows * n_cols)
    return counts.astype(np.int64).reshape(n_rows, n_cols)


def adjusted_rand_score(labels_true, labels_pred):
    """Adjusted Rand index of two labelings (Hubert & Arabie, 1985).

    Every unordered pair of samples is put in one of four groups: together in
    both labelings (``a``), together only in ``labels_true`` (``b``), together
    only in ``labels_pred`` (``c``), or apart in both (``d``). The index is

        ARI = 2 (a d - b c) / ((a + b)(b + d) + (a + c)(c + d)),

    and 1.0 when ``b = c = 0`` (the labelings split the samples the same way,
    which includes empty input, one sample, and the case where both put every
    sample in one cluster or every sample in its own cluster). This is the
    pair-count form scikit-learn uses, and the result agrees with
    ``sklearn.metrics.adjusted_rand_score``. Chance agreement scores about 0,
    the lowest possible value is -0.5, and the index is symmetric and
    unchanged by renaming the labels.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)

    Returns
    -------
    float
    """
    table = contingency_matrix(labels_true, labels_pred)
    # Exact integer arithmetic: the products below exceed int64 for large n.
    n = int(table.sum())
    sum_cells = int(np.sum(table * table))
    sum_rows = int(np.sum(table.sum(axis=1) ** 2))
    sum_cols = int(np.sum(table.sum(axis=0) ** 2))
    together_both = (sum_cells - n) // 2
    together_true_only = (sum_rows - sum_cells) // 2
    together_pred_only = (sum_cols - sum_cells) // 2
    pairs = n * (n - 1) // 2
    apart_both = pairs - together_both - together_true_only - together_pred_only
    a, b, c, d = together_both, together_true_only, together_pred_only, apart_both
    if b == 0 and c == 0:
        return 1.0
    return 2.0 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d))


def linear_sum_assignment(cost, maximize=False):
    """Solve the (rectangular) linear assignment problem.

    Finds a one-to-one matching of rows to columns, of size
    ``min(n_rows, n_cols)``, with the smallest (or largest) total cost. The
    solver is the shortest-augmenting-path form of the Hungarian method with
    row and column potentials (Jonker & Volgenant style), ``O(n^2 m)``, with
    the inner scans vectorised in numpy.

    Parameters
    ----------
    cost : array-like of shape (n_rows, n_cols)
        Finite real costs.
    maximize : bool, default False
        Maximise the total instead of minimising it.

    Returns
    -------
    row_ind : ndarray of shape (min(n_rows, n_cols),), int64
        Matched rows, in increasing order.
    col_ind : ndarray of shape (min(n_rows, n_cols),), int64
        The column matched to each entry of ``row_ind``, so that
        ``cost[row_ind, col_ind].sum()`` is optimal (the same contract as
        ``scipy.optimize.linear_sum_assignment``).
    """
    cost = np.asarray(cost)
    if cost.ndim != 2:
        raise ValueError(f"cost must be a 2-D array; got shape {cost.shape}")
    if not (
        np.issubdtype(cost.dtype, np.number) or np.issubdtype(cost.dtype, np.bool_)
    ):
        raise ValueError(f"cost must contain real numbers; got dtype {cost.dtype}")
    if np.iscomplexobj(cost):
        raise ValueError("cost must contain real numbers; got complex values")
    cost = cost.astype(np.float64)
    if not np.all(np.isfinite(cost)):
        raise ValueError("cost must contain only finite values (no NaN or inf)")
    if maximize:
        cost = -cost
    transposed = cost.shape[0] > cost.shape[1]
    if transposed:
        cost = cost.T
    n_rows, n_cols = cost.shape
    if n_rows == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    # Shift so that all costs are >= 0; this does not change the optimum.
    cost = cost - cost.min()

    # 1-based arrays; column 0 is a virtual column used to start each search.
    u = np.zeros(n_rows + 1)  # row potentials
    v = np.zeros(n_cols + 1)  # column potentials
    owner = np.zeros(n_cols + 1, dtype=np.int64)  # row matched to column, 0 none
    way = np.zeros(n_cols + 1, dtype=np.int64)  # previous column on the path
    padded = np.zeros((n_rows + 1, n_cols + 1))
    padded[1:, 1:] = cost

    for row in range(1, n_rows + 1):
        owner[0] = row
        col = 0
        min_slack = np.full(n_cols + 1, np.inf)
        used = np.zeros(n_cols + 1, dtype=bool)
        while True:
            used[col] = True
            r = owner[col]
            free = ~used
            free[0] = False
            slack = padded[r] - u[r] - v
            better = free & (slack < min_slack)
            min_slack[better] = slack[better]
            way[better] = col
            candidates = np.where(free, min_slack, np.inf)
            nxt = int(np.argmin(candidates))
            delta = candidates[nxt]
            u[owner[used]] += delta
            v[used] -= delta
            min_slack[free] -= delta
            col = nxt
            if owner[col] == 0:
                break
        # Flip the augmenting path back to the virtual column.
        while col != 0:
            prev = way[col]
            owner[col] = owner[prev]
            col = prev

    cols = np.flatnonzero(owner[1:]) + 1
    rows = owner[cols] - 1
    cols = cols - 1
    if transposed:
        rows, cols = cols, rows
    order = np.argsort(rows, kind="stable")
    return rows[order].astype(np.int64), cols[order].astype(np.int64)


def _check_ids(name, labels, count_name, count):
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"{name} must hold integer labels 0, 1, ...; got dtype {labels.dtype}"
        )
    labels = labels.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise ValueError(f"{name} must hold non-negative labels; got {labels.min()}")
    if count is None:
        count = int(labels.max()) + 1 if labels.size else 0
    else:
        count = check_int(count_name, count, 0)
        if labels.size and labels.max() >= count:
            raise ValueError(
                f"{name} holds label {labels.max()}, which is not below "
                f"{count_name} = {count}"
            )
    return labels, count


def match_labels(labels_true, labels_pred, n_true=None, n_pred=None):
    """Rename fitted components after the true clusters they overlap most.

    The renaming is the one-to-one assignment of components to true clusters
    that maximises the number of samples whose renamed label equals the true
    one. Components left over (when there are more components than true
    clusters) get the unused ids ``n_true, n_true + 1, ...`` in order.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        True cluster of each sample, integers in ``0 .. n_true - 1``.
    labels_pred : array-like of shape (n_samples,)
        Fitted component of each sample, integers in ``0 .. n_pred - 1``.
    n_true, n_pred : int, optional
        Number of true clusters and fitted components; by default one more
        than the largest label seen (so unseen trailing ids need these).

    Returns
    -------
    mapping : ndarray of shape (n_pred,), int64
        ``mapping[k]`` is the new label of fitted component ``k``; the values
        are distinct, so ``mapping[labels_pred]`` is a relabelling.
    """
    labels_true, labels_pred = _check_pair(labels_true, labels_pred)
    labels_true, n_true = _check_ids("labels_true", labels_true, "n_true", n_true)
    labels_pred, n_pred = _check_ids("labels_pred", labels_pred, "n_pred", n_pred)
    # bincount over pair ids: about 20x faster than np.add.at on 5000 labels
    # (intp: Pyodide's numpy is 32-bit and bincount will not narrow int64)
    pairs = (labels_pred * n_true + labels_true).astype(np.intp)
    overlap = np.bincount(pairs, minlength=n_pred * n_true).reshape(n_pred, n_true)
    mapping = np.full(n_pred, -1, dtype=np.int64)
    if n_pred and n_true:
        rows, cols = linear_sum_assignment(overlap, maximize=True)
        mapping[rows] = cols
    unmatched = np.flatnonzero(mapping < 0)
    mapping[unmatched] = n_true + np.arange(unmatched.size)
    return mapping
