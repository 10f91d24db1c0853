"""Shortcuts that make the model-selection sweep cheaper in Pyodide give the
same bits as the computations they replace (issue 16, round 5)."""

import numpy as np
import pytest

from emcore.densities import _logsumexp_from_max, logsumexp
from emcore.moments import MomentWorkspace
from emcore.rowblocks import run_steps

COV_TYPES = ("full", "tied", "diag", "spherical")
REG = 1e-6


def every_row_covariances(work, resp, nk, means, cov_type):
    """Covariances from differences over every row (zeros included): the
    computation ``direct_covariance_steps`` did before its shortcut."""
    Xc, mu = work.Xc, means - work.centre
    K, d = means.shape
    per = []
    for k in range(K):
        diff = Xc - mu[k]
        weighted = resp[:, k, np.newaxis] * diff
        if cov_type in ("full", "tied"):
            per.append(weighted.T @ diff)
        else:
            per.append(np.einsum("nd,nd->d", weighted, diff))
    if cov_type == "tied":
        total = np.zeros((d, d))
        for s in per:
            total += s
        cov = (total + total.T) / (2.0 * nk.sum())
        cov.flat[:: d + 1] += REG
        return cov
    out = []
    for k, s in enumerate(per):
        if cov_type == "full":
            cov = (s + s.T) / (2.0 * nk[k])
            cov.flat[:: d + 1] += REG
        else:
            cov = s / nk[k] + REG
            if cov_type == "spherical":
                cov = cov.mean()
        out.append(cov)
    return np.array(out)


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("d", [2, 3])
def test_sparse_columns_give_the_covariances_of_every_row(cov, seed, d):
    rng = np.random.default_rng(seed)
    n, K = 400, 5
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3, d) + rng.normal(0, 5, d)
    work = MomentWorkspace(X, cov)
    resp = np.zeros((n, K))
    # column 0: one-hot (a k-means++ start), 1: one non-unit value,
    # 2: empty, 3: two rows, 4: soft everywhere
    resp[rng.integers(n), 0] = 1.0
    resp[rng.integers(n), 1] = rng.uniform(0.1, 0.9)
    resp[rng.choice(n, 2, replace=False), 3] = rng.uniform(0.1, 0.9, 2)
    resp[:, 4] = rng.uniform(size=n)
    nk = resp.sum(axis=0) + 1e-9
    means = (resp.T @ X + 1e-9 * X.mean(axis=0)) / nk[:, np.newaxis]
    rough = work.estimate_parameters(resp, REG)[2]
    which = np.arange(K)
    got = work.direct_covariance_steps(
        resp, nk, means, rough, REG, which, (slice(None),)
    )
    got = run_steps(got)
    want = every_row_covariances(work, resp, nk, means, cov)
    assert got.shape == want.shape
    assert np.array_equal(got, want)  # bit for bit


@pytest.mark.parametrize("cov", COV_TYPES)
@pytest.mark.parametrize("seed", [0, 5])
def test_a_one_hot_start_has_the_covariances_of_every_row(cov, seed):
    rng = np.random.default_rng(seed)
    n, K = 300, 4
    X = rng.normal(size=(n, 2)) + rng.normal(0, 100, 2)
    work = MomentWorkspace(X, cov)
    resp = np.zeros((n, K))
    resp[rng.choice(n, K, replace=False), np.arange(K)] = 1.0
    nk, means, covariances = work.estimate_parameters(resp, REG)
    want = every_row_covariances(work, resp, nk, means, cov)
    assert np.array_equal(covariances, want)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("axis", [0, 1])
def test_logsumexp_from_known_maxima_is_logsumexp(seed, axis):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 300, size=(50, 7))
    a[3] = -np.inf  # a row with no mass
    a[5, 2] = np.inf
    a[:, 4] = -np.inf
    with np.errstate(all="ignore"):
        want = logsumexp(a, axis=axis)
        got = _logsumexp_from_max(a, np.max(a, axis=axis, keepdims=True), axis)
    assert np.array_equal(got, want, equal_nan=True)
