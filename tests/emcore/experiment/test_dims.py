"""``dims=1``: the page's run on simulated clusters on a line, the same
data :func:`emcore.synthetic.simulate` draws with ``n_features=1``, fitted
with 3K - 1 free parameters (full), scored against the true classes."""

from __future__ import annotations

import numpy as np
import pytest

from emcore import GaussianMixture
from emcore.experiment import iterate, run, run_data
from emcore.metrics import adjusted_rand_score
from emcore.synthetic import simulate

COV_TYPES = ("full", "tied", "diag", "spherical")


@pytest.mark.parametrize("cov", COV_TYPES)
def test_a_line_of_clusters_is_fitted_in_one_dimension(cov):
    r = run(k=3, n=300, overlap=10, seed=5, n_init=2, cov=cov, dims=1)
    X, labels = simulate(300, 3, 0.10, 5, n_features=1)
    np.testing.assert_array_equal(r.X, X)
    assert r.means.shape == (3, 1) and r.covariances.shape == (3, 1, 1)
    # K means, K - 1 free weights and a variance per component (3K - 1),
    # or one shared variance when tied (2K)
    assert r.params == (6 if cov == "tied" else 8)
    assert r.settings["dims"] == 1
    # the ARI is against the true classes, as in the plane
    assert r.ari == pytest.approx(adjusted_rand_score(labels, r.labels_pred))


def test_the_run_is_the_same_as_its_data_fitted_alone():
    r = run(k=2, n=400, overlap=30, seed=8, dims=1)
    X, labels = simulate(400, 2, 0.30, 8, n_features=1)
    alone = run_data(X, labels, k=2, seed=8)
    assert r.loglik == pytest.approx(alone.loglik, rel=1e-12)
    assert r.ari == pytest.approx(alone.ari, abs=1e-12)
    # no start of the page's does better than the best of many
    gm = GaussianMixture(2, n_init=20, tol=1e-8, random_state=0).fit(X)
    assert r.loglik <= gm.score(X) * len(X) + 1e-6


def test_the_data_event_carries_the_true_means_on_the_line():
    data = next(iterate(k=4, n=200, seed=3, dims=1))
    assert data.X.shape == (200, 1) and data.true_means.shape == (4, 1)
    assert data.settings["dims"] == 1
    assert np.all(np.diff(data.true_means[:, 0]) > 0)  # in index order


def test_the_plane_records_no_dims():
    assert "dims" not in next(iterate(n=100, seed=1)).settings
    assert "dims" not in next(iterate(n=100, seed=1, dims=2)).settings


@pytest.mark.parametrize("bad", [0, 3, 1.5, "1", True])
def test_dims_is_one_or_two(bad):
    with pytest.raises(ValueError, match="dims"):
        run(n=100, dims=bad)


def test_own_data_take_no_dims():
    with pytest.raises(ValueError, match="describe simulated data"):
        run_data(np.arange(10.0)[:, None], k=2, dims=1)
