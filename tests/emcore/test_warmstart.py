"""emcore.warmstart: splits and merges of a fitted model's responsibilities."""

import numpy as np
import pytest

from emcore import adjusted_rand_score
from emcore.warmstart import merge_responsibilities, split_responsibilities

COVS = ["full", "tied", "diag", "spherical"]


def _blobs(seed, centres, n=80):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(c, 0.6, (n, 2)) for c in centres])
    return X, np.repeat(np.arange(len(centres)), n)


def _one_hot(labels, k):
    return np.eye(k)[labels]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("cov", COVS)
def test_the_best_split_cuts_the_component_holding_two_groups(cov, seed):
    X, truth = _blobs(seed, [(-4, 0), (4, 0), (0, 12)])
    # component 0 holds the two groups on the x axis, component 1 the third
    resp = _one_hot((truth == 2).astype(int), 2)
    first = split_responsibilities(X, resp, cov, 2)[0]
    assert first.shape == (len(X), 3)
    assert adjusted_rand_score(truth, first.argmax(axis=1)) == 1.0
    np.testing.assert_allclose(first.sum(axis=1), resp.sum(axis=1))


@pytest.mark.parametrize("cov", COVS)
def test_soft_responsibilities_are_shared_out_not_changed(cov):
    X, _ = _blobs(2, [(-3, 0), (3, 1)])
    rng = np.random.default_rng(3)
    resp = rng.dirichlet([1.0, 1.0, 1.0], size=len(X))
    splits = split_responsibilities(X, resp, cov, 3)
    assert 1 <= len(splits) <= 3
    for new in splits:
        assert new.shape == (len(X), 4)
        np.testing.assert_allclose(new.sum(axis=1), 1.0)
        # one column was cut in two, the others are untouched
        kept = [j for j in range(3) if np.array_equal(new[:, j], resp[:, j])]
        assert len(kept) == 2
        (cut,) = set(range(3)) - set(kept)
        np.testing.assert_allclose(new[:, cut] + new[:, 3], resp[:, cut])


@pytest.mark.parametrize("cov", COVS)
def test_the_cheapest_merge_joins_the_halves_of_one_group(cov):
    X, truth = _blobs(4, [(-5, 0), (5, 0)])
    # group 0 is cut in halves by its y coordinate: components 0 and 2
    labels = np.where((truth == 0) & (X[:, 1] > 0), 2, truth)
    merges = merge_responsibilities(X, _one_hot(labels, 3), cov, 3)
    assert len(merges) == 3  # every pair, cheapest first
    first = merges[0]
    assert first.shape == (len(X), 2)
    assert adjusted_rand_score(truth, first.argmax(axis=1)) == 1.0
    for new in merges[1:]:
        assert adjusted_rand_score(truth, new.argmax(axis=1)) < 1.0


def test_a_component_on_one_point_cannot_be_cut():
    X, truth = _blobs(5, [(0, 0), (6, 6)])
    X = np.vstack([X, [[20.0, 20.0]]])
    labels = np.append(truth, 2)
    splits = split_responsibilities(X, _one_hot(labels, 3), "full", 3)
    # the singleton has no second part; the other two can be cut
    assert len(splits) == 2
    for new in splits:
        assert new[-1, 2] == 1.0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda X, r: split_responsibilities(X, r[:-1], "full", 1), "one row per"),
        (lambda X, r: split_responsibilities(X, r, "fancy", 1), "covariance_type"),
        (lambda X, r: split_responsibilities(X, r, "full", 0), "n_best"),
        (lambda X, r: merge_responsibilities(X, r[:, :1], "full", 1), "at least 2"),
    ],
)
def test_bad_arguments_are_named(call, match):
    X, truth = _blobs(6, [(0, 0), (5, 5)])
    with pytest.raises(ValueError, match=match):
        call(X, _one_hot(truth, 2))


@pytest.mark.parametrize("cov", COVS)
@pytest.mark.parametrize("seed", [0, 1])
def test_a_merge_costs_at_most_its_bound(cov, seed):
    """The log-likelihood of the merged start after one M-step is at least
    the fitted model's less the returned drop (the lower bound EM climbs)."""
    from emcore import GaussianMixture
    from emcore.kernels.moments import estimate_gaussian_parameters

    X, _ = _blobs(seed, [(-4, 0), (4, 0), (0, 5)], n=60)
    gm = GaussianMixture(4, covariance_type=cov, random_state=seed).fit(X)
    resp = gm.predict_proba(X)
    loglik = gm.score(X) * len(X)
    merges, drops = merge_responsibilities(X, resp, cov, 3, return_costs=True)
    assert len(merges) == 3 and np.all(np.diff(drops) >= 0)
    for new, drop in zip(merges, drops, strict=True):
        nk, means, covariances = estimate_gaussian_parameters(X, new, 1e-6, cov)
        merged = GaussianMixture(
            3,
            covariance_type=cov,
            weights_init=nk / nk.sum(),
            means_init=means,
            precisions_init=np.linalg.inv(covariances)
            if cov in ("full", "tied")
            else 1.0 / covariances,
            max_iter=0,
        ).fit(X)
        assert merged.score(X) * len(X) >= loglik - drop - 1e-6 * abs(loglik)
